"""``ansible.module_utils.connection``: the persistent-connection client of network modules.

A network module talks to its connection (``network_cli``, ``httpapi``, ``netconf``)
through a Unix socket named by ``module._socket_path``, with JSON-RPC 2.0 requests
framed by an 8-byte big-endian length.  corral runs no persistent-connection
daemon: these names import and the client speaks the protocol, but without a
socket a call raises :class:`ConnectionError`.
"""
from __future__ import annotations

import json
import os
import socket
import struct
import uuid
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

from corral.module_utils._text import to_bytes, to_text

__all__ = ["Connection", "ConnectionError", "exec_command", "request_builder", "send_data", "recv_data",
           "write_to_stream"]


class ConnectionError(Exception):  # noqa: A001 - Ansible's name
    """A failed call on the persistent connection; keyword arguments become attributes (``code``, ``err``)."""

    def __init__(self, message: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(message)
        for key, value in kwargs.items():
            setattr(self, key, value)


def write_to_stream(stream: Any, obj: Any) -> None:
    """Write ``obj`` as JSON to ``stream``, with its length on the line before."""
    data = to_bytes(json.dumps(obj))
    stream.write(to_bytes(str(len(data))) + b"\n" + data + b"\n")


def send_data(s: socket.socket, data: bytes) -> None:
    """Send ``data`` with its length as an 8-byte big-endian header."""
    s.sendall(struct.pack("!Q", len(data)) + data)


def recv_data(s: socket.socket) -> bytes | None:
    """Read one length-framed message (``None`` when the peer closed)."""
    header = b""
    while len(header) < 8:
        chunk = s.recv(8 - len(header))
        if not chunk:
            return None
        header += chunk
    (length,) = struct.unpack("!Q", header)
    data = b""
    while len(data) < length:
        chunk = s.recv(length - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def request_builder(method_: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """A JSON-RPC 2.0 request for ``method_``."""
    return {"jsonrpc": "2.0", "method": method_, "id": str(uuid.uuid4()), "params": (args, kwargs)}


def exec_command(module: Any, command: str) -> tuple[int, str, str]:
    """Run ``command`` on the module's persistent connection: ``(rc, out, err)``."""
    try:
        out = Connection(module._socket_path).exec_command(command)
    except ConnectionError as exc:
        return getattr(exc, "code", 1), "", to_text(exc)
    return 0, out, ""


class Connection:
    """A client of the persistent connection at ``socket_path``: any method called on
    it is sent as a JSON-RPC request and its result returned."""

    def __init__(self, socket_path: str | None) -> None:
        if socket_path is None:
            raise AssertionError("socket_path must be a value")
        self.socket_path = socket_path

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        return lambda *args, **kwargs: self._exec_jsonrpc(name, *args, **kwargs)

    def _exec_jsonrpc(self, name: str, *args: Any, **kwargs: Any) -> Any:
        request = request_builder(name, *args, **kwargs)
        try:
            reply = self.send(json.dumps(request))
        except OSError as exc:
            raise ConnectionError(f"unable to connect to socket {self.socket_path}. See the socket path issue "
                                  f"category in Network Debug and Troubleshooting Guide", err=str(exc),
                                  code=1) from exc
        try:
            response = json.loads(reply)
        except ValueError as exc:
            raise ConnectionError(f"Unable to decode JSON from response to {name}: {reply}", code=1) from exc
        if response.get("id") != request["id"]:
            raise ConnectionError("invalid json-rpc id received", code=1)
        if "error" in response:
            error = response["error"]
            raise ConnectionError(to_text(error.get("data") or error.get("message")), code=error.get("code"))
        return response.get("result")

    def send(self, data: str) -> str:
        """Send one request and return the reply."""
        if not os.path.exists(self.socket_path):
            raise ConnectionError(f"socket path {self.socket_path} does not exist or cannot be found", code=1)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(self.socket_path)
            send_data(sock, to_bytes(data))
            reply = recv_data(sock)
        if reply is None:
            raise ConnectionError("connection closed by the persistent connection", code=1)
        return to_text(reply)
