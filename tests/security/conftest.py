"""Fixtures of the security suite: the ssh tests' helpers (a real sshd on loopback,
users with keys and sudo, corral's CLIs run as subprocesses with a scratch HOME)."""
from tests.ssh.conftest import cli, connect, ssh_options  # noqa: F401
