"""System modules on localhost."""
from __future__ import annotations

import grp
import os
import platform
import pwd
import shutil
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest

from .conftest import run_module


def test_setup_facts():
    result = run_module("setup")
    facts = result["ansible_facts"]
    assert result["changed"] is False and facts["module_setup"] is True
    assert facts["ansible_system"] == platform.system() and facts["ansible_kernel"] == platform.release()
    assert facts["ansible_user_id"] == pwd.getpwuid(os.getuid()).pw_name
    assert facts["ansible_python"]["version"]["major"] == 3
    assert facts["ansible_hostname"] == platform.node().split(".")[0]
    assert facts["ansible_distribution"] and facts["ansible_os_family"]
    assert facts["ansible_memtotal_mb"] > 0 and facts["ansible_processor_vcpus"] >= 1
    assert facts["ansible_env"]["PATH"] == os.environ["PATH"]
    assert facts["ansible_date_time"]["epoch"].isdigit()
    assert isinstance(facts["ansible_mounts"], list) and "lo" in facts["ansible_interfaces"]


def test_setup_subsets_and_filter(tmp_path):
    (tmp_path / "app.fact").write_text('{"port": 8080}')
    minimal = run_module("setup", {"gather_subset": ["!all"], "fact_path": str(tmp_path)})["ansible_facts"]
    assert "ansible_distribution" in minimal and "ansible_mounts" not in minimal
    assert minimal["ansible_local"] == {"app": {"port": 8080}}
    nothing = run_module("setup", {"gather_subset": ["!all", "!min"]})["ansible_facts"]
    assert nothing == {"gather_subset": ["!all", "!min"], "module_setup": True}
    filtered = run_module("setup", {"filter": ["ansible_distribution*"]})["ansible_facts"]
    assert set(filtered) - {"gather_subset", "module_setup"} == {
        key for key in filtered if key.startswith("ansible_distribution")}
    bad = run_module("setup", {"gather_subset": ["bogus"]})
    assert bad["failed"] is True and "Bad subset 'bogus'" in bad["msg"]
    # Ansible's collector names are subsets too (setup_remote_tmp_dir asks for "distribution")
    assert "distribution, distribution_major_version" in bad["msg"]
    distribution = run_module("setup", {"gather_subset": ["distribution"]})["ansible_facts"]
    assert "ansible_distribution" in distribution and "ansible_mounts" not in distribution


def test_wait_for_port_path_and_timeouts(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    try:
        opened = run_module("wait_for", {"port": port, "timeout": 5})
        assert "failed" not in opened and opened["port"] == port and opened["elapsed"] == 0
    finally:
        server.close()
    stopped = run_module("wait_for", {"port": port, "state": "stopped", "timeout": 5})
    assert "failed" not in stopped
    closed = run_module("wait_for", {"port": port, "timeout": 1})
    assert closed["failed"] is True and closed["msg"] == f"Timeout when waiting for 127.0.0.1:{port}"

    target = tmp_path / "ready"
    threading.Timer(0.5, lambda: target.write_text("service started on 8080\n")).start()
    found = run_module("wait_for", {"path": str(target), "search_regex": r"started on (\d+)", "timeout": 10})
    assert found["match_groups"] == ["8080"]
    gone = run_module("wait_for", {"path": str(target), "state": "absent", "timeout": 1})
    fractional = run_module("wait_for", {"path": str(target), "sleep": 0.2})
    assert fractional["failed"] is True and "'sleep' is of type float" in fractional["msg"]  # an int, as in ansible-core
    assert gone["failed"] is True and gone["msg"] == f"Timeout when waiting for {target} to be absent."
    custom = run_module("wait_for", {"path": str(tmp_path / "never"), "timeout": 1, "msg": "gave up"})
    assert custom["msg"] == "gave up"


@pytest.fixture
def throwaway_names():
    suffix = uuid.uuid4().hex[:6]
    user, group = f"corralu{suffix}", f"corralg{suffix}"
    yield user, group
    subprocess.run(["userdel", "-r", user], capture_output=True)
    subprocess.run(["groupdel", group], capture_output=True)


def test_user_and_group(throwaway_names):
    user, group = throwaway_names
    assert run_module("group", {"name": group}, check=True)["changed"] is True
    with pytest.raises(KeyError):
        grp.getgrnam(group)
    made = run_module("group", {"name": group, "gid": 45678})
    assert made["changed"] is True and grp.getgrnam(group).gr_gid == 45678
    assert run_module("group", {"name": group, "gid": 45678})["changed"] is False

    created = run_module("user", {"name": user, "groups": [group], "shell": "/bin/sh", "comment": "Test",
                                  "password": "$6$salt$hash"})
    assert created["changed"] is True and created["groups"] == group and created["shell"] == "/bin/sh"
    assert "$6$salt$hash" not in str(created)
    assert pwd.getpwnam(user).pw_gecos == "Test" and user in grp.getgrnam(group).gr_mem
    same = run_module("user", {"name": user, "groups": [group], "shell": "/bin/sh", "comment": "Test",
                               "password": "$6$salt$hash"})
    assert same["changed"] is False
    keyed = run_module("user", {"name": user, "generate_ssh_key": True, "ssh_key_type": "ed25519"})
    assert keyed["changed"] is True and keyed["ssh_public_key"].startswith("ssh-ed25519 ")
    key_file = keyed["ssh_key_file"]
    assert key_file == os.path.join(pwd.getpwnam(user).pw_dir, ".ssh", "id_ed25519")
    assert os.stat(key_file).st_uid == pwd.getpwnam(user).pw_uid
    assert run_module("user", {"name": user, "generate_ssh_key": True, "ssh_key_type": "ed25519"})["changed"] is False
    changed = run_module("user", {"name": user, "shell": "/bin/bash"}, check=True)
    assert changed["changed"] is True and pwd.getpwnam(user).pw_shell == "/bin/sh"
    removed = run_module("user", {"name": user, "state": "absent", "remove": True})
    assert removed["changed"] is True
    with pytest.raises(KeyError):
        pwd.getpwnam(user)
    assert run_module("group", {"name": group, "state": "absent"})["changed"] is True


#: the minimal pure-Python wheel writer (no network or build backend needed) that language case 742 runs too
MAKE_WHEEL = Path(__file__).resolve().parents[1] / "language" / "cases" / "742_pip_umask_break_system" / "make_wheel.py"


def _wheel(directory, name: str, version: str) -> None:
    """Write the wheel of ``name`` ``version`` into ``directory`` (:data:`MAKE_WHEEL`)."""
    subprocess.run([sys.executable, str(MAKE_WHEEL), str(directory), name, version], check=True)


@pytest.mark.slow
def test_pip_into_a_virtualenv(tmp_path):
    index = tmp_path / "wheels"
    index.mkdir()
    _wheel(index, "corraldemo", "1.0")
    venv = tmp_path / "venv"
    base = {"name": ["corraldemo"], "virtualenv": str(venv), "virtualenv_command": f"{sys.executable} -m venv",
            "extra_args": f"--no-index --find-links {index}"}
    checked = run_module("pip", base, check=True)
    assert checked["changed"] is True and not venv.exists()
    installed = run_module("pip", base, timeout=180)
    assert installed["changed"] is True, installed
    python = venv / "bin" / "python"
    assert subprocess.run([str(python), "-c", "import corraldemo; print(corraldemo.VERSION)"],
                          capture_output=True, text=True).stdout.strip() == "1.0"
    assert run_module("pip", base, timeout=180)["changed"] is False
    _wheel(index, "corraldemo", "2.0")
    upgraded = run_module("pip", {**base, "state": "latest"}, timeout=180)
    assert upgraded["changed"] is True
    assert run_module("pip", {**base, "name": ["corraldemo>=2"]}, timeout=180)["changed"] is False
    uninstall = {k: v for k, v in base.items() if k != "extra_args"}
    removed = run_module("pip", {**uninstall, "state": "absent"}, timeout=180)
    assert removed["changed"] is True and "uninstall" in removed["cmd"]
    assert run_module("pip", {**uninstall, "state": "absent"}, timeout=180)["changed"] is False


def test_apt_check_mode_and_local_deb(tmp_path):
    assert shutil.which("dpkg-deb") and shutil.which("apt-get"), "these tests run on a Debian-based system"
    missing = run_module("apt", {"name": ["corral-no-such-package-xyz"]}, check=True)
    assert missing["failed"] is True    # as ansible-core 2.21 (tests/modules/test_apt.py compares)
    assert missing["msg"] == "No package matching 'corral-no-such-package-xyz' is available"
    present = run_module("apt", {"name": ["dpkg"]}, check=True)
    assert present["changed"] is False
    if os.geteuid() != 0:
        return
    package = f"corral-test-{uuid.uuid4().hex[:6]}"
    root = tmp_path / "pkg"
    (root / "DEBIAN").mkdir(parents=True)
    (root / "usr" / "share" / package).mkdir(parents=True)
    (root / "usr" / "share" / package / "hello").write_text("hello\n")
    (root / "DEBIAN" / "control").write_text(
        f"Package: {package}\nVersion: 1.0\nArchitecture: all\nMaintainer: corral <c@example.com>\n"
        f"Description: corral test package\n")
    deb = tmp_path / f"{package}.deb"
    subprocess.run(["dpkg-deb", "--build", str(root), str(deb)], check=True, capture_output=True)
    try:
        assert run_module("apt", {"deb": str(deb)}, check=True)["changed"] is True
        installed = run_module("apt", {"deb": str(deb)}, timeout=120)
        assert installed["changed"] is True, installed
        assert os.path.exists(f"/usr/share/{package}/hello")
        assert run_module("apt", {"deb": str(deb)})["changed"] is False
        assert run_module("apt", {"name": [package]})["changed"] is False
        removed = run_module("apt", {"name": [package], "state": "absent"}, timeout=120)
        assert removed["changed"] is True and not os.path.exists(f"/usr/share/{package}/hello")
    finally:
        subprocess.run(["dpkg", "--purge", package], capture_output=True)


def test_service_managers_fail_clearly():
    result = run_module("systemd", {"name": "corral-no-such-unit", "state": "started"})
    assert result["failed"] is True
    if os.path.isdir("/run/systemd/system"):
        assert result["msg"] == "Could not find the requested service corral-no-such-unit: host"
    else:
        assert result["msg"].startswith("No service manager: systemd is not running on this host")
    missing = run_module("sysvinit", {"name": "corral-no-such-service", "state": "started"})
    assert missing["failed"] is True
    assert missing["msg"] == "Could not find the requested service corral-no-such-service: "


def test_cron_file_entries(tmp_path):
    cron_file = tmp_path / "corral-cron"
    job = {"name": "nightly", "job": "/usr/bin/true", "minute": "0", "hour": "2", "cron_file": str(cron_file),
           "user": "root"}
    assert run_module("cron", job, check=True)["changed"] is True and not cron_file.exists()
    made = run_module("cron", job)
    assert made["changed"] is True and made["jobs"] == ["nightly"]
    assert cron_file.read_text() == "#Ansible: nightly\n0 2 * * * root /usr/bin/true\n"
    assert run_module("cron", job)["changed"] is False
    run_module("cron", {**job, "hour": "3"})
    assert cron_file.read_text() == "#Ansible: nightly\n0 3 * * * root /usr/bin/true\n"
    run_module("cron", {"name": "PATH", "job": "/usr/bin:/bin", "env": True, "cron_file": str(cron_file),
                        "user": "root"})
    assert cron_file.read_text().startswith("PATH=\"/usr/bin:/bin\"\n")  # quoted, as ansible-core writes it
    gone = run_module("cron", {"name": "nightly", "state": "absent", "cron_file": str(cron_file)})
    assert gone["changed"] is True and "nightly" not in cron_file.read_text()


def test_known_hosts(tmp_path):
    path = tmp_path / "known_hosts"
    key = "example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    other = "example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmXwJ4kA9l1fCbgP0zq3kS0nJcWvPqCB7rX6a3y5Kq2"
    args = {"name": "example.com", "key": key, "path": str(path)}
    assert run_module("known_hosts", args)["changed"] is True and path.read_text() == key + "\n"
    assert run_module("known_hosts", args)["changed"] is False
    replaced = run_module("known_hosts", {**args, "key": other}, diff=True)
    assert replaced["changed"] is True and path.read_text() == other + "\n"
    assert replaced["diff"]["before"] == key + "\n"
    hashed = run_module("known_hosts", {"name": "h2.example.com", "key": key.replace("example.com", "h2.example.com", 1),
                                        "path": str(path), "hash_host": True})
    assert hashed["changed"] is True and "|1|" in path.read_text()
    assert run_module("known_hosts", {"name": "h2.example.com", "state": "absent", "path": str(path)})["changed"]
    assert path.read_text() == other + "\n"
    bad = run_module("known_hosts", {"name": "x.org", "key": key, "path": str(path)})
    assert bad["failed"] is True and "does not match" in bad["msg"]



def test_known_hosts_matches_lines_as_ansible_does(tmp_path):
    """One key per type is replaced (moved to the end), absent with a key removes only that type,
    patterns and @cert-authority lines match as ssh-keygen -F matches them (observed with ansible-core)."""
    path = tmp_path / "kh"
    path.write_text("a.org ssh-rsa R1\nx.org ssh-rsa X\na.org ssh-ed25519 E1\n*.b.org ssh-rsa W\n"
                    "@cert-authority *.a.org ssh-ed25519 CA\n")
    def kh(name, key=None, check=False, **extra):
        return run_module("known_hosts", {"name": name, "key": key, "path": str(path), **extra}, check=check)
    assert kh("a.org", "a.org ssh-rsa R2")["changed"] is True
    assert path.read_text().splitlines() == ["x.org ssh-rsa X", "a.org ssh-ed25519 E1", "*.b.org ssh-rsa W",
                                             "@cert-authority *.a.org ssh-ed25519 CA", "a.org ssh-rsa R2"]
    assert kh("a.org", "  a.org  ssh-rsa R2 a comment")["changed"] is False
    different_type = kh("x.org", "x.org ssh-ed25519 E9", state="absent")
    assert different_type["changed"] is False and different_type["diff"]["before"] == different_type["diff"]["after"]
    assert kh("a.org", "a.org ssh-ed25519 E7", state="absent")["changed"] is True      # same type: removed
    assert "E1" not in path.read_text() and "R2" in path.read_text()
    assert kh("y.a.org", "@cert-authority *.a.org ssh-ed25519 CA")["changed"] is False
    assert kh("c.b.org", "c.b.org ssh-rsa W")["changed"] is True                      # replaces the wildcard line
    assert "*.b.org" not in path.read_text()
    checked = kh("a.org", state="absent", check=True)
    assert checked == {**checked, "changed": True} and set(checked) <= {"changed", "diff", "invocation"}
    removed = kh("A.ORG", state="absent")
    assert removed["changed"] is True and removed["name"] == "A.ORG" and removed["state"] == "file"
    assert "a.org ssh-rsa" not in path.read_text() and "R2" in (tmp_path / "kh.old").read_text()
    assert "@cert-authority" in path.read_text()
    mismatch = kh("e.org", "c.org ssh-rsa K")
    assert mismatch["failed"] is True and mismatch["rc"] == 1
    assert mismatch["msg"] == "Host parameter does not match hashed host field in supplied key"
    assert kh("a.org,b.org", "a.org ssh-rsa K")["msg"].startswith("Comma separated list of names is not supported")
    assert kh("a.org")["msg"] == "No key specified when adding a host"
    missing_dir = run_module("known_hosts", {"name": "a.org", "key": "a.org ssh-rsa K",
                                             "path": str(tmp_path / "no" / "kh")})
    assert missing_dir["failed"] is True and missing_dir["msg"].startswith(f"Failed to write to file '{tmp_path}/no/kh'")
    new = run_module("known_hosts", {"name": "[h.org]:2222", "key": "[h.org]:2222 ssh-rsa K", "hash_host": True,
                                     "path": str(tmp_path / "new")})
    assert new["diff"]["before_header"] == "/dev/null" and (tmp_path / "new").read_text().startswith("|1|")
    assert run_module("known_hosts", {"name": "[h.org]:2222", "key": "[h.org]:2222 ssh-rsa K", "hash_host": True,
                                      "path": str(tmp_path / "new")})["changed"] is False


def test_service_and_package_actions_pick_the_module(tmp_path, playbook):
    result = playbook("""
    - service: {name: corral-no-such-service, state: started}
      ignore_errors: true
    - package: {name: dpkg, state: present}
    - package: {name: dpkg, state: present, use: bogus}
      ignore_errors: true
    """)
    service, package, bogus = result["tasks"]
    assert service["failed"] is True and "corral-no-such-service" in service["msg"]
    assert package["changed"] is False and "failed" not in package or package["failed"] is False
    assert bogus["failed"] is True and "bogus" in bogus["msg"]


def test_getent_entries_split_and_missing_keys(tmp_path, playbook):
    """Facts as ansible-core's getent returns them (fields by ':' for passwd, white space for hosts)."""
    root = run_module("getent", {"database": "passwd", "key": "root", "service": "files"})
    assert root["ansible_facts"]["getent_passwd"]["root"][:2] == ["x", "0"] and root["changed"] is False
    assert len(root["ansible_facts"]["getent_passwd"]["root"]) == 6
    by_uid = run_module("getent", {"database": "passwd", "key": "0"})
    assert list(by_uid["ansible_facts"]["getent_passwd"]) == ["root"]
    hosts = run_module("getent", {"database": "hosts", "key": "localhost"})["ansible_facts"]["getent_hosts"]
    assert any("localhost" in fields for fields in hosts.values())
    missing = run_module("getent", {"database": "passwd", "key": "corral-no-such-user"})
    assert missing["failed"] is True
    assert missing["msg"] == "One or more supplied key could not be found in the database."
    tolerated = run_module("getent", {"database": "passwd", "key": "corral-no-such-user", "fail_key": False})
    assert tolerated["ansible_facts"] == {"getent_passwd": {"corral-no-such-user": None}}
    assert tolerated.get("failed") is not True and tolerated["msg"] == missing["msg"]
    assert run_module("getent", {"database": "corral-no-such-db"})["msg"] == "Missing arguments, or database unknown."
    assert run_module("getent", {"database": "passwd", "split": ""})["msg"] == \
        "Invalid split value. The value must be a non-empty string"
    everyone = run_module("getent", {"database": "group"}, check=True)["ansible_facts"]["getent_group"]
    assert everyone["root"][:2] == ["x", "0"]
    facts = playbook("""
    - getent: {database: passwd, key: root}
    - assert: {that: ["ansible_facts.getent_passwd.root[4] == '/root'"]}
    """)
    assert facts["rc"] == 0 and facts["stats"]["changed"] == 0


def test_getent_repeated_entries_become_lists(tmp_path, playbook):
    """A first field seen on several lines maps to the list of their fields (as with ansible-core)."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "getent").write_text("#!/bin/sh\nprintf '10.0.0.1 a\\n10.0.0.1 b c\\n10.0.0.2 d\\n'\n")
    (fake / "getent").chmod(0o755)
    result = playbook(f"""
    - getent: {{database: hosts}}
      environment: {{PATH: "{fake}:/usr/bin:/bin"}}
    """)["tasks"][0]
    assert result["ansible_facts"]["getent_hosts"] == {"10.0.0.1": [["a"], ["b", "c"]], "10.0.0.2": ["d"]}
