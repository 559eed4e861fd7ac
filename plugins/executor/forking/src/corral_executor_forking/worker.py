"""A forking-executor worker: ``python -m corral_executor_forking.worker RFD WFD [ALLOW]``.

Reads ``(host, options, request)`` messages from file descriptor ``RFD`` and writes
``(status, value)`` replies to ``WFD`` (``multiprocessing.connection`` framing):
``("ok", reply)``, ``("unreachable", reason)``, ``("failed", message)`` (a corral error:
bad input or configuration, reported without a traceback) or ``("error", text)`` (a bug:
the text carries the traceback).  ``None``
ends the worker, which then closes every connection it holds.
"""
from __future__ import annotations

import sys
import traceback
from multiprocessing.connection import Connection

from corral.errors import CorralConnectionFailure, CorralError
from corral.executor.connections import ConnectionCache
from corral.plugins.manager import PluginManager


def serve(receive: Connection, send: Connection, allow: tuple[str, ...] | None) -> None:
    """Answer requests until told to stop or the controller goes away."""
    plugins = PluginManager(allow=allow)
    cache = ConnectionCache(plugins.connection_class)
    try:
        while True:
            try:
                message = receive.recv()
            except (EOFError, OSError):
                return
            if message is None:
                return
            host, options, request = message
            try:
                reply = ("ok", cache.handle(host, options, request))
            except CorralConnectionFailure as exc:
                reply = ("unreachable", exc.message)
            except CorralError as exc:
                reply = ("failed", exc.message)
            except Exception as exc:  # noqa: BLE001 - sent to the controller as a task failure
                reply = ("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
            send.send(reply)
    finally:
        cache.close_all()


def main(argv: list[str]) -> None:
    allow = tuple(argv[2].split(",")) if len(argv) > 2 and argv[2] else None
    serve(Connection(int(argv[0]), writable=False), Connection(int(argv[1]), readable=False), allow)


if __name__ == "__main__":
    main(sys.argv[1:])
