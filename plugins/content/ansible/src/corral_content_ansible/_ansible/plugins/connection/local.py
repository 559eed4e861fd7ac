"""``ansible.plugins.connection.local``: commands on the controller, as a connection
plugin written for Ansible (other plugins subclass it)."""
from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

from ansible.errors import AnsibleFileNotFound
from ansible.plugins.connection import ConnectionBase

__all__ = ["Connection"]


class Connection(ConnectionBase):
    """Runs commands with ``/bin/sh -c`` on the controller; copies files locally."""

    transport = "local"
    has_pipelining = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cwd: str | None = None

    def _connect(self) -> "Connection":
        self._connected = True
        return self

    def exec_command(self, cmd: str, in_data: bytes | None = None, sudoable: bool = True) -> tuple[int, bytes, bytes]:
        if not self._connected:
            self._connect()
        proc = subprocess.run(["/bin/sh", "-c", cmd], input=in_data, capture_output=True, cwd=self.cwd)
        return proc.returncode, proc.stdout, proc.stderr

    def put_file(self, in_path: str, out_path: str) -> None:
        if not os.path.exists(in_path):
            raise AnsibleFileNotFound(f"file or module does not exist: {in_path}")
        shutil.copyfile(in_path, out_path)

    def fetch_file(self, in_path: str, out_path: str) -> None:
        self.put_file(in_path, out_path)

    def close(self) -> None:
        self._connected = False
