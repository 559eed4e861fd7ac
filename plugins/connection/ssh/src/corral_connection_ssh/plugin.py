"""Entry point of the ``ssh`` and ``paramiko`` connection plugins."""
from __future__ import annotations

from corral.plugins import hookimpl

NAMES = ("ssh", "paramiko", "paramiko_ssh")


@hookimpl
def corral_connection(name: str):
    """Return :class:`SshConnection` for ``ssh``/``paramiko``, else ``None``."""
    if name in NAMES:
        from corral_connection_ssh.connection import SshConnection
        return SshConnection
    return None
