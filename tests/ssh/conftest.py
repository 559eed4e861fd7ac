"""Helpers for the ssh connection tests: build ConnectionOptions for the test servers."""
from __future__ import annotations

from typing import Callable

import pytest

from corral.plugins.connection import ConnectionOptions
from corral_connection_ssh import SshConnection


@pytest.fixture
def ssh_options(corral_sshd, corral_ssh_user) -> Callable[..., ConnectionOptions]:
    """``ssh_options(address=None, server=None, extra=None, **fields)`` -> ConnectionOptions.

    Defaults: the shared server, the test user with its ed25519 key, the server's
    known_hosts file, host key checking on.
    """
    def build(address: str | None = None, server=None, extra: dict | None = None,
              **fields) -> ConnectionOptions:
        server = server or corral_sshd
        address = address or server.addresses[0]
        values = dict(connection="ssh", inventory_hostname=f"h-{address}", host=address,
                      port=server.port, user=corral_ssh_user.name,
                      private_key_file=str(corral_ssh_user.key), timeout=10)
        values.update(fields)
        ext = {"ansible_ssh_known_hosts_file": str(server.known_hosts)}
        ext.update(extra or {})
        return ConnectionOptions(**values, extra=tuple((k, v) for k, v in ext.items() if v is not None))

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
