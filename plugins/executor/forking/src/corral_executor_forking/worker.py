"""A forking-executor worker: ``python -m corral_executor_forking.worker RFD WFD MAX_HOSTS SETUP``.

``SETUP`` is JSON: ``allow`` (the plugin allow-list, or null), ``register`` (the
controller's plugins registered in code, as ``[reference, name]`` pairs) and
``path`` (the controller's ``sys.path``, to import them with).

Reads ``(host, options, request)`` messages from file descriptor ``RFD`` and writes
:data:`corral.plugins.executor.Reply` replies to ``WFD`` (``multiprocessing.connection``
framing).  ``None`` ends the worker, which then closes every connection it holds.

Signals: the controller coordinates interrupts, so a worker ignores SIGINT (a
terminal's Ctrl-C).  SIGUSR1, from the controller, means "the run was
interrupted": the request running now is aborted (what it started is killed, its
host's connection closed) and answered ``interrupted``; the worker then goes on
serving the controller's cleanup requests, each bounded to
:data:`AFTER_INTERRUPT_LIMIT` seconds, until told to stop.  A request with a
``limit`` (a task's ``timeout``) that runs longer is aborted the same way (SIGALRM)
and answered ``interrupted``, without changing how later requests run.  SIGTERM or SIGHUP ends
the worker the same clean way: the running request is aborted, every connection
closed, nothing it started is left.  So does the controller going away (its end of
the reply pipe closes).
"""
from __future__ import annotations

import json
import os
import select
import signal
import sys
import threading
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any

from corral.errors import CorralInterrupted
from corral.executor.connections import ConnectionCache
from corral.plugins.executor import Reply, reply_of
from corral.plugins.manager import PluginManager
from corral.plugins.portable import PortablePlugins

from corral_executor_forking.process import name_process

AFTER_INTERRUPT_LIMIT = 2.0   # seconds a request may take once the run is interrupted
_UNWIND_LIMIT = 0.5           # seconds an aborted request may take to unwind before it is aborted again
_ABORT_LIMIT = 1.0            # seconds killing and closing what an aborted request used may take


class _Aborted(BaseException):
    """Raised in the worker's main thread to abort the running request."""


class _Guard:
    """Turns the signals into :class:`_Aborted` in the main thread (see the module's docstring)."""

    def __init__(self) -> None:
        self.running = False        # a request is being handled
        self.interrupted = False    # SIGUSR1 came: requests are bounded from now on
        self.ending = False         # SIGTERM/SIGHUP came: leave after the current request
        self.closing = False        # the final cleanup runs: signals change nothing more
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for signum in (signal.SIGUSR1, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self.closing:
            return
        if signum == signal.SIGUSR1:
            if self.interrupted:
                return          # one interrupt per run: a second one must not abort its cleanup
            self.interrupted = True
        elif signum != signal.SIGALRM:
            self.ending = True
            if not self.running:
                raise _Aborted()      # idle: leave the loop now
        if self.running:
            # unwinding may block too (a library's cleanup waiting on a peer): until the
            # request is left, abort again every _UNWIND_LIMIT seconds
            signal.setitimer(signal.ITIMER_REAL, _UNWIND_LIMIT)
            raise _Aborted()

    def begin(self, limit: float | None = None) -> None:
        """A request starts; with ``limit`` (or once interrupted) it is bounded in time."""
        self.running = True
        if self.interrupted:
            limit = AFTER_INTERRUPT_LIMIT if limit is None else min(limit, AFTER_INTERRUPT_LIMIT)
        if limit is not None:
            signal.setitimer(signal.ITIMER_REAL, max(limit, 0.001))

    def end(self) -> None:
        self.running = False     # first: a signal from here on aborts nothing
        signal.setitimer(signal.ITIMER_REAL, 0)


def _watch_controller(reply_fd: int) -> None:
    """Interrupt this worker when the controller's end of the reply pipe closes
    (the controller died without stopping it)."""
    poller = select.poll()
    poller.register(reply_fd, 0)     # POLLERR/POLLHUP are always reported
    while not poller.poll():
        pass
    os.kill(os.getpid(), signal.SIGHUP)


def _handle(cache: ConnectionCache, guard: _Guard, host: str, options: Any, request: Any) -> Reply:
    def run() -> Any:
        try:
            try:
                guard.begin(getattr(request, "limit", None))
                return cache.handle(host, options, request)
            finally:
                guard.end()
        except _Aborted:
            try:
                try:
                    guard.begin(_ABORT_LIMIT)
                    cache.abort(host)
                finally:
                    guard.end()
            except _Aborted:
                pass        # what is left of the connection is dropped; the processes end with their stdin
            raise CorralInterrupted(f"The task on {host} was interrupted.") from None

    return reply_of(run)


def serve(receive: Connection, send: Connection, plugins: PluginManager, max_hosts: int) -> None:
    """Answer requests until told to stop or the controller goes away."""
    name_process("corral-worker")
    guard = _Guard()
    threading.Thread(target=_watch_controller, args=(send.fileno(),), daemon=True).start()
    cache = ConnectionCache(plugins.connection_class, max_hosts=max_hosts)
    try:
        while not guard.ending:
            try:
                message = receive.recv()
            except (EOFError, OSError):
                return
            if message is None:
                return
            host, options, request = message
            reply = _handle(cache, guard, host, options, request)
            try:
                send.send(reply)
            except OSError:
                return
    except _Aborted:
        return          # told to end while idle
    finally:
        guard.closing = True
        cache.close_all()


def worker_plugins(setup: str) -> PluginManager:
    """The plugins a worker serves requests with, from the controller's ``SETUP`` JSON."""
    fields = json.loads(setup)
    plugins = PluginManager(allow=fields["allow"])
    registered = PortablePlugins(tuple((ref, name) for ref, name in fields["register"]), tuple(fields["path"]))
    registered.register_into(plugins.register)
    return plugins


def main(argv: list[str]) -> None:
    """``RFD WFD MAX_HOSTS SETUP``: at most ``MAX_HOSTS`` hosts' connections stay open
    at once (the least recently used is closed first)."""
    plugins = worker_plugins(argv[3])
    serve(Connection(int(argv[0]), writable=False), Connection(int(argv[1]), readable=False), plugins,
          max_hosts=int(argv[2]))


if __name__ == "__main__":
    main(sys.argv[1:])
