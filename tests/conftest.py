"""Fixtures shared by every test area: SSH connections to the test sshd (built from
pytest-corral's ``corral_ssh_options``), corral's CLIs run as subprocesses with a
scratch HOME (the ssh and security suites use them), and the executors to run
end-to-end tests over (``executor_name``; ``ray`` on a session-wide two-node Ray
cluster, ``ray_cluster``)."""
from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pytest

from corral_connection_ssh import SshConnection

if TYPE_CHECKING:
    from ray_cluster import RayTestCluster



def _python_first_on_path() -> None:
    """Make the runs the tests start independent of the machine's Pythons.

    Hosts without ``ansible_python_interpreter`` get one discovered on the target, as in
    ansible-core: the first of ``python3.14``, ``python3.13``... found on the PATH, which
    on a machine with pyenv can be a shim of a Python that is not installed.  So corral's
    runs use this venv's Python (``interpreter_python``, a ``CORRAL_`` setting: the
    oracle's runs are not affected), and for the runs whose environment drops the
    ``CORRAL_`` settings, a ``python3.14`` that runs this venv's Python comes first on
    the PATH, for both engines to discover.  Discovery itself is tested by the language
    case 781, with fixed fallback lists."""
    os.environ.setdefault("CORRAL_PYTHON_INTERPRETER", sys.executable)
    folder = tempfile.mkdtemp(prefix="corral-test-python-")
    atexit.register(shutil.rmtree, folder, True)
    shim = Path(folder) / "python3.14"
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} \"$@\"\n")
    shim.chmod(0o755)
    os.environ["PATH"] = f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"


_python_first_on_path()


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[RayTestCluster]:
    """A local two-node Ray cluster for the session (see ``tests/ray_cluster.py``)."""
    from ray_cluster import RayTestCluster
    cluster = RayTestCluster()
    yield cluster
    cluster.shutdown()


#: the executors end-to-end tests run over; the Ray runs are marked ``ray``
EXECUTORS = ["forking", pytest.param("ray", marks=pytest.mark.ray)]


@pytest.fixture(params=EXECUTORS)
def executor_name(request, monkeypatch) -> str:
    """Run the test once per executor, chosen through the environment the runs it
    starts inherit (``CORRAL_EXECUTOR``; for ``ray``, ``CORRAL_RAY_ADDRESS`` of
    :func:`ray_cluster`).  Use it with ``pytest.mark.usefixtures("executor_name")``."""
    if request.param == "ray":
        for key, value in request.getfixturevalue("ray_cluster").env().items():
            monkeypatch.setenv(key, value)
    else:
        monkeypatch.setenv("CORRAL_EXECUTOR", request.param)
    return request.param


@pytest.fixture
def connect(corral_ssh_options):
    """``connect(**corral_ssh_options kwargs)`` -> an SshConnection, closed after the test."""
    opened: list[SshConnection] = []

    def make(**kw) -> SshConnection:
        conn = SshConnection(corral_ssh_options(**kw))
        opened.append(conn)
        return conn

    yield make
    for conn in opened:
        conn.close()


class CorralCli:
    """Runs corral's command line tools with a scratch HOME, no colours and no ssh-agent."""

    def __init__(self, home: Path) -> None:
        self.home = home

    def __call__(self, tool: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        env = dict(os.environ, HOME=str(self.home), CORRAL_NOCOLOR="1", ANSIBLE_NOCOLOR="1")
        env.pop("SSH_AUTH_SOCK", None)
        return subprocess.run([str(Path(sys.executable).parent / tool), *args], capture_output=True,
                              text=True, env=env, timeout=timeout, stdin=subprocess.DEVNULL)

    @staticmethod
    def recap(stdout: str) -> dict[str, dict[str, int]]:
        """The PLAY RECAP as ``{host: {"ok": n, "changed": n, ...}}``."""
        rows = {}
        for m in re.finditer(r"^(\S+)\s+: (.*)$", stdout.split("PLAY RECAP")[-1], re.M):
            rows[m.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
        return rows


@pytest.fixture
def cli(tmp_path) -> CorralCli:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return CorralCli(home)


@pytest.fixture(scope="module")
def example_plugin_site(request, tmp_path_factory) -> Path:
    """The example plugin distribution named by the test module's ``EXAMPLE`` (a folder),
    pip-installed (no dependencies) into a directory to put on ``PYTHONPATH``."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                    str(request.module.EXAMPLE)], check=True, capture_output=True)
    return target


@pytest.fixture
def run_with_site(example_plugin_site, tmp_path):
    """``run_with_site(tool, *args, cwd=None, **env)``: run a console script of this
    venv (or ``python``) with the example plugin on ``PYTHONPATH``, a scratch HOME
    and no ``ANSIBLE_*``/``CORRAL_*`` settings but ``env``."""
    def run(tool: str, *args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
        full = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
        full.update(PYTHONPATH=str(example_plugin_site), HOME=str(tmp_path), CORRAL_NOCOLOR="1", **env)
        return subprocess.run([str(Path(sys.executable).parent / tool), *args], capture_output=True, text=True,
                              env=full, cwd=cwd or tmp_path, timeout=120)
    return run
