"""Helpers of the corral-galaxy tests (a uniquely named module): collection and role
sources written into a temp dir, git repositories, the command lines, and a small
Galaxy-v3-shaped HTTP server on loopback that serves tarballs the test built (it
stands in for a remote Galaxy; these machines have no Internet)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
CORRAL_GALAXY = Path(sys.executable).parent / "corral-galaxy"
CORRAL_PLAYBOOK = Path(sys.executable).parent / "corral-playbook"
ORACLE_BIN = REPO / ".oracle" / "bin"
ORACLE_GALAXY = ORACLE_BIN / "ansible-galaxy"

#: marks a test that compares with the oracle ansible-galaxy
oracle = pytest.mark.skipif(not ORACLE_GALAXY.exists(), reason="the oracle ansible-galaxy is not installed "
                                                               "(scripts/oracle-venv installs it)")

MODULE = '''#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(who=dict(type="str", default="world")))
    module.exit_json(changed=False, msg="hello %s from {fqcn} {version}" % module.params["who"])


if __name__ == "__main__":
    main()
'''


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment without Ansible/corral settings, with its own HOME (so the
    default collection and role paths are inside the test's temp dir)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env["HOME"] = str(home)
    env.update(extra)
    return env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """:func:`clean_env` with HOME in the test's temp dir."""
    (tmp_path / "home").mkdir()
    return clean_env(tmp_path / "home")


def run(command: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def galaxy(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``corral-galaxy ARGS`` in ``cwd``."""
    return run([CORRAL_GALAXY, *args], cwd, env)


def oracle_galaxy(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The oracle's ``ansible-galaxy ARGS`` in ``cwd``."""
    return run([ORACLE_GALAXY, *args], cwd, env)


def make_collection(parent: Path, namespace: str, name: str, version: str,
                    dependencies: dict[str, str] | None = None, build_ignore: list[str] | None = None) -> Path:
    """A collection source tree ``parent/namespace/name`` with a galaxy.yml, a module
    ``greet`` (AnsibleModule), a role ``hello`` and a file ``build_ignore`` drops."""
    source = parent / namespace / name
    (source / "plugins" / "modules").mkdir(parents=True, exist_ok=True)
    (source / "roles" / "hello" / "tasks").mkdir(parents=True, exist_ok=True)
    (source / "meta").mkdir(exist_ok=True)
    galaxy_yml = {"namespace": namespace, "name": name, "version": version, "readme": "README.md",
                  "authors": ["corral tests <tests@example.com>"], "description": f"{namespace}.{name} for tests",
                  "license": ["MIT"], "dependencies": dependencies or {},
                  "build_ignore": build_ignore if build_ignore is not None else ["*.log", "scratch"]}
    (source / "galaxy.yml").write_text(yaml.safe_dump(galaxy_yml, sort_keys=False))
    (source / "README.md").write_text(f"# {namespace}.{name}\n")
    (source / "meta" / "runtime.yml").write_text("requires_ansible: '>=2.15.0'\n")
    (source / "plugins" / "modules" / "greet.py").write_text(
        MODULE.replace("{fqcn}", f"{namespace}.{name}").replace("{version}", version))
    (source / "roles" / "hello" / "tasks" / "main.yml").write_text(
        f"- name: hello role\n  debug:\n    msg: 'role hello of {namespace}.{name} {version}'\n")
    (source / "debug.log").write_text("not part of the collection\n")
    (source / "scratch").mkdir(exist_ok=True)
    (source / "scratch" / "notes.txt").write_text("not part of the collection\n")
    return source


def make_role(parent: Path, name: str, message: str, dependencies: list[Any] | None = None) -> Path:
    """A role source tree ``parent/name`` (tasks and meta/main.yml)."""
    role = parent / name
    (role / "tasks").mkdir(parents=True, exist_ok=True)
    (role / "meta").mkdir(exist_ok=True)
    (role / "tasks" / "main.yml").write_text(f"- name: {name}\n  debug:\n    msg: '{message}'\n")
    (role / "meta" / "main.yml").write_text(yaml.safe_dump(
        {"galaxy_info": {"author": "corral tests", "description": name}, "dependencies": dependencies or []}))
    return role


def git_repo(path: Path, tag: str | None = None) -> Path:
    """Turn ``path`` into a git repository with one commit (tagged ``tag``)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "content"]):
        subprocess.run(command, cwd=path, check=True, env=env, capture_output=True)
    if tag:
        subprocess.run(["git", "tag", tag], cwd=path, check=True, env=env, capture_output=True)
    return path


def git_commit(path: Path, message: str, tag: str | None = None) -> None:
    """Commit everything in the repository ``path`` (tagged ``tag``)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", "add", "-A"], cwd=path, check=True, env=env, capture_output=True)
    subprocess.run(["git", "commit", "-qm", message], cwd=path, check=True, env=env, capture_output=True)
    if tag:
        subprocess.run(["git", "tag", tag], cwd=path, check=True, env=env, capture_output=True)


class GalaxyV3:
    """What the test server knows: tarballs by ``(namespace, name, version)``, and the
    requests it answered (path and Authorization header)."""

    def __init__(self) -> None:
        self.tarballs: dict[tuple[str, str, str], Path] = {}
        self.dependencies: dict[tuple[str, str, str], dict[str, str]] = {}
        self.requests: list[tuple[str, str | None]] = []
        self.url = ""

    def publish(self, tarball: Path) -> None:
        """Serve ``tarball`` (its MANIFEST.json says what it is)."""
        import tarfile

        with tarfile.open(tarball) as archive:
            handle = archive.extractfile("MANIFEST.json")
            assert handle is not None
            info = json.load(handle)["collection_info"]
        key = (info["namespace"], info["name"], info["version"])
        self.tarballs[key] = tarball
        self.dependencies[key] = info["dependencies"]

    def answer(self, path: str) -> tuple[int, bytes, str]:
        parts = [part for part in path.split("?")[0].split("/") if part]
        if parts == ["api"]:
            return 200, json.dumps({"available_versions": {"v3": "v3/"}}).encode(), "application/json"
        if parts[:1] == ["download"] and len(parts) == 2:
            for tarball in self.tarballs.values():
                if tarball.name == parts[1]:
                    return 200, tarball.read_bytes(), "application/octet-stream"
        if parts[:3] == ["api", "v3", "collections"] and (len(parts) == 5 or len(parts) >= 6 and parts[5] == "versions"):
            namespace, name = parts[3], parts[4]
            versions = sorted(v for (ns, n, v) in self.tarballs if (ns, n) == (namespace, name))
            if not versions:
                return 404, b'{"errors": [{"detail": "Not found."}]}', "application/json"
            base = f"/api/v3/collections/{namespace}/{name}/"
            if len(parts) == 5:  # the collection itself
                detail = {"namespace": namespace, "name": name, "href": base, "versions_url": f"{base}versions/",
                          "highest_version": {"version": versions[-1], "href": f"{base}versions/{versions[-1]}/"},
                          "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
                return 200, json.dumps(detail).encode(), "application/json"
            if len(parts) == 6:  # the listing, one version per page to exercise the next links
                offset = int(path.split("offset=")[1]) if "offset=" in path else 0
                base = f"/api/v3/collections/{namespace}/{name}/versions/"
                page = {"meta": {"count": len(versions)},
                        "links": {"next": f"{base}?offset={offset + 1}" if offset + 1 < len(versions) else None},
                        "data": [{"version": v, "href": f"{base}{v}/"} for v in versions[offset:offset + 1]]}
                return 200, json.dumps(page).encode(), "application/json"
            version = parts[6]
            tarball = self.tarballs.get((namespace, name, version))
            if tarball is None:
                return 404, b'{"errors": [{"detail": "Not found."}]}', "application/json"
            detail = {"href": f"{base}versions/{version}/", "namespace": {"name": namespace},
                      "collection": {"name": name, "href": base}, "version": version, "signatures": [],
                      "download_url": f"{self.url.rsplit('api/', 1)[0]}download/{tarball.name}",
                      "artifact": {"filename": tarball.name, "sha256": hashlib.sha256(tarball.read_bytes()).hexdigest()},
                      "metadata": {"dependencies": self.dependencies[(namespace, name, version)]}}
            return 200, json.dumps(detail).encode(), "application/json"
        return 404, b'{"errors": [{"detail": "Not found."}]}', "application/json"


@contextmanager
def galaxy_server() -> Iterator[GalaxyV3]:
    """A :class:`GalaxyV3` served on loopback for the duration of the block; its
    ``url`` is the server's root (``http://127.0.0.1:PORT/api/``)."""
    state = GalaxyV3()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            state.requests.append((self.path, self.headers.get("Authorization")))
            status, body, kind = state.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's signature
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/api/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
