"""A throwaway PostgreSQL server for tests: ``initdb`` into a temporary folder, started
with ``pg_ctl`` on a free loopback port (and a unix socket in that folder), stopped
and removed by :meth:`PostgresServer.stop`.

PostgreSQL refuses to run as root: as root, the server runs as the unprivileged
``nobody`` (the folder is made theirs); as anyone else, as that user.  The binaries
are found on ``PATH`` or in Debian's ``/usr/lib/postgresql/<version>/bin`` (``.ci/run``
installs the ``postgresql`` package when they are missing).
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

__all__ = ["PostgresServer", "find_bin"]

_USER = "nobody"


def find_bin() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``; ``FileNotFoundError`` when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0)
    if not versions:
        raise FileNotFoundError("PostgreSQL is not installed (no initdb): apt-get install postgresql")
    return Path(versions[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """A PostgreSQL server of its own; :meth:`new_database` gives each test a fresh database."""

    def __init__(self) -> None:
        self.bin = find_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="corral-pg-"))
        self.port = _free_port()
        self._as_root = os.geteuid() == 0
        if self._as_root:
            account = pwd.getpwnam(_USER)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self._run("initdb", "-D", str(self.folder / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "server.log"), "-w", "-t", "60",
                  "-o", f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off", "start")

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self._as_root:
            command = ["runuser", "-u", _USER, "--", *command]
        proc = subprocess.run(command, cwd=self.folder, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            log = self.folder / "server.log"
            raise RuntimeError(f"{tool} failed ({proc.returncode}): {proc.stdout}{proc.stderr}"
                               + (log.read_text() if log.exists() else ""))

    def url(self, database: str = "postgres") -> str:
        """The URL of ``database`` on this server."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database's URL."""
        import psycopg
        name = "records_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
