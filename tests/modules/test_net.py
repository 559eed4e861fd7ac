"""get_url and uri against an HTTP server the test runs on 127.0.0.1."""
from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import threading

import pytest

from .conftest import run_module

PAYLOAD = b"payload bytes\n"


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # noqa: ANN002 - keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/plain", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/file.txt":
            self._send(200, PAYLOAD)
        elif self.path == "/named":
            self._send(200, PAYLOAD, Content_Disposition='attachment; filename="report.csv"')
        elif self.path == "/json":
            self._send(200, b'{"items": [1, 2]}', "application/json")
        elif self.path == "/redirect":
            self._send(302, b"", Location="/file.txt")
        elif self.path == "/secret":
            expected = "Basic " + base64.b64encode(b"bob:pw").decode()
            if self.headers.get("Authorization") == expected:
                self._send(200, b"welcome")
            else:
                self._send(401, b"no", WWW_Authenticate='Basic realm="x"')
        else:
            self._send(404, b"not here")

    def do_HEAD(self) -> None:  # noqa: N802 - get_url's check mode asks with HEAD
        if self.path == "/file.txt":
            self.send_response(200)
            self.send_header("Content-Length", str(len(PAYLOAD)))
            self.end_headers()
        else:
            self.send_error(404)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        received = self.rfile.read(length)
        echo = {"received": received.decode(), "type": self.headers.get("Content-Type")}
        self._send(201, json.dumps(echo).encode(), "application/json")


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_get_url_downloads_once_with_checksum_and_mode(server, tmp_path):
    dest = tmp_path / "file.txt"
    args = {"url": f"{server}/file.txt", "dest": str(dest), "mode": "0600"}
    checked = run_module("get_url", args, check=True)
    assert checked["changed"] is True and not dest.exists()
    first = run_module("get_url", args)
    assert first["changed"] is True and dest.read_bytes() == PAYLOAD and first["status_code"] == 200
    assert first["checksum_src"] == hashlib.sha1(PAYLOAD).hexdigest() and first["mode"] == "0600"
    second = run_module("get_url", args)  # no checksum: downloaded again (this server has no 304)
    assert second["changed"] is False and second["msg"] == f"OK ({len(PAYLOAD)} bytes)"
    assert second["checksum_src"] == second["checksum_dest"]
    forced = run_module("get_url", {**args, "force": True})
    assert forced["changed"] is False, "same content downloaded again is no change"
    sha256 = hashlib.sha256(PAYLOAD).hexdigest()
    good = run_module("get_url", {**args, "dest": str(tmp_path / "c"), "checksum": f"sha256:{sha256}"})
    assert good["changed"] is True
    bad = run_module("get_url", {**args, "dest": str(tmp_path / "d"), "checksum": "sha256:" + "0" * 64})
    assert bad["failed"] is True and "did not match" in bad["msg"] and not (tmp_path / "d").exists()


def test_get_url_into_directory_and_errors(server, tmp_path):
    named = run_module("get_url", {"url": f"{server}/named", "dest": str(tmp_path)})
    assert named["dest"] == str(tmp_path / "report.csv") and (tmp_path / "report.csv").read_bytes() == PAYLOAD
    missing = run_module("get_url", {"url": f"{server}/nope", "dest": str(tmp_path / "x")})
    assert missing["failed"] is True and missing["status_code"] == 404 and missing["msg"] == "Request failed"
    refused = run_module("get_url", {"url": "http://127.0.0.1:9/", "dest": str(tmp_path / "y"), "timeout": 2})
    assert refused["failed"] is True and "status_code" not in refused
    assert refused["msg"] == "Request failed: <urlopen error [Errno 111] Connection refused>"


def test_uri_methods_json_status_and_auth(server, tmp_path):
    got = run_module("uri", {"url": f"{server}/json"})
    assert got["status"] == 200 and got["json"] == {"items": [1, 2]} and got["changed"] is False
    assert got["content_type"] == "application/json"
    posted = run_module("uri", {"url": f"{server}/post", "method": "POST", "body_format": "json",
                                "body": {"name": "widget"}, "status_code": [201], "return_content": True})
    assert posted["status"] == 201 and json.loads(posted["json"]["received"]) == {"name": "widget"}
    assert posted["json"]["type"] == "application/json" and "content" in posted
    form = run_module("uri", {"url": f"{server}/post", "method": "POST", "body_format": "form-urlencoded",
                              "body": {"a": "1", "b": "x y"}, "status_code": 201})
    assert form["json"]["received"] == "a=1&b=x+y"
    missing = run_module("uri", {"url": f"{server}/nope"})
    assert missing["failed"] is True and missing["status"] == 404
    assert missing["msg"].startswith("Status code was 404 and not [200]")
    redirected = run_module("uri", {"url": f"{server}/redirect", "return_content": True})
    assert redirected["status"] == 200 and redirected["redirected"] is True
    assert redirected["content"] == PAYLOAD.decode()
    denied = run_module("uri", {"url": f"{server}/secret"})
    assert denied["status"] == 401
    allowed = run_module("uri", {"url": f"{server}/secret", "url_username": "bob", "url_password": "pw",
                                 "force_basic_auth": True, "return_content": True})
    assert allowed["content"] == "welcome"
    assert allowed["invocation"]["module_args"]["url_password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    saved = run_module("uri", {"url": f"{server}/file.txt", "dest": str(tmp_path / "saved")})
    assert saved["changed"] is True and (tmp_path / "saved").read_bytes() == PAYLOAD
    again = run_module("uri", {"url": f"{server}/file.txt", "dest": str(tmp_path / "saved")})
    assert again["changed"] is True, "ansible-core reports a change for every 200 written to dest"
    skipped = run_module("uri", {"url": f"{server}/nope", "creates": str(tmp_path)})
    assert skipped["changed"] is False and "skipped" in skipped["stdout"]
    assert os.path.exists(tmp_path / "saved")
