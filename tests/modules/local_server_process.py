"""A module server run as a local process, for tests of the module server itself."""
from __future__ import annotations

import subprocess


class LocalServerProcess:
    """A module server as a local process, through the ``open_process`` interface
    (``write``/``read``/``close``); ``written`` lists the size of every write."""

    def __init__(self, command: str) -> None:
        self._proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.written: list[int] = []

    def write(self, data: bytes) -> None:
        assert self._proc.stdin is not None
        self.written.append(len(data))
        self._proc.stdin.write(data)
        self._proc.stdin.flush()

    def read(self, size: int) -> bytes:
        assert self._proc.stdout is not None
        return self._proc.stdout.read(size)

    def close(self) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        self._proc.wait(timeout=30)
