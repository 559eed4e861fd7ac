"""The password lookup's files under attack (issue #10, item 7).

Another local user may plant symlinks where the controller (often root) will write:
at the lock file's path or at the password file's path, pointing at a file only
root owns.  corral never follows them, never leaves a lock behind, and gives up on
a held lock after a bounded wait with a clear error instead of hanging the run.
Each case runs corral-playbook for real (local connection) with its own HOME and
TMPDIR; the "root-owned" victims are real files made by the test (which runs as
the same user as corral, so a followed link would really write through).
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
VICTIM_TEXT = "root:only-root-may-read-this\n"


def _lock_path(password_file: Path) -> Path:
    """Where the lookup keeps its lock (corral_template_lookups.password.lock_path)."""
    return password_file.parent / f".{password_file.name}.corral-lock"


def _legacy_lock_path(tmpdir: Path, password_file: Path) -> Path:
    """The predictable name the lookup used to lock in the temporary directory."""
    digest = hashlib.sha1(str(password_file).encode()).hexdigest()
    return tmpdir / f"corral-password-{digest}.lock"


class Run:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.tmpdir = root / "tmpdir"
        self.secrets = root / "secrets"
        self.victims = root / "victims"
        for directory in (self.home, self.tmpdir, self.secrets, self.victims):
            directory.mkdir()
        self.password_file = self.secrets / "db_password"

    def victim(self, name: str, content: str | None = VICTIM_TEXT) -> Path:
        path = self.victims / name
        if content is not None:
            path.write_text(content)
            path.chmod(0o600)
        return path

    def playbook(self, timeout: float = 60) -> subprocess.CompletedProcess:
        book = self.root / "site.yml"
        book.write_text(
            "- hosts: all\n  gather_facts: false\n  tasks:\n"
            "    - debug:\n"
            f"        msg: \"pw={{{{ lookup('password', '{self.password_file} length=16') }}}}\"\n")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("ANSIBLE_", "CORRAL_")) and k != "SSH_AUTH_SOCK"}
        env.update(HOME=str(self.home), TMPDIR=str(self.tmpdir), CORRAL_NOCOLOR="1")
        return subprocess.run([str(BIN / "corral-playbook"), "-i", "h1,h2,h3,h4", "-c", "local", str(book)],
                              env=env, cwd=self.root, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    def passwords(self, stdout: str) -> set[str]:
        return {line.split("pw=", 1)[1].strip().rstrip('"') for line in stdout.splitlines() if "pw=" in line}


@pytest.fixture
def run(tmp_path) -> Run:
    return Run(tmp_path)


def test_password_is_stored_private_and_no_lock_is_left(run):
    proc = run.playbook()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    stored = run.password_file.read_text().strip()
    assert run.passwords(proc.stdout) == {stored}  # four hosts at once, one password
    assert stat.S_IMODE(run.password_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in run.secrets.iterdir()) == ["db_password"]
    assert list(run.tmpdir.iterdir()) == []


def test_symlink_at_the_lock_path_is_not_followed(run):
    old_victim = run.victim("created-through-old-lock", content=None)
    _legacy_lock_path(run.tmpdir, run.password_file).symlink_to(old_victim)
    victim = run.victim("created-through-lock", content=None)
    lock = _lock_path(run.password_file)
    lock.symlink_to(victim)
    started = time.monotonic()
    proc = run.playbook()
    elapsed = time.monotonic() - started
    assert not victim.exists() and not old_victim.exists(), "a planted lock symlink was followed"
    assert lock.is_symlink()  # not ours: left for the user to look at, never written through
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"could not get the lock {lock}" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert elapsed < 30
    assert not run.password_file.exists()


@pytest.mark.parametrize("victim_exists", [True, False], ids=["existing", "dangling"])
def test_symlink_at_the_password_path_is_not_followed(run, victim_exists):
    victim = run.victim("shadow", content=VICTIM_TEXT if victim_exists else None)
    run.password_file.symlink_to(victim)
    proc = run.playbook()
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"password lookup: {run.password_file} is a symbolic link" in proc.stdout
    assert "only-root-may-read-this" not in proc.stdout + proc.stderr
    if victim_exists:
        assert victim.read_text() == VICTIM_TEXT
    else:
        assert not victim.exists()
    assert run.password_file.is_symlink()
    assert not _lock_path(run.password_file).exists()
    assert "Traceback" not in proc.stdout + proc.stderr


def test_held_lock_gives_a_bounded_clear_error(run):
    lock = _lock_path(run.password_file)
    lock.write_text("")
    legacy = os.open(_legacy_lock_path(run.tmpdir, run.password_file), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(legacy, fcntl.LOCK_EX)  # another process holding the old lock made the run hang
    try:
        started = time.monotonic()
        proc = run.playbook(timeout=40)
        elapsed = time.monotonic() - started
    finally:
        os.close(legacy)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"could not get the lock {lock} for {run.password_file} within 7 seconds" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert 6 < elapsed < 30
    assert lock.exists()  # someone else's lock is not ours to remove
    lock.unlink()
    proc = run.playbook()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not lock.exists()
