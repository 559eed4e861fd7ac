"""put_file / fetch_file over SFTP: streamed, modes kept, clear errors."""
from __future__ import annotations

import hashlib
import os
import resource

import pytest

from corral.errors import CorralFileNotFound


def _sha(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "big.bin"
    with open(path, "wb") as fh:
        for _ in range(48):
            fh.write(os.urandom(1 << 20))
    path.chmod(0o640)
    return path


def test_put_and_fetch_a_large_file_streamed(connect, corral_ssh_user, big_file, tmp_path):
    conn = connect()
    remote = f"{corral_ssh_user.home}/big.bin"
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    conn.put_file(str(big_file), remote)
    rc, out, _ = conn.exec_command(f"sha256sum {remote}; stat -c %a {remote}")
    assert rc == 0
    digest, _name, mode = out.decode().split()
    assert digest == _sha(big_file) and mode == "640"
    fetched = tmp_path / "fetched.bin"
    conn.put_file(str(big_file), remote)            # again, over the same SFTP session
    conn.fetch_file(remote, str(fetched))
    assert _sha(fetched) == _sha(big_file)
    assert oct(fetched.stat().st_mode & 0o777) == "0o640"
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert grown_kib < 32 * 1024, "a 48 MiB transfer must not be read into memory"
    conn.exec_command(f"rm -f {remote}")


def test_executable_mode_is_kept(connect, corral_ssh_user, tmp_path):
    script = tmp_path / "run.sh"
    script.write_text("#!/bin/sh\necho ran\n")
    script.chmod(0o755)
    conn = connect()
    remote = f"{corral_ssh_user.home}/run.sh"
    conn.put_file(str(script), remote)
    assert conn.exec_command(remote) == (0, b"ran\n", b"")


def test_missing_local_file(connect, tmp_path):
    with pytest.raises(CorralFileNotFound, match="nope"):
        connect().put_file(str(tmp_path / "nope"), "/tmp/x")


def test_missing_remote_file_leaves_nothing_behind(connect, tmp_path):
    target = tmp_path / "out"
    with pytest.raises(CorralFileNotFound, match="/no/such/file"):
        connect().fetch_file("/no/such/file", str(target))
    assert list(tmp_path.iterdir()) == []


def test_remote_directory_not_writable(connect, tmp_path):
    src = tmp_path / "f"
    src.write_text("x")
    conn = connect()
    with pytest.raises(Exception, match="/root/f"):
        conn.put_file(str(src), "/root/f")
    assert conn.exec_command("echo still")[1] == b"still\n"
