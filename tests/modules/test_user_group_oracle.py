"""``user`` and ``group`` as ansible-core 2.21 runs them on this Debian host: each play runs twice
with corral-playbook and with ``.oracle/bin/ansible-playbook``, each in its own mount namespace with
private copies of /etc, /home, /var/log and /var/mail (``accounts.py``), from the same start. The
registered results, the screen output, /etc/passwd, shadow, group, gshadow and the /home tree
(paths, modes, owners) must be equal; values that must differ are the generated SSH keys (their
public key and fingerprint). The second run of an idempotent play reports changed=0 in both."""
from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from .accounts import run_both

HASH = "$6$salt$IxDD3jeSOb5eB1CX5LBsqZFVkJdido3OUILO5Ifz5iwMuTS4XMS130MTSuDDl3aCI6WouIL9AjRbLCelDCy.g."
OTHER_HASH = "$6$pepper$3m0Kc4bQXb5GzGd6hGzQ3fJ0aRzXWmIRW1vm4KsGj3v6yDzlFqfvNdM4n5xZhD7lR6uJmYzN5a1VwQw2s7o0T."
FAKE_LIBUSER = Path(__file__).resolve().parent / "data" / "fake_libuser.sh"
LIBUSER_COMMANDS = ("luseradd", "lusermod", "luserdel", "lgroupadd", "lgroupmod", "lgroupdel", "lchage")


def _keys_named(value: Any) -> Any:
    """Generated key material replaced by what it stands for."""
    if isinstance(value, dict):
        return {key: ("<KEY>" if key in ("ssh_public_key", "ssh_fingerprint") and value[key] else _keys_named(item))
                for key, item in value.items()}
    if isinstance(value, list):
        return [_keys_named(item) for item in value]
    return value


def _same(corral: dict[str, Any], ansible: dict[str, Any]) -> None:
    assert _keys_named(corral["runs"]) == _keys_named(ansible["runs"])
    for ours, theirs in zip(corral["stdout"], ansible["stdout"]):
        assert ours == theirs, "\n".join(difflib.unified_diff(theirs.splitlines(), ours.splitlines(),
                                                               "ansible-core", "corral", lineterm=""))
    assert corral["files"] == ansible["files"]
    assert corral["home"] == ansible["home"]
    assert corral["mail"] == ansible["mail"]


def _changed(outcome: dict[str, Any], run: int) -> list[bool]:
    return [result.get("changed") for result in outcome["runs"][run]]


def test_create_with_every_linux_option(tmp_path) -> None:
    tasks = [
        {"group": {"name": "s7grp", "gid": 45010}},
        {"group": {"name": "s7grp2", "gid_min": 45100, "gid_max": 45200, "system": True}},
        {"user": {"name": "s7u1", "uid": 45011, "groups": ["s7grp", "s7grp2"], "append": True, "comment": "S7 One",
                  "shell": "/bin/bash", "password": HASH, "password_expire_max": 90, "password_expire_min": 1,
                  "password_expire_warn": 7, "expires": 1924992000, "umask": "0027", "skeleton": "/etc/s7skel"}},
        {"user": {"name": "s7u2", "uid_min": 45300, "uid_max": 45400, "create_home": False,
                  "password_lock": True, "password": HASH, "login_class": "staff", "hidden": True,
                  "profile": "p", "role": "r", "authorization": "a", "seuser": "user_u"}},
        {"user": {"name": "s7u3", "system": True, "home": "/home/deep/er/s7u3", "group": "s7grp",
                  "password_expire_max": 30}},
        {"user": {"name": "s7grp", "comment": "named like a group"}},
        {"user": {"name": "s7u4", "uid": 45011, "non_unique": True, "create_home": False}},
    ]
    setup = "mkdir /etc/s7skel && echo hi > /etc/s7skel/.hello && mkdir /etc/s7skel/sub"
    corral, ansible = run_both(tmp_path, tasks, setup)
    _same(corral, ansible)
    assert _changed(ansible, 0) == [True] * 7 and _changed(ansible, 1) == [False] * 7
    passwd = dict(line.split(":", 1) for line in corral["files"]["passwd"].splitlines())
    assert passwd["s7u1"] == "x:45011:45011:S7 One:/home/s7u1:/bin/bash"
    assert passwd["s7u3"].split(":")[4] == "/home/deep/er/s7u3"
    shadow = {line.split(":")[0]: line.split(":") for line in corral["files"]["shadow"].splitlines()}
    assert shadow["s7u1"][1] == HASH and shadow["s7u1"][3:6] == ["1", "90", "7"] and shadow["s7u1"][7] == "22280"
    assert shadow["s7u2"][1] == "!" + HASH
    assert "./s7u1/.hello -rw-r--r-- s7u1 s7u1 " in corral["home"]
    assert "./s7u1 drwxr-x--- s7u1 s7u1 " in corral["home"]


def test_modify_an_existing_account(tmp_path) -> None:
    setup = ("groupadd -g 45020 s7a; groupadd -g 45021 s7b; groupadd -g 45022 s7c; "
             "useradd -m -u 45023 -G s7a,s7b -c old -s /bin/sh -e 2030-01-01 s7u1; "
             "echo hello > /home/s7u1/file")
    tasks = [
        {"user": {"name": "s7u1", "uid": 45024, "group": "s7c", "groups": ["s7b"], "comment": "new",
                  "shell": "/bin/bash", "home": "/home/moved", "move_home": True, "expires": 1956528000,
                  "password": HASH, "password_expire_max": 60, "password_expire_warn": 3}},
        {"user": {"name": "s7u1", "password_lock": True}},
        {"user": {"name": "s7u1", "password": OTHER_HASH, "update_password": "on_create"}},
    ]
    corral, ansible = run_both(tmp_path, tasks, setup)
    _same(corral, ansible)
    assert _changed(ansible, 0) == [True, True, False] and _changed(ansible, 1) == [False] * 3
    assert "./moved/file -rw-r--r-- root root " in corral["home"] and "./moved drwxr-xr-x s7u1 s7c " in corral["home"]
    group = {line.split(":")[0]: line for line in corral["files"]["group"].splitlines()}
    assert group["s7a"].endswith(":") and group["s7b"].endswith(":s7u1") and group["s7c"].endswith(":")


def test_undo_groups_expiry_lock_and_password(tmp_path) -> None:
    setup = ("groupadd s7a; useradd -m -G s7a -e 2030-01-01 -p '" + HASH + "' s7u1; usermod -L s7u1")
    tasks = [
        {"user": {"name": "s7u1", "groups": "", "expires": -1, "password_lock": False}},
        {"user": {"name": "s7u1", "password": OTHER_HASH, "password_lock": True}},
        {"user": {"name": "s7u1", "password": "not-a-hash"}},
        {"user": {"name": "s7u1", "groups": ["s7a"], "append": True}},
        {"user": {"name": "s7u1", "append": True}},
        {"user": {"name": "s7u1", "expires": 1e300}},
    ]
    corral, ansible = run_both(tmp_path, tasks, setup)
    _same(corral, ansible)
    assert _changed(ansible, 0) == [True, True, True, True, False, False]
    assert ansible["runs"][0][4]["failed"] is True and ansible["runs"][0][5]["failed"] is True
    assert "The input password appears not to have been hashed" in corral["stdout"][0]


def test_check_mode_changes_nothing(tmp_path) -> None:
    setup = "groupadd s7a; useradd -m -s /bin/sh s7u1; rm -r /home/s7u1"
    tasks = [
        {"user": {"name": "s7new", "password": HASH}, "check_mode": True},
        {"user": {"name": "s7u1", "shell": "/bin/bash", "groups": ["s7a"], "password_expire_max": 10,
                  "generate_ssh_key": True}, "check_mode": True},
        {"user": {"name": "s7u1", "state": "absent", "remove": True}, "check_mode": True},
        {"group": {"name": "s7new"}, "check_mode": True},
        {"group": {"name": "s7a", "gid": 45030}, "check_mode": True},
        {"group": {"name": "s7a", "state": "absent"}, "check_mode": True},
    ]
    corral, ansible = run_both(tmp_path, tasks, setup, extra_args=("--diff",))
    _same(corral, ansible)
    assert _changed(ansible, 0) == [True] * 6 == _changed(ansible, 1)


def test_missing_home_is_made_from_the_skeleton(tmp_path) -> None:
    setup = "useradd -M -d /home/s7u1 s7u1; useradd -M -d /nonexistent s7u2"
    tasks = [{"user": {"name": "s7u1"}}, {"user": {"name": "s7u2"}}]
    corral, ansible = run_both(tmp_path, tasks, setup)
    _same(corral, ansible)
    assert _changed(ansible, 0) == [True, False] and _changed(ansible, 1) == [False, False]


def test_remove_accounts_and_groups(tmp_path) -> None:
    setup = ("groupadd -g 45040 s7prim; useradd -m -g s7prim s7u1; useradd -m s7u2; "
             "useradd -m -g s7prim s7u3")
    tasks = [
        {"group": {"name": "s7prim", "state": "absent"}},
        {"user": {"name": "s7u1", "state": "absent", "remove": True, "force": True}},
        {"user": {"name": "s7u2", "state": "absent"}},
        {"group": {"name": "s7prim", "state": "absent", "force": True}},
        {"group": {"name": "s7u2", "state": "absent"}},
    ]
    corral, ansible = run_both(tmp_path, tasks, setup)
    _same(corral, ansible)
    assert ansible["runs"][0][0]["failed"] is True
    # userdel removed s7u2's own group already
    assert _changed(ansible, 0)[1:] == [True, True, True, False] and _changed(ansible, 1)[1:] == [False] * 4


def test_group_gid_changes_and_refusals(tmp_path) -> None:
    setup = "groupadd -g 45050 s7a; groupadd -g 45051 s7b"
    tasks = [
        {"group": {"name": "s7a", "gid": 45052}},
        {"group": {"name": "s7b", "gid": 45052}},
        {"group": {"name": "s7b", "gid": 45052, "non_unique": True}},
        {"group": {"name": "s7c", "non_unique": True}},
        {"group": {"name": "s7c", "local": True, "gid_min": 10}},
        {"group": {"name": "s7c", "local": True, "force": True}},
        {"group": {"name": "s7d", "system": True, "gid": 45053}},
    ]
    corral, ansible = run_both(tmp_path, tasks, setup)
    _same(corral, ansible)
    assert [result["failed"] for result in ansible["runs"][0]] == [False, True, False, True, True, True, False]


def test_local_uses_the_libuser_commands(tmp_path) -> None:
    fake = tmp_path / "fakebin"
    fake.mkdir()
    shutil.copy(FAKE_LIBUSER, fake / "fake_libuser.sh")
    (fake / "fake_libuser.sh").chmod(0o755)
    for command in LIBUSER_COMMANDS:
        (fake / command).symlink_to(fake / "fake_libuser.sh")
    setup = f"export PATH={fake}:$PATH; groupadd s7a; groupadd s7b; groupadd s7u2; useradd -m -g s7u2 -G s7a s7u2"
    tasks = [
        {"group": {"name": "s7loc", "gid": 45060, "local": True}},
        {"user": {"name": "s7u1", "local": True, "groups": ["s7a", "s7b"], "expires": 1924992000,
                  "comment": "local one"}},
        {"user": {"name": "s7u2", "local": True, "groups": ["s7b"], "expires": -1, "shell": "/bin/bash"}},
        {"user": {"name": "s7u1", "local": True, "state": "absent", "remove": True}},
        {"group": {"name": "s7loc", "local": True, "state": "absent"}},
        {"user": {"name": "s7u5", "local": True, "uid_max": 5}},
    ]
    corral, ansible = run_both(tmp_path, tasks, setup)
    _same(corral, ansible)
    # ansible-core runs lgroupmod for a set of groups: in no fixed order
    calls = "\n".join(sorted((tmp_path / "corral" / "varlog" / "libuser-calls").read_text().splitlines()))
    assert calls == "\n".join(sorted((tmp_path / "ansible" / "varlog" / "libuser-calls").read_text().splitlines()))
    assert re.search(r"^luseradd -G|^luseradd .*-c local one", calls, re.M) is not None
    assert "lgroupmod -M s7u2 s7b" in calls and "lgroupmod -m s7u2 s7a" in calls


@pytest.mark.parametrize("passphrase", [None, "s3cret phrase"], ids=["plain", "passphrase"])
def test_ssh_keys(tmp_path, passphrase) -> None:
    setup = "useradd -m s7u1; mkdir -p /home/s7u1/.ssh; echo old > /home/s7u1/.ssh/id_rsa"
    key = {"name": "s7u1", "generate_ssh_key": True, "ssh_key_type": "ed25519", "ssh_key_comment": "s7 key"}
    if passphrase:
        key["ssh_key_passphrase"] = passphrase
    tasks = [
        {"user": key},
        {"user": {"name": "s7u1", "generate_ssh_key": True, "ssh_key_type": "rsa", "ssh_key_bits": 1024}},
        {"user": {"name": "s7u1", "generate_ssh_key": True, "ssh_key_file": "/home/s7u1/k2",
                  "ssh_key_type": "ed25519"}},
    ]
    corral, ansible = run_both(tmp_path, tasks, setup)
    _same(corral, ansible)
    assert _changed(ansible, 0) == [True, False, True] and _changed(ansible, 1) == [False] * 3
    assert "Found existing ssh key private file" in corral["stdout"][0]


def test_force_overwrites_a_key(tmp_path) -> None:
    setup = "useradd -m s7u1; mkdir -p /home/s7u1/.ssh; echo old > /home/s7u1/.ssh/id_ed25519"
    tasks = [{"user": {"name": "s7u1", "generate_ssh_key": True, "ssh_key_type": "ed25519", "force": True}}]
    corral, ansible = run_both(tmp_path, tasks, setup, runs=1)
    _same(corral, ansible)
    assert ansible["runs"][0][0]["changed"] is True
