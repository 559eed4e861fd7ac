"""corral's ``ssh`` (alias ``paramiko``) connection: one paramiko Transport per host.

See ``docs/ssh.md`` for the settings it reads.  The class is
:class:`corral_connection_ssh.connection.SshConnection`.
"""
from corral_connection_ssh.connection import SshConnection

__all__ = ["SshConnection"]
