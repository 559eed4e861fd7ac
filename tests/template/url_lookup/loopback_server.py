"""A loopback HTTP server for the ``url`` lookup's tests (standard library only).

``serve()`` starts it on 127.0.0.1 on a free port in a daemon thread and returns
``(server, port)``.  Paths: ``/a.txt`` (two lines), ``/headers`` (the request's
``X-Test``, ``User-Agent`` and ``Cache-Control`` headers, one a line), ``/auth``
(``401`` unless basic authentication is ``user:pass``), ``/redirect`` (``302`` to
``/a.txt``); anything else is ``404``.
"""
from __future__ import annotations

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["serve"]

_CREDENTIALS = "Basic " + base64.b64encode(b"user:pass").decode("ascii")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if self.path == "/a.txt":
            self._reply(200, "line one\nline two\n")
        elif self.path == "/headers":
            self._reply(200, "\n".join(f"{name}={self.headers.get(name)}"
                                       for name in ("X-Test", "User-Agent", "Cache-Control")))
        elif self.path == "/auth":
            if self.headers.get("Authorization") == _CREDENTIALS:
                self._reply(200, "welcome")
            else:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="test"')
                self.send_header("Content-Length", "0")
                self.end_headers()
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/a.txt")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404, "File not found")

    def _reply(self, status: int, text: str) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        return


def serve() -> tuple[ThreadingHTTPServer, int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]
