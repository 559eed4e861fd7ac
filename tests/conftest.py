"""Fixtures shared by every test area: SSH connections to the test sshd (built from
pytest-corral's ``corral_ssh_options``), corral's CLIs run as subprocesses with a
scratch HOME (the ssh and security suites use them)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
import pytest

from corral_connection_ssh import SshConnection


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
