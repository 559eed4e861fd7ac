"""Fixtures shared by every test area: ConnectionOptions for the test sshd, corral's CLIs run
as subprocesses with a scratch HOME (the ssh and security suites use them)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from corral.plugins.connection import ConnectionOptions
from corral_connection_ssh import SshConnection


@pytest.fixture
def ssh_options(corral_sshd, corral_ssh_user) -> Callable[..., ConnectionOptions]:
    """``ssh_options(address=None, server=None, extra=None, **options)`` -> ConnectionOptions,
    resolved as the kernel resolves them: ``extra`` are host variables, ``options`` the
    ssh plugin's options set directly (``port``, ``password``, ``host_key_checking``...);
    the environment and config files are left out.

    Defaults: the shared server, the test user with its ed25519 key, the server's
    known_hosts file, host key checking on.
    """
    def build(address: str | None = None, server=None, extra: dict | None = None,
              **options) -> ConnectionOptions:
        server = server or corral_sshd
        address = address or server.addresses[0]
        direct = dict(remote_addr=address, port=server.port, remote_user=corral_ssh_user.name,
                      private_key_file=str(corral_ssh_user.key), timeout=10)
        direct.update(options)
        variables = {"ansible_ssh_known_hosts_file": str(server.known_hosts)}
        variables.update(extra or {})
        return SshConnection.options_for("ssh", f"h-{address}", variables=variables, direct=direct,
                                         env={}, ini={})

    return build


@pytest.fixture
def connect(ssh_options):
    """``connect(**ssh_options kwargs)`` -> an SshConnection, closed after the test."""
    opened: list[SshConnection] = []

    def make(**kw) -> SshConnection:
        conn = SshConnection(ssh_options(**kw))
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
