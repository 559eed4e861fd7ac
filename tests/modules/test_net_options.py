"""get_url's and uri's connection options run by ``corral-playbook`` and by ansible-core
2.21 (``.oracle/bin/ansible-playbook``) on the same play, against servers on loopback
(:mod:`tests.modules.net_servers`), and compared field by field: TLS (``ca_path``,
``ciphers``, ``client_cert``/``client_key``), ``unix_socket``, ``use_proxy`` with
``http_proxy``, ``use_netrc`` with ``NETRC``, ``unredirected_headers``, ``http_agent``,
``decompress`` of gzip-encoded answers, ``tmp_dest``, ``force`` and ``If-Modified-Since``,
``src``/``remote_src``, ``body_format: form-multipart`` and ``use_gssapi`` without the
``gssapi`` library. A second run of the same play changes nothing where ansible-core's
does not."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .net_servers import PLAIN, SERVER_CIPHER, Servers

REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO / ".oracle" / "bin" / "ansible-playbook"
CORRAL = Path(sys.executable).parent / "corral-playbook"
UPLOAD = "uploaded from the controller\n"
#: fields whose words depend on timing: TLS 1.3 sends the server's "certificate required"
#: alert after the handshake, and the client sees either it or the closed connection
RACY = {"client_cert_missing": {"msg"}}
#: result keys that name times, temporary paths or the server's clock
VOLATILE = {"elapsed", "date", "invocation", "src", "last_modified", "server", "_ansible_no_log",
            "deprecations", "warnings", "exception"}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    running = Servers(tmp_path_factory.mktemp("servers"))
    yield running
    running.close()


def _tasks(s: Servers, work: str) -> list[dict[str, Any]]:
    """The play's tasks, each ``register``ed as ``r_<name>`` and allowed to fail."""
    ca, cert, key = str(s.ca), str(s.client_cert), str(s.client_key)
    proxy_env = {"http_proxy": s.proxy, "no_proxy": ""}
    tasks = {
        "agent": {"uri": {"url": f"{s.http}/echo", "http_agent": "corral-test/1"}},
        "ca_untrusted": {"uri": {"url": f"{s.https}/echo"}},
        "ca_path": {"uri": {"url": f"{s.https}/echo", "ca_path": ca}},
        "cipher_refused": {"uri": {"url": f"{s.https}/echo", "ca_path": ca, "ciphers": ["ECDHE-ECDSA-AES256-GCM-SHA384"]}},
        "cipher_ok": {"uri": {"url": f"{s.https}/echo", "ca_path": ca, "ciphers": [SERVER_CIPHER]}},
        "client_cert_missing": {"uri": {"url": f"{s.mtls}/echo", "ca_path": ca}},
        "client_cert": {"uri": {"url": f"{s.mtls}/echo", "ca_path": ca, "client_cert": cert, "client_key": key}},
        "unix_socket": {"uri": {"url": "http://localhost/echo", "unix_socket": s.socket}},
        "proxied": {"uri": {"url": "http://example.invalid/echo"}, "environment": proxy_env},
        "proxy_off": {"uri": {"url": f"{s.http}/echo", "use_proxy": False}, "environment": proxy_env},
        "netrc": {"uri": {"url": f"{s.http}/secret", "return_content": True},
                  "environment": {"NETRC": f"{work}/netrc"}},
        "netrc_off": {"uri": {"url": f"{s.http}/secret", "use_netrc": False},
                      "environment": {"NETRC": f"{work}/netrc"}},
        "unredirected": {"uri": {"url": f"{s.http}/redirect", "headers": {"X-Secret": "s", "X-Open": "o"},
                                 "unredirected_headers": ["x-secret"]}},
        "gz": {"uri": {"url": f"{s.http}/gz", "return_content": True}},
        "lm_first": {"uri": {"url": f"{s.http}/lm", "dest": f"{work}/lm.txt"}},
        "lm_again": {"uri": {"url": f"{s.http}/lm", "dest": f"{work}/lm.txt", "status_code": [200, 304]}},
        "lm_forced": {"uri": {"url": f"{s.http}/lm", "dest": f"{work}/lm.txt", "force": True}},
        "src_controller": {"uri": {"url": f"{s.http}/upload", "method": "PUT", "src": "upload.txt"}},
        "src_remote": {"uri": {"url": f"{s.http}/upload", "method": "POST", "src": f"{work}/files/upload.txt",
                               "remote_src": True}},
        "multipart": {"uri": {"url": f"{s.http}/upload", "method": "POST", "body_format": "form-multipart",
                              "body": {"text": "hello", "file1": {"filename": "upload.txt", "mime_type": "text/plain"},
                                       "file2": {"filename": "data.json", "content": '{"a": 1}'}}}},
        "uri_gssapi": {"uri": {"url": f"{s.http}/echo", "use_gssapi": True}},
        "get_gz": {"get_url": {"url": f"{s.http}/gz", "dest": f"{work}/plain.txt"}},
        "get_gz_raw": {"get_url": {"url": f"{s.http}/gz", "dest": f"{work}/raw.gz", "decompress": False}},
        "get_tmp_missing": {"get_url": {"url": f"{s.http}/gz", "dest": f"{work}/t1", "tmp_dest": f"{work}/nodir"}},
        "get_tmp_dest": {"get_url": {"url": f"{s.http}/gz", "dest": f"{work}/t2", "tmp_dest": f"{work}/files"}},
        "get_agent": {"get_url": {"url": f"{s.http}/echo", "dest": f"{work}/agent.json", "http_agent": "corral-test/2",
                                  "headers": {"X-Secret": "s"}, "unredirected_headers": ["X-Secret"]}},
        "get_redirect": {"get_url": {"url": f"{s.http}/redirect", "dest": f"{work}/redirect.json",
                                     "headers": {"X-Secret": "s", "X-Open": "o"}, "unredirected_headers": ["X-Secret"]}},
        "get_ciphers": {"get_url": {"url": f"{s.https}/gz", "dest": f"{work}/c1", "validate_certs": False,
                                    "ciphers": ["ECDHE-ECDSA-AES256-GCM-SHA384"]}},
        "get_client_cert": {"get_url": {"url": f"{s.mtls}/gz", "dest": f"{work}/c2", "validate_certs": False,
                                        "client_cert": cert, "client_key": key}},
        "get_proxied": {"get_url": {"url": "http://example.invalid/x", "dest": f"{work}/proxied.json"},
                        "environment": proxy_env},
        "get_proxy_off": {"get_url": {"url": f"{s.http}/gz", "dest": f"{work}/direct.txt", "use_proxy": False},
                          "environment": proxy_env},
        "get_netrc": {"get_url": {"url": f"{s.http}/secret", "dest": f"{work}/secret.txt"},
                      "environment": {"NETRC": f"{work}/netrc"}},
        "get_netrc_off": {"get_url": {"url": f"{s.http}/secret", "dest": f"{work}/secret2.txt", "use_netrc": False},
                          "environment": {"NETRC": f"{work}/netrc"}},
        "get_checksum_url": {"get_url": {"url": f"{s.http}/gz", "dest": f"{work}/summed",
                                         "checksum": f"sha256:{s.http}/sums"}},
        "get_checksum_bad": {"get_url": {"url": f"{s.http}/gz", "dest": f"{work}/bad", "checksum": "sha256:xyz"}},
        "get_gssapi": {"get_url": {"url": f"{s.http}/gz", "dest": f"{work}/g", "use_gssapi": True}},
    }
    return [dict(task, register=f"r_{name}", ignore_errors=True) for name, task in tasks.items()]


def _run(program: Path, work: Path, servers: Servers) -> tuple[dict[str, Any], str]:
    """Run the play in ``work`` (fresh or from a previous run) and return the registered
    results by task name and the play's recap line."""
    (work / "files").mkdir(parents=True, exist_ok=True)
    (work / "files" / "upload.txt").write_text(UPLOAD)
    (work / "netrc").write_text("machine 127.0.0.1 login bob password pw\n")
    (work / "hosts").write_text("h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n")
    tasks = _tasks(servers, str(work))
    names = [task["register"] for task in tasks]
    collect = "{{ {" + ", ".join(f"'{name[2:]}': {name}" for name in names) + "} | to_json }}"
    (work / "site.yml").write_text(json.dumps([{"hosts": "h1", "gather_facts": False, "tasks": [
        *tasks, {"copy": {"content": collect, "dest": str(work / "results.json")}}]}]))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ANSIBLE_", "CORRAL_")) and k.lower() not in ("http_proxy", "https_proxy", "no_proxy")}
    proc = subprocess.run([str(program), "-i", "hosts", "site.yml"], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    recap = [line for line in proc.stdout.splitlines() if line.startswith("h1 ")][-1]
    results = json.loads((work / "results.json").read_text())
    return {name: _normal(value, str(work)) for name, value in results.items()}, recap


def _normal(value: Any, work: str) -> Any:
    if isinstance(value, dict):
        return {k: _normal(v, work) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_normal(v, work) for v in value]
    if isinstance(value, str):
        return value.replace(work, "<WORK>")
    return value


@pytest.fixture(scope="module")
def both(servers, tmp_path_factory):
    """Each engine's results of a first and a second run of the play."""
    runs = {}
    for engine, program in (("corral", CORRAL), ("ansible", ORACLE)):
        work = tmp_path_factory.mktemp(engine)
        runs[engine] = (_run(program, work, servers), _run(program, work, servers), work)
    return runs


def test_every_result_is_ansible_cores(both) -> None:
    (ours, _), _, _ = both["corral"]
    (theirs, _), _, _ = both["ansible"]
    assert sorted(ours) == sorted(theirs)
    differ = {}
    for name in theirs:
        keys = (set(ours[name]) | set(theirs[name])) - RACY.get(name, set())
        fields = {key: (ours[name].get(key, "<absent>"), theirs[name].get(key, "<absent>")) for key in sorted(keys)
                  if ours[name].get(key, "<absent>") != theirs[name].get(key, "<absent>")}
        if fields:
            differ[name] = fields
    assert not differ, json.dumps(differ, indent=1)


def test_second_run_changes_what_ansible_cores_changes(both) -> None:
    (_, _), (ours, our_recap), _ = both["corral"]
    (_, _), (theirs, their_recap), _ = both["ansible"]
    assert our_recap.split() == their_recap.split()
    assert {name: r.get("changed") for name, r in ours.items()} == {name: r.get("changed") for name, r in theirs.items()}


def test_the_options_did_what_they_say(both) -> None:
    """What the servers saw and what the modules wrote (both engines agree, see above)."""
    (first, _), (second, _), work = both["corral"]
    assert first["agent"]["json"]["headers"]["User-Agent"] == "corral-test/1"
    assert first["ca_untrusted"]["failed"] and first["ca_path"]["status"] == 200
    assert first["cipher_refused"]["failed"] and first["cipher_ok"]["status"] == 200
    assert first["client_cert_missing"]["failed"] and first["client_cert_missing"]["status"] == -1
    assert first["client_cert"]["status"] == 200
    assert first["unix_socket"]["json"]["headers"]["Host"] == "localhost"
    assert first["proxied"]["json"] == {"proxied": "http://example.invalid/echo"}
    assert "headers" in first["proxy_off"]["json"]
    assert first["netrc"]["content"] == "welcome" and first["netrc_off"]["status"] == 401
    sent = first["unredirected"]["json"]["headers"]
    assert sent.get("X-Open") == "o" and "X-Secret" not in sent
    assert first["gz"]["content"] == PLAIN.decode()
    assert first["lm_first"]["changed"] and first["lm_again"]["status"] == 304 and not first["lm_again"]["changed"]
    assert first["lm_forced"]["status"] == 200 and first["lm_forced"]["changed"]
    assert first["src_controller"]["json"]["body"] == UPLOAD and first["src_remote"]["json"]["body"] == UPLOAD
    parts = {part["name"]: part for part in first["multipart"]["json"]["parts"]}
    assert parts["text"]["content"] == "hello" and parts["file1"]["content"] == UPLOAD
    assert parts["file1"]["filename"] == "upload.txt" and parts["file2"]["type"] == "application/json"
    assert "Failed to import the required Python library (gssapi)" in first["uri_gssapi"]["msg"]
    assert (work / "plain.txt").read_bytes() == PLAIN
    assert gzip.decompress((work / "raw.gz").read_bytes()) == PLAIN
    assert first["get_gz_raw"]["checksum_src"] == hashlib.sha1((work / "raw.gz").read_bytes()).hexdigest()
    assert first["get_tmp_missing"]["msg"] == "<WORK>/nodir directory does not exist."
    assert json.loads((work / "agent.json").read_text())["headers"]["User-Agent"] == "corral-test/2"
    assert "X-Secret" in json.loads((work / "agent.json").read_text())["headers"]
    redirected = json.loads((work / "redirect.json").read_text())["headers"]
    assert redirected["X-Open"] == "o" and "X-Secret" not in redirected
    assert first["get_ciphers"]["failed"] and (work / "c2").read_bytes() == PLAIN
    assert json.loads((work / "proxied.json").read_text()) == {"proxied": "http://example.invalid/x"}
    assert (work / "secret.txt").read_text() == "welcome" and first["get_netrc_off"]["status_code"] == 401
    assert "Failed to import the required Python library (gssapi)" in first["get_gssapi"]["msg"]
    assert first["get_checksum_url"]["changed"] and (work / "summed").read_bytes() == PLAIN
    assert first["get_checksum_bad"]["msg"] == "The checksum format is invalid"
    assert not second["get_gz"]["changed"] and not second["lm_again"]["changed"]


def test_ansible_module_utils_request_honours_the_options(servers, tmp_path, monkeypatch) -> None:
    """``ansible.module_utils.urls.Request`` (for modules written for Ansible) passes the
    same options on: a Unix socket, a CA bundle with ciphers, netrc, unredirected headers,
    gzip decoding, and ``use_gssapi`` without ``gssapi`` raises ``MissingModuleError``."""
    from corral_content_ansible._ansible.module_utils import urls

    assert json.loads(urls.Request(unix_socket=servers.socket).get("http://localhost/echo").read())[
        "headers"]["Host"] == "localhost"
    assert urls.Request(ca_path=str(servers.ca), ciphers=[SERVER_CIPHER]).get(f"{servers.https}/echo").status == 200
    (tmp_path / "netrc").write_text("machine 127.0.0.1 login bob password pw\n")
    monkeypatch.setenv("NETRC", str(tmp_path / "netrc"))
    assert urls.Request().get(f"{servers.http}/secret").read() == b"welcome"
    sent = json.loads(urls.Request(headers={"X-Secret": "s"}, unredirected_headers=["X-Secret"]).get(
        f"{servers.http}/redirect").read())["headers"]
    assert "X-Secret" not in sent
    assert urls.Request().get(f"{servers.http}/gz").read() == PLAIN
    assert urls.Request(decompress=False).get(f"{servers.http}/gz").read() == gzip.compress(PLAIN, mtime=0)
    with pytest.raises(urls.MissingModuleError, match=r"required Python library \(gssapi\)"):
        urls.Request().get(f"{servers.http}/echo", use_gssapi=True)


def test_unarchive_downloads_with_validate_certs_and_io_buffer_size(servers, tmp_path) -> None:
    """``unarchive`` of an ``https://`` URL checks the server's certificate unless
    ``validate_certs: false``; ``io_buffer_size`` only sizes the reads."""
    from .conftest import run_module

    args = {"src": f"{servers.https}/a.tgz", "dest": str(tmp_path), "remote_src": True}
    refused = run_module("unarchive", args)
    assert refused["failed"] and refused["msg"].startswith(f"Failure downloading {servers.https}/a.tgz, Request "
                                                           "failed: <urlopen error [SSL: CERTIFICATE_VERIFY_FAILED]")
    unpacked = run_module("unarchive", {**args, "validate_certs": False, "io_buffer_size": 7})
    assert unpacked["changed"] and (tmp_path / "top" / "plain.txt").read_bytes() == PLAIN
    again = run_module("unarchive", {**args, "validate_certs": False, "io_buffer_size": 7})
    assert again["changed"] is False
