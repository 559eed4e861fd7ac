"""``ansible.plugins.connection.ssh``: the ssh connection as a plugin written for
Ansible, for the collections' connection plugins that subclass it (an IAP or
bastion tunnel that then connects with ssh).

It declares Ansible's ssh options (corral's ssh connection declares the same ones,
:mod:`corral_connection_ssh.options`) and runs commands and copies files with
corral's ssh connection (paramiko), built from this plugin's option values when
it connects: an option a subclass changes before connecting (``port``,
``ssh_args``) is the one used.  Needs the distribution ``corral-connection-ssh``.
"""
from __future__ import annotations

from typing import Any

from corral.errors import CorralError
from corral_connection_ssh.options import DOCUMENTATION as DOCUMENTATION

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.connection import ConnectionBase

__all__ = ["Connection", "DOCUMENTATION"]


class Connection(ConnectionBase):
    """Ansible's ``ssh`` connection over corral's."""

    transport = "ssh"
    has_pipelining = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ssh: Any = None

    def _connect(self) -> "Connection":
        if self._ssh is None:
            from corral_connection_ssh.connection import SshConnection
            values = self.get_options()
            host = values.get("host") or values.get("remote_addr") or getattr(self._play_context, "remote_addr", None)
            direct = {k: v for k, v in values.items() if k in SshConnection.OPTIONS and v is not None}
            direct["remote_addr"] = host
            options = SshConnection.options_for("ssh", str(host), direct=direct)
            self._ssh = SshConnection(options)
        try:
            self._ssh.connect()
        except CorralError as exc:
            raise AnsibleConnectionFailure(str(exc.message)) from exc
        self._connected = True
        return self

    def exec_command(self, cmd: str, in_data: bytes | None = None, sudoable: bool = True) -> tuple[int, bytes, bytes]:
        self._connect()
        rc, out, err = self._ssh.exec_command(cmd, in_data)
        return int(rc), out, err

    def put_file(self, in_path: str, out_path: str) -> None:
        self._connect()
        self._ssh.put_file(in_path, out_path)

    def fetch_file(self, in_path: str, out_path: str) -> None:
        self._connect()
        self._ssh.fetch_file(in_path, out_path)

    def reset(self) -> None:
        self.close()

    def close(self) -> None:
        if self._ssh is not None:
            self._ssh.close()
            self._ssh = None
        self._connected = False
