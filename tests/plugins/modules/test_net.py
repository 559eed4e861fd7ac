"""corral-modules-net: uri and get_url against a real HTTP server on loopback."""
from __future__ import annotations

import functools
import http.server
import threading

import pytest


@pytest.fixture
def web(tmp_path):
    """An HTTP server on 127.0.0.1 serving ``tmp_path`` (with ``file.txt``)."""
    (tmp_path / "file.txt").write_text("downloaded\n")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


def test_uri_returns_the_status_and_body(corral_run, web) -> None:
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"uri": {"url": f"{web}/file.txt", "return_content": True}},
        {"uri": {"url": f"{web}/missing"}, "ignore_errors": True},
    ]}])
    found, missing = [outcome.result for outcome in result.hosts["localhost"].results]
    assert found["status"] == 200 and found["content"] == "downloaded\n"
    assert missing["failed"] and missing["status"] == 404


def test_get_url_downloads_once(corral_run, web, tmp_path) -> None:
    dest = tmp_path / "out" / "copy.txt"
    dest.parent.mkdir()
    task = {"get_url": {"url": f"{web}/file.txt", "dest": str(dest)}}
    first = corral_run.task(task)
    assert corral_run.outcome(first, "localhost").result["changed"] and dest.read_text() == "downloaded\n"
    second = corral_run.task(task)
    assert corral_run.outcome(second, "localhost").result["changed"] is False
