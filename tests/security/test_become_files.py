"""Issue #10, item 2: files written with ``become`` belong to the become user, never to the
login user; temporary files for an unprivileged become user are never world-readable
without the opt-in; a module never replaces its destination and then reports failure.

End to end over the real sshd: the login user (``corral_ssh_user``) has sudo with a
password; the second user (``corral_su_user``) is the unprivileged become user.  The
target is this machine, so the results are checked with ``os.stat`` and ``getfacl``.

Every way of sharing temp files with an unprivileged become user is exercised on any
machine: the ACL on the shared server (this machine has the ``acl`` package; ``.ci/run``
installs it), and the other ways, and Ansible's failure when none works, on a server
whose sessions have no ``setfacl`` (``no_acl_sshd``, a host without the package).
"""
from __future__ import annotations

import grp
import json
import os
import pwd
import secrets
import shlex
import shutil
import stat
import subprocess
import tempfile
import textwrap
from pathlib import Path
from typing import Iterator

import pytest

from corral.executor.module_payload import build_module_payload, parse_module_output
from corral.plugins.connection import Become
from corral.plugins.manager import PluginManager
from pytest_corral.sshd import SshServer, target_python

#: Ansible's message when no way to share temp files with an unprivileged become user works
SHARE_FAILED = ("Failed to set permissions on the temporary files Ansible needs to create when becoming "
                "an unprivileged user")
WORLD_READABLE_WARNING = ("[WARNING]: Using world-readable permissions for temporary files Ansible needs to "
                          "create when becoming an unprivileged user. This may be insecure.")
#: the programs of Debian's ``acl`` package
ACL_TOOLS = ("setfacl", "getfacl", "chacl")
#: the directories of the PATH sshd gives a non-root session (OpenSSH's default)
SESSION_PATH = ("/usr/local/bin", "/usr/bin", "/bin", "/usr/games")
#: the PATH sudo gives its commands on Debian, where it finds setfacl
SUDO_SECURE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _acl_tool(name: str) -> str:
    """The path of a program of the ``acl`` package on this machine (the target); the
    test fails, naming the package, when it is not installed."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: these tests need Debian's acl package (.ci/run installs it)",
                    pytrace=False)
    return path


def _uid(name: str) -> int:
    return pwd.getpwnam(name).pw_uid


def _owner(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)
    return st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)


@pytest.fixture
def root_dir() -> Iterator[Path]:
    """A directory only root may write (like /etc/sudoers.d), readable by everyone."""
    path = Path(tempfile.mkdtemp(prefix="corral-become-root-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def become_user_dir(corral_su_user) -> Iterator[Path]:
    """A directory owned by the unprivileged become user, 0755."""
    path = Path(tempfile.mkdtemp(prefix="corral-become-user-", dir="/tmp"))
    path.chmod(0o755)
    shutil.chown(path, corral_su_user.name, corral_su_user.name)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def no_acl_sshd(corral_sshd_factory, corral_ssh_user, corral_su_user, connect) -> Iterator[SshServer]:
    """A server like a host without the ``acl`` package: its sessions' PATH (sshd's
    ``SetEnv``, which no login file overrides) is a directory of links to every program
    of the default session PATH except the package's.  The become_tmp chain runs
    ``setfacl`` by name as the login user, in such a session, so it finds none.  Sudo
    is given Debian's ``secure_path`` for the login user whatever this machine's
    sudoers say, so a chain run through sudo would find ``setfacl``: the tests on this
    server show it is not.  Both facts are checked here, over the server itself."""
    setfacl = _acl_tool("setfacl")
    bindir = Path(tempfile.mkdtemp(prefix="corral-no-acl-bin-", dir="/tmp"))
    bindir.chmod(0o755)
    dropin = Path("/etc/sudoers.d") / f"corral-test-{corral_ssh_user.name}-secure-path"
    dropin.write_text(f'Defaults:{corral_ssh_user.name} secure_path="{SUDO_SECURE_PATH}"\n')
    dropin.chmod(0o440)
    try:
        for directory in SESSION_PATH:
            for entry in sorted(os.listdir(directory)) if os.path.isdir(directory) else ():
                link = bindir / entry
                if entry not in ACL_TOOLS and not link.is_symlink():
                    link.symlink_to(os.path.join(directory, entry))
        server = corral_sshd_factory(users=[corral_ssh_user, corral_su_user],
                                     extra_config=f"SetEnv PATH={bindir}\n")
        conn = connect(server=server)
        rc, out, err = conn.exec_command('echo "$PATH"; for p in setfacl getfacl chacl sudo chmod; do '
                                         'command -v $p; done; true')
        expected = [str(bindir), str(bindir / "sudo"), str(bindir / "chmod")]
        assert (rc, out.decode().split()) == (0, expected), err
        rc, out, err = conn.exec_command("command -v setfacl",
                                         become=Become(password=corral_ssh_user.password))
        assert (rc, out.decode().strip()) == (0, shutil.which("setfacl", path=SUDO_SECURE_PATH)), err
        assert os.path.realpath(out.decode().strip()) == os.path.realpath(setfacl)
        yield server
    finally:
        dropin.unlink(missing_ok=True)
        shutil.rmtree(bindir, ignore_errors=True)


def _play(tmp_path: Path, tasks: str, become_user: str | None = None, play_vars: dict | None = None) -> Path:
    head = "- hosts: ssh\n  gather_facts: false\n  become: true\n"
    if become_user:
        head += f"  become_user: {become_user}\n"
    if play_vars:
        head += "  vars:\n" + "".join(f"    {k}: {json.dumps(v)}\n" for k, v in play_vars.items())
    playbook = tmp_path / f"play-{secrets.token_hex(3)}.yml"
    playbook.write_text(head + "  tasks:\n" + textwrap.indent(textwrap.dedent(tasks), "    "))
    return playbook


def _run(cli, inventory: Path, playbook: Path, *args: str):
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook), *args)
    return proc, proc.stdout + proc.stderr


# -- becoming root: new files are root's, existing files keep their owner and mode --------------------

def test_new_files_written_with_become_belong_to_root_and_replaced_files_keep_their_owner(
        corral_ssh_inventory, corral_ssh_user, root_dir, tmp_path, cli):
    inventory = corral_ssh_inventory(count=1, become_password=True)
    login = _uid(corral_ssh_user.name)
    (tmp_path / "src.txt").write_text("from the controller\n")
    (tmp_path / "src.txt").chmod(0o600)        # the source's mode is not the new file's
    (tmp_path / "t.j2").write_text("rendered {{ 6 * 7 }}\n")
    (tmp_path / "download.txt").write_text("downloaded\n")
    (tmp_path / "download.txt").chmod(0o644)
    existing = {"old_copy": 0o600, "old_template": 0o640, "old_lineinfile": 0o604}
    for name, mode in existing.items():
        (root_dir / name).write_text("old\n")
        os.chown(root_dir / name, login, login)
        (root_dir / name).chmod(mode)
    d = root_dir
    playbook = _play(tmp_path, f"""\
        - copy: {{content: "by content\\n", dest: {d}/content}}
        - copy: {{src: {tmp_path}/src.txt, dest: {d}/src}}
        - template: {{src: {tmp_path}/t.j2, dest: {d}/template}}
        - lineinfile: {{path: {d}/lineinfile, line: a line, create: true}}
        - blockinfile: {{path: {d}/blockinfile, block: a block, create: true}}
        - file: {{path: {d}/touched, state: touch}}
        - get_url: {{url: "file://{tmp_path}/download.txt", dest: {d}/get_url}}
        - copy: {{content: "new\\n", dest: {d}/old_copy, backup: true}}
          register: copied
        - copy: {{content: "{{{{ copied.backup_file }}}}", dest: {tmp_path}/backup_name}}
          delegate_to: localhost
          become: false
        - template: {{src: {tmp_path}/t.j2, dest: {d}/old_template}}
        - lineinfile: {{path: {d}/old_lineinfile, line: added}}
        """)
    proc, out = _run(cli, inventory, playbook)
    assert proc.returncode == 0, out
    assert cli.recap(proc.stdout)["host1"]["changed"] == 11, out
    created = ("content", "src", "template", "lineinfile", "blockinfile", "touched", "get_url")
    wrong = {name: _owner(d / name) for name in created if _owner(d / name) != (0, 0, 0o644)}
    assert wrong == {}, f"not root:root 0644 (the login user is uid {login})"
    assert {name: _owner(d / name) for name in existing} == {
        name: (login, login, mode) for name, mode in existing.items()}, "replaced files keep owner and mode"
    assert (d / "template").read_text() == "rendered 42\n"
    assert (d / "src").read_text() == "from the controller\n"
    assert (d / "old_copy").read_text() == "new\n"
    assert (d / "old_lineinfile").read_text() == "old\nadded\n"
    backup = Path((tmp_path / "backup_name").read_text())
    assert backup.parent == d and _owner(backup) == (login, login, 0o600), "a backup keeps owner and mode"
    assert sorted(p.name for p in d.iterdir()) == sorted([*created, *existing, backup.name]), "no temp file left"


def test_requested_owner_and_mode_are_applied(corral_ssh_inventory, root_dir, tmp_path, cli):
    inventory = corral_ssh_inventory(count=1, become_password=True)
    playbook = _play(tmp_path, f"""\
        - copy: {{content: "x\\n", dest: {root_dir}/owned, owner: nobody, mode: "0600"}}
        - lineinfile: {{path: {root_dir}/edited, line: x, create: true, mode: "0600"}}
          register: edited
        - assert: {{that: 'edited.msg == "line added and ownership, perms or SE linux context changed"'}}
        """)
    proc, out = _run(cli, inventory, playbook)
    assert proc.returncode == 0, out
    assert _owner(root_dir / "owned") == (_uid("nobody"), 0, 0o600)
    assert _owner(root_dir / "edited") == (0, 0, 0o600)


def test_copy_module_run_the_plain_way_gives_the_transferred_file_to_root(
        connect, corral_ssh_user, root_dir, tmp_path):
    """The module run by ``python3 -`` under sudo (the path without a module server),
    on a source the login user put on the target, as the copy action does."""
    conn = connect()
    rc, out, err = conn.exec_command("umask 77 && mktemp -d")
    assert rc == 0, err
    remote_tmp = out.decode().strip()
    local = tmp_path / "payload.txt"
    local.write_text("transferred\n")
    conn.put_file(str(local), f"{remote_tmp}/source")
    spec = PluginManager().modules()["copy"]
    payload = build_module_payload(spec, {"src": f"{remote_tmp}/source", "dest": str(root_dir / "placed"),
                                          "_original_basename": "payload.txt"})
    try:
        rc, out, err = conn.exec_command(f"{target_python()} -", payload,
                                         become=Become(password=corral_ssh_user.password))
    finally:
        conn.exec_command(f"rm -rf {remote_tmp}")
    result = parse_module_output(rc, out, err)
    assert not result.get("failed"), result
    assert (result["owner"], result["group"], result["mode"]) == ("root", "root", "0644")
    assert _owner(root_dir / "placed") == (0, 0, 0o644)


def test_a_symlink_in_the_login_users_temp_dir_is_never_put_in_place_by_root(
        connect, corral_ssh_user, root_dir, tmp_path):
    """The login user can swap its transferred file for a symlink before the module runs
    as root: root must not rename that link into place, nor chmod what it points to."""
    secret = root_dir / "root-only"
    secret.write_text("root's secret\n")
    secret.chmod(0o600)
    conn = connect()
    rc, out, err = conn.exec_command(f"umask 77 && d=$(mktemp -d) && ln -s {secret} $d/source && echo $d")
    assert rc == 0, err
    remote_tmp = out.decode().strip()
    spec = PluginManager().modules()["copy"]
    payload = build_module_payload(spec, {"src": f"{remote_tmp}/source", "dest": str(root_dir / "placed")})
    try:
        rc, out, err = conn.exec_command(f"{target_python()} -", payload,
                                         become=Become(password=corral_ssh_user.password))
    finally:
        conn.exec_command(f"rm -rf {remote_tmp}")
    result = parse_module_output(rc, out, err)
    assert result.get("failed"), result
    assert _owner(secret) == (0, 0, 0o600)
    assert not (root_dir / "placed").is_symlink() and not (root_dir / "placed").exists()
    assert sorted(p.name for p in root_dir.iterdir()) == ["root-only"]


# -- never replace the destination and then report failure ---------------------------------------------

def test_a_bad_owner_fails_the_task_and_leaves_the_destination_untouched(
        corral_ssh_inventory, corral_ssh_user, root_dir, tmp_path, cli):
    inventory = corral_ssh_inventory(count=1, become_password=True)
    login = _uid(corral_ssh_user.name)
    for name in ("copied", "templated", "edited"):
        (root_dir / name).write_text("original\n")
        os.chown(root_dir / name, login, login)
        (root_dir / name).chmod(0o640)
    (tmp_path / "t.j2").write_text("replacement\n")
    playbook = _play(tmp_path, f"""\
        - copy: {{content: "replacement\\n", dest: {root_dir}/copied, owner: no-such-user-x}}
          ignore_errors: true
        - template: {{src: {tmp_path}/t.j2, dest: {root_dir}/templated, group: no-such-group-x}}
          ignore_errors: true
        - lineinfile: {{path: {root_dir}/edited, line: added, owner: no-such-user-x}}
          ignore_errors: true
        - copy: {{content: "new\\n", dest: {root_dir}/never_created, owner: no-such-user-x}}
          ignore_errors: true
        """)
    proc, out = _run(cli, inventory, playbook)
    assert proc.returncode == 0, out
    assert cli.recap(proc.stdout)["host1"]["ignored"] == 4, out
    assert out.count("chown failed: failed to look up user no-such-user-x") >= 3, out
    assert "chgrp failed: failed to look up group no-such-group-x" in out
    for name in ("copied", "templated", "edited"):
        assert (root_dir / name).read_text() == "original\n", name
        assert _owner(root_dir / name) == (login, login, 0o640), name
    assert sorted(p.name for p in root_dir.iterdir()) == ["copied", "edited", "templated"], "no temp file left"


def test_an_owner_the_become_user_cannot_give_leaves_the_destination_untouched(
        corral_ssh_inventory, corral_su_user, become_user_dir, tmp_path, cli):
    inventory = corral_ssh_inventory(count=1, become_password=True)
    target = become_user_dir / "kept"
    target.write_text("original\n")
    shutil.chown(target, corral_su_user.name, corral_su_user.name)
    playbook = _play(tmp_path, f"""\
        - lineinfile: {{path: {target}, line: added, owner: root}}
        """, become_user=corral_su_user.name)
    proc, out = _run(cli, inventory, playbook)
    assert proc.returncode == 2, out
    assert "chown failed" in out and "Operation not permitted" in out
    assert target.read_text() == "original\n"
    assert sorted(p.name for p in become_user_dir.iterdir()) == ["kept"]


# -- becoming an unprivileged user ---------------------------------------------------------------------

# The script reports, as the become user while its task runs, its own temporary directory
# and file (mode, owner, group and ACL entries, by this machine's getfacl, named by its
# path: the no-acl server's sessions have none on their PATH), then who runs it.
_SHOW_TMP = """#!/bin/sh
for f in "$(dirname "$0")" "$0"; do
  echo "$(stat -c '%a %U %G' "$f") $({getfacl} -cp "$f" | tr '\\n' ' ')"
done
id -un
"""


def _unprivileged_play(tmp_path: Path, dest_dir: Path, su_user: str, play_vars: dict | None = None) -> Path:
    """copy (content and a controller file), template as the unprivileged user, then a
    script that reports its own temporary directory and file, as seen while it runs."""
    (tmp_path / "src.txt").write_text("from the controller\n")
    (tmp_path / "src.txt").chmod(0o644)        # group and others could read it here
    (tmp_path / "t.j2").write_text("for {{ inventory_hostname }}\n")
    (tmp_path / "show.sh").write_text(_SHOW_TMP.format(getfacl=shlex.quote(_acl_tool("getfacl"))))
    return _play(tmp_path, f"""\
        - copy: {{content: "hello\\n", dest: {dest_dir}/copied}}
        - copy: {{src: {tmp_path}/src.txt, dest: {dest_dir}/copied_src}}
        - template: {{src: {tmp_path}/t.j2, dest: {dest_dir}/templated}}
        - script: {tmp_path}/show.sh
          register: shown
        - debug: {{msg: "SHOWN {{{{ shown.stdout_lines | join(',') }}}}"}}
        """, become_user=su_user, play_vars=play_vars)


def _shown(out: str) -> tuple[tuple[int, str, str, set[str]], tuple[int, str, str, set[str]], str]:
    """What the script saw: ``(mode, owner, group, ACL entries)`` of its temporary
    directory, then of itself, then the user it ran as."""
    line = next(l for l in out.splitlines() if "SHOWN " in l)
    directory, script, whoami = line.split("SHOWN ", 1)[1].rstrip('"').split(",")

    def parse(shown: str) -> tuple[int, str, str, set[str]]:
        mode, owner, group, *acl = shown.split()
        return int(mode, 8), owner, group, set(acl)

    return parse(directory), parse(script), whoami


def _check_results(dest_dir: Path, become_user: str) -> None:
    """The become user wrote the three files (it could read what the login user sent)."""
    become_uid = _uid(become_user)
    for name, content in (("copied", "hello\n"), ("copied_src", "from the controller\n"),
                          ("templated", "for host1\n")):
        assert (dest_dir / name).read_text() == content, name
        assert _owner(dest_dir / name) == (become_uid, grp.getgrnam(become_user).gr_gid, 0o644), name
        assert _acl(dest_dir / name) == {"user::rw-", "group::r--", "other::r--"}, "no ACL on the result"


def _acl(path: Path) -> set[str]:
    return set(subprocess.run([_acl_tool("getfacl"), "-cp", str(path)], capture_output=True, text=True,
                              check=True).stdout.split())


def _tmp_dirs_of(user: str) -> list[Path]:
    return [p for p in Path("/var/tmp").glob("corral-tmp-*") if p.owner() == user]


@pytest.mark.parametrize("opt_in", [False, True], ids=["default", "world-readable-allowed"])
def test_unprivileged_become_shares_temp_files_by_acl_with_the_become_user_only(
        corral_ssh_inventory, corral_ssh_user, corral_su_user, become_user_dir, tmp_path, cli, opt_in):
    """With setfacl on the target, the ACL comes first: no opt-in needed, none used."""
    _acl_tool("setfacl")
    inventory = corral_ssh_inventory(count=1, become_password=True)
    play_vars = {"ansible_shell_allow_world_readable_temp": True} if opt_in else None
    proc, out = _run(cli, inventory, _unprivileged_play(tmp_path, become_user_dir, corral_su_user.name,
                                                        play_vars=play_vars))
    assert proc.returncode == 0, out
    assert cli.recap(proc.stdout)["host1"]["changed"] == 4, out
    assert "WARNING" not in out and "world-readable" not in out, out
    _check_results(become_user_dir, corral_su_user.name)
    login, become = corral_ssh_user.name, corral_su_user.name
    directory, script, whoami = _shown(out)
    assert whoami == become
    # with an ACL, the group bits of the mode are the mask: the owning group has none
    assert directory == (0o750, login, login, {"user::rwx", f"user:{become}:r-x", "group::---",
                                                "mask::r-x", "other::---"})
    assert script == (0o750, login, login, {"user::rwx", f"user:{become}:r-x", "group::---",
                                             "mask::r-x", "other::---"})
    assert _tmp_dirs_of(login) == [], "the task's temp directory is removed"


def test_unprivileged_become_without_a_way_to_share_temp_files_fails_like_ansible(
        no_acl_sshd, corral_ssh_inventory, corral_ssh_user, corral_su_user, become_user_dir, tmp_path, cli):
    inventory = corral_ssh_inventory(count=1, server=no_acl_sshd, become_password=True)
    proc, out = _run(cli, inventory, _unprivileged_play(tmp_path, become_user_dir, corral_su_user.name))
    assert proc.returncode == 2, out
    assert SHARE_FAILED in out and "#risks-of-becoming-an-unprivileged-user" in out
    assert "SHOWN" not in out and "Traceback" not in out
    assert list(become_user_dir.iterdir()) == []
    assert _tmp_dirs_of(corral_ssh_user.name) == [], "the task's temp directory is removed"


def test_unprivileged_become_shares_temp_files_through_the_common_group_only(
        no_acl_sshd, corral_ssh_inventory, corral_ssh_user, corral_su_user, become_user_dir, tmp_path, cli):
    group = f"crg{secrets.token_hex(3)}"
    subprocess.run(["groupadd", group], check=True, capture_output=True)
    try:
        for user in (corral_ssh_user.name, corral_su_user.name):
            subprocess.run(["usermod", "-aG", group, user], check=True, capture_output=True)
        inventory = corral_ssh_inventory(count=1, server=no_acl_sshd, become_password=True)
        playbook = _unprivileged_play(tmp_path, become_user_dir, corral_su_user.name,
                                      play_vars={"ansible_common_remote_group": group})
        proc, out = _run(cli, inventory, playbook)
    finally:
        subprocess.run(["groupdel", group], capture_output=True)
    assert proc.returncode == 0, out
    assert "world-readable" not in out
    _check_results(become_user_dir, corral_su_user.name)
    directory, script, whoami = _shown(out)
    assert whoami == corral_su_user.name
    login = corral_ssh_user.name
    assert directory == (0o750, login, group, {"user::rwx", "group::r-x", "other::---"})
    assert script == (0o750, login, group, {"user::rwx", "group::r-x", "other::---"})
    assert _tmp_dirs_of(login) == [], "the task's temp directory is removed"


@pytest.mark.parametrize("opt_in", ["env", "cfg", "var"])
def test_world_readable_temp_files_only_with_the_opt_in_and_a_warning(
        no_acl_sshd, corral_ssh_inventory, corral_ssh_user, corral_su_user, become_user_dir, tmp_path, cli,
        monkeypatch, opt_in):
    inventory = corral_ssh_inventory(count=1, server=no_acl_sshd, become_password=True)
    play_vars = None
    if opt_in == "env":
        monkeypatch.setenv("ANSIBLE_SHELL_ALLOW_WORLD_READABLE_TEMP", "true")
    elif opt_in == "cfg":
        cfg = tmp_path / "ansible.cfg"
        cfg.write_text("[defaults]\nallow_world_readable_tmpfiles = true\n")
        monkeypatch.setenv("ANSIBLE_CONFIG", str(cfg))
    else:
        play_vars = {"ansible_shell_allow_world_readable_temp": True}
    playbook = _unprivileged_play(tmp_path, become_user_dir, corral_su_user.name, play_vars=play_vars)
    proc, out = _run(cli, inventory, playbook)
    assert proc.returncode == 0, out
    assert out.count(WORLD_READABLE_WARNING) == 1, out
    _check_results(become_user_dir, corral_su_user.name)
    directory, script, whoami = _shown(out)
    assert whoami == corral_su_user.name
    login = corral_ssh_user.name
    assert directory == (0o755, login, login, {"user::rwx", "group::r-x", "other::r-x"})
    assert script == (0o755, login, login, {"user::rwx", "group::r-x", "other::r-x"})
    assert _tmp_dirs_of(login) == [], "the task's temp directory is removed"
