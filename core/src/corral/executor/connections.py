"""``ConnectionCache``: the connections one worker holds, and how a request runs on one.

Executors run this where their hosts' connections live (a worker process, a thread,
a remote actor).  One connection per host, reused while its options are unchanged.
"""
from __future__ import annotations

from typing import Any, Callable

from corral.plugins.connection import ConnectionBase, ConnectionOptions
from corral.plugins.executor import ExecRequest, FetchRequest, PutRequest, Request, ResetRequest

__all__ = ["ConnectionCache"]


class ConnectionCache:
    """Keeps one open connection per host; ``connection_class(name)`` resolves
    ``ansible_connection`` names to classes (``PluginManager.connection_class``)."""

    def __init__(self, connection_class: Callable[[str], type[ConnectionBase]]) -> None:
        self._connection_class = connection_class
        self._connections: dict[str, tuple[ConnectionOptions, ConnectionBase]] = {}

    def _connection(self, host: str, options: ConnectionOptions) -> ConnectionBase:
        current = self._connections.get(host)
        if current is not None and current[0] == options:
            return current[1]
        if current is not None:
            self._close(host)
        connection = self._connection_class(options.connection)(options)
        self._connections[host] = (options, connection)
        return connection

    def handle(self, host: str, options: ConnectionOptions, request: Request) -> Any:
        """Run ``request`` on ``host``'s connection; connection failures propagate."""
        if isinstance(request, ResetRequest):
            self._close(host)
            return None
        connection = self._connection(host, options)
        try:
            connection.connect()
        except Exception:
            self._close(host)
            raise
        if isinstance(request, ExecRequest):
            return connection.exec_command(request.cmd, request.in_data, request.become)
        if isinstance(request, PutRequest):
            return connection.put_file(request.local, request.remote)
        if isinstance(request, FetchRequest):
            return connection.fetch_file(request.remote, request.local)
        raise TypeError(f"unknown request {request!r}")

    def _close(self, host: str) -> None:
        entry = self._connections.pop(host, None)
        if entry is not None:
            try:
                entry[1].close()
            except Exception:  # noqa: BLE001 - closing a broken connection must not fail the run
                pass

    def close_all(self) -> None:
        """Close every connection."""
        for host in list(self._connections):
            self._close(host)
