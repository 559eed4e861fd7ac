"""Controller temp files that hold secrets (issue #10, item 6).

A decrypted copy of a vaulted ``copy``/``template``/``script`` source, and content
rendered on its way to a host, live only in the process's private directory
(``corral.utils.private_tmp``: ``0700``, files ``0600``) and are gone when corral
exits, whether the run succeeded, failed or was interrupted with SIGINT.
``corral-vault`` leaves plaintext it writes ``0600``, as ``ansible-vault`` does.

The runs here are real: corral-playbook as a subprocess against the test sshd, the
controller's HOME and TMPDIR pointed at scratch directories that the test scans with
``os.stat`` while the copy task is held open by a slow ``validate`` command.
"""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

SECRET = "s3cr3t-plaintext-7f1c2e"
PASSWORD = "vault-password-for-tmp-tests"
BIN = Path(sys.executable).parent


def _mode(path: str | Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


class Controller:
    """A scratch controller: HOME and TMPDIR of its own, a vault password file and a
    vaulted source file holding :data:`SECRET`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.tmpdir = root / "tmpdir"
        self.files = root / "files"
        for directory in (self.home, self.tmpdir, self.files):
            directory.mkdir()
        self.password_file = self.files / "vault-pass"
        self.password_file.write_text(PASSWORD + "\n")
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("ANSIBLE_", "CORRAL_")) and k != "SSH_AUTH_SOCK"}
        self.env.update(HOME=str(self.home), TMPDIR=str(self.tmpdir), CORRAL_NOCOLOR="1")
        self.vaulted = self.files / "secret.txt"
        self.vaulted.write_text(f"password={SECRET}\n")
        self.vault("encrypt", str(self.vaulted))
        self.vaulted.chmod(0o644)

    def vault(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        proc = subprocess.run([str(BIN / "corral-vault"), *args, "--vault-password-file", str(self.password_file)],
                              env={**self.env, **(env or {})}, capture_output=True, text=True, timeout=60,
                              cwd=self.files, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stderr
        return proc

    def playbook(self, inventory: Path, tasks: str) -> subprocess.Popen:
        path = self.files / "site.yml"
        path.write_text(f"- hosts: host1\n  gather_facts: false\n  tasks:\n{tasks}")
        return subprocess.Popen([str(BIN / "corral-playbook"), "-i", str(inventory), str(path),
                                 "--vault-password-file", str(self.password_file)],
                                env=self.env, cwd=self.files, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, stdin=subprocess.DEVNULL)

    def secret_files(self) -> list[dict]:
        """Every controller file under HOME and TMPDIR holding the plaintext secret,
        with its mode and its directory's mode."""
        found = []
        for top in (self.home, self.tmpdir):
            for root, _, names in os.walk(top):
                for name in names:
                    path = os.path.join(root, name)
                    try:
                        with open(path, "rb") as handle:
                            if SECRET.encode() not in handle.read():
                                continue
                        found.append({"path": path, "mode": _mode(path), "dir": root, "dir_mode": _mode(root)})
                    except OSError:
                        continue  # removed while we looked
        return found

    def private_dirs(self) -> list[str]:
        """corral's private temp directories left under HOME and TMPDIR."""
        return [os.path.join(root, d) for top in (self.home, self.tmpdir)
                for root, dirs, _ in os.walk(top) for d in dirs if d.startswith("corral-local-")]

    def watch(self, proc: subprocess.Popen, timeout: float = 60) -> list[dict]:
        """Scan until a file holding the secret shows up on the controller (or the run ends)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            seen = self.secret_files()
            if seen:
                return seen
            time.sleep(0.02)
        return []


@pytest.fixture
def controller(tmp_path) -> Controller:
    return Controller(tmp_path)


def _copy_task(dest: str, validate: str) -> str:
    return (f"    - copy:\n        src: secret.txt\n        dest: {dest}\n"
            f"        validate: \"{validate}\"\n")


def _assert_private(controller: Controller, seen: list[dict]) -> None:
    assert seen, "the decrypted copy was never seen on the controller"
    for entry in seen:
        assert entry["mode"] == 0o600, f"{entry['path']} is {entry['mode']:04o}"
        assert entry["dir_mode"] == 0o700, f"{entry['dir']} is {entry['dir_mode']:04o}"
        # in the run's private directory (an action may make a private folder of its own inside it)
        folder = Path(entry["dir"])
        assert any(p.name.startswith("corral-local-") for p in (folder, *folder.parents)), entry["path"]


def _assert_nothing_left(controller: Controller) -> None:
    assert controller.secret_files() == []
    assert controller.private_dirs() == []
    assert [p.name for p in controller.tmpdir.iterdir()] == []


def test_decrypted_copy_is_private_while_in_use_and_removed_after_a_normal_exit(
        controller, corral_ssh_inventory, corral_ssh_user):
    dest = f"{corral_ssh_user.home}/tmp-normal.txt"
    proc = controller.playbook(corral_ssh_inventory(count=1),
                               _copy_task(dest, "sh -c 'sleep 2 && test -s %s'"))
    seen = controller.watch(proc)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    _assert_private(controller, seen)
    _assert_nothing_left(controller)


def test_decrypted_copy_is_removed_after_a_failed_run(controller, corral_ssh_inventory, corral_ssh_user):
    dest = f"{corral_ssh_user.home}/tmp-failed.txt"
    proc = controller.playbook(corral_ssh_inventory(count=1), _copy_task(dest, "sh -c 'sleep 2 && false %s'"))
    seen = controller.watch(proc)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, out + err
    assert "failed to validate" in out
    _assert_private(controller, seen)
    _assert_nothing_left(controller)


def test_template_content_is_private_and_removed(controller, corral_ssh_inventory, corral_ssh_user):
    (controller.files / "vars.yml").write_text(f"token: {SECRET}\n")
    controller.vault("encrypt", "vars.yml")
    (controller.files / "app.conf.j2").write_text("token={{ token }}\n")
    dest = f"{corral_ssh_user.home}/tmp-template.conf"
    proc = controller.playbook(
        corral_ssh_inventory(count=1),
        "    - include_vars: vars.yml\n"
        f"    - template:\n        src: app.conf.j2\n        dest: {dest}\n"
        "        validate: \"sh -c 'sleep 2 && test -s %s'\"\n")
    seen = controller.watch(proc)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    _assert_private(controller, seen)
    _assert_nothing_left(controller)


def test_decrypted_copy_is_removed_after_sigint(controller, corral_ssh_inventory, corral_ssh_user):
    dest = f"{corral_ssh_user.home}/tmp-sigint.txt"
    proc = controller.playbook(corral_ssh_inventory(count=1),
                               _copy_task(dest, "sh -c 'sleep 3 && test -s %s'"))
    seen = controller.watch(proc)
    _assert_private(controller, seen)
    proc.send_signal(signal.SIGINT)
    try:
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    _assert_nothing_left(controller)


def test_vaulted_archive_is_unpacked_and_no_plaintext_is_left(controller, corral_ssh_inventory, corral_ssh_user):
    import tarfile
    member = controller.files / "inside.txt"
    member.write_text(f"token={SECRET}\n")
    archive = controller.files / "bundle.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(member, arcname="inside.txt")
    member.unlink()
    controller.vault("encrypt", "bundle.tar")
    dest = f"{corral_ssh_user.home}/unpacked-bundle"
    proc = controller.playbook(
        corral_ssh_inventory(count=1),
        f"    - file:\n        path: {dest}\n        state: directory\n"
        f"    - unarchive:\n        src: bundle.tar\n        dest: {dest}\n"
        f"    - command: cat {dest}/inside.txt\n      register: inside\n"
        f"    - assert:\n        that: inside.stdout == 'token={SECRET}'\n")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    _assert_nothing_left(controller)


# -- corral-vault ----------------------------------------------------------------------

def test_vault_decrypt_and_encrypt_in_place_leave_the_file_0600(controller):
    target = controller.files / "plain.yml"
    target.write_text(f"secret: {SECRET}\n")
    target.chmod(0o644)
    controller.vault("encrypt", "plain.yml")
    assert _mode(target) == 0o600
    target.chmod(0o644)
    controller.vault("decrypt", "plain.yml")
    assert SECRET in target.read_text()
    assert _mode(target) == 0o600
    controller.vault("decrypt", "secret.txt", "--output", "out.txt")
    assert _mode(controller.files / "out.txt") == 0o600
    assert sorted(p.name for p in controller.files.iterdir() if p.name.startswith(".")) == []


def test_vault_edit_plaintext_is_private_and_removed_and_mode_kept(controller):
    log = controller.files / "edit.json"
    editor = controller.files / "editor.py"
    editor.write_text(
        "import json, os, sys\n"
        "path = sys.argv[-1]\n"
        "json.dump({'path': path, 'mode': os.stat(path).st_mode & 0o7777,\n"
        "           'dir_mode': os.stat(os.path.dirname(path)).st_mode & 0o7777,\n"
        "           'top_mode': os.stat(os.path.dirname(os.path.dirname(path))).st_mode & 0o7777},\n"
        f"          open({str(log)!r}, 'w'))\n"
        "open(path, 'a').write('more: 1\\n')\n")
    controller.vault("edit", "--skip-tty-check", "secret.txt", env={"EDITOR": f"{sys.executable} {editor}"})
    info = json.loads(log.read_text())
    assert info["mode"] == 0o600 and info["dir_mode"] == 0o700 and info["top_mode"] == 0o700
    assert not os.path.exists(info["path"]) and not os.path.exists(os.path.dirname(info["path"]))
    assert _mode(controller.vaulted) == 0o644  # edit keeps the vault file's mode, as ansible-vault
    _assert_nothing_left(controller)


# -- the private directory itself --------------------------------------------------------

def test_private_dir_is_shared_by_threads_and_not_removed_by_a_forked_child(tmp_path, monkeypatch):
    from corral.utils import private_tmp
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    private_tmp.cleanup()
    paths: list[str] = []

    def make() -> None:
        fd, path = private_tmp.mkstemp(prefix="t-")
        os.close(fd)
        paths.append(path)

    threads = [threading.Thread(target=make) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    parent_dir = private_tmp.directory()
    assert {os.path.dirname(p) for p in paths} == {parent_dir}
    assert _mode(parent_dir) == 0o700 and all(_mode(p) == 0o600 for p in paths)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child makes its own directory and cleans only that
        try:
            fd, path = private_tmp.mkstemp(prefix="child-")
            os.write(write, path.encode())
            private_tmp.cleanup()
        finally:
            os._exit(0)
    os.close(write)
    child_path = os.read(read, 4096).decode()
    os.waitpid(pid, 0)
    assert os.path.dirname(child_path) != parent_dir and not os.path.exists(os.path.dirname(child_path))
    assert all(os.path.exists(p) for p in paths)
    private_tmp.acquire()
    private_tmp.acquire()
    private_tmp.release()
    assert os.path.isdir(parent_dir)  # another run still holds it
    private_tmp.release()
    assert not os.path.exists(parent_dir)
    first = private_tmp.directory()
    os.chmod(first, 0o755)  # no longer private: never used again
    second = private_tmp.directory()
    assert second != first and _mode(second) == 0o700
    private_tmp.cleanup()
    os.rmdir(first)
