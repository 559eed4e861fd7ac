"""corral-playbook and corral over real SSH: files, become, reuse, unreachable hosts, killed servers."""
from __future__ import annotations

import os
import re
import threading
import time

import pytest

# every test runs over each executor: forking, and ray on a local two-node cluster
pytestmark = pytest.mark.usefixtures("executor_name")


def test_playbook_copies_templates_fetches_and_runs_on_five_hosts(
        corral_ssh_inventory, corral_sshd, corral_ssh_user, tmp_path, cli):
    inventory = corral_ssh_inventory(count=5, become_password=True)
    (tmp_path / "motd.j2").write_text("welcome to {{ inventory_hostname }} as {{ ansible_user }}\n")
    (tmp_path / "data.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    dest = f"{corral_ssh_user.home}/e2e"
    playbook = tmp_path / "site.yml"
    playbook.write_text(f"""
- hosts: ssh
  gather_facts: false
  tasks:
    - name: directory
      file: path={dest}/{{{{ inventory_hostname }}}} state=directory mode=0750
    - name: copy a file
      copy: src={tmp_path}/data.bin dest={dest}/{{{{ inventory_hostname }}}}/data.bin mode=0640
    - name: template
      template: src={tmp_path}/motd.j2 dest={dest}/{{{{ inventory_hostname }}}}/motd
    - name: command
      command: cat {dest}/{{{{ inventory_hostname }}}}/motd
      register: motd
    - name: check
      assert:
        that: motd.stdout == "welcome to " ~ inventory_hostname ~ " as {corral_ssh_user.name}"
    - name: as root
      command: id -un
      become: true
      register: whoami
    - name: root it was
      assert:
        that: whoami.stdout == "root"
    - name: fetch
      fetch: src={dest}/{{{{ inventory_hostname }}}}/data.bin dest={tmp_path}/fetched/
""")
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = cli.recap(proc.stdout)
    assert sorted(rows) == [f"host{i}" for i in range(1, 6)]
    assert all(r["failed"] == 0 and r["unreachable"] == 0 and r["ok"] == 8 for r in rows.values())
    original = (tmp_path / "data.bin").read_bytes()
    for i in range(1, 6):
        fetched = tmp_path / "fetched" / f"host{i}" / dest.lstrip("/") / f"host{i}" / "data.bin"
        assert fetched.read_bytes() == original
    assert corral_ssh_user.password not in proc.stdout + proc.stderr


def test_twenty_tasks_on_five_hosts_use_one_ssh_login_per_host(
        corral_ssh_inventory, corral_sshd, tmp_path, cli):
    inventory = corral_ssh_inventory(count=5)
    tasks = "".join(f"    - command: echo task{i}\n" if i % 2 else f"    - ping:\n" for i in range(20))
    playbook = tmp_path / "twenty.yml"
    playbook.write_text(f"- hosts: ssh\n  gather_facts: false\n  tasks:\n{tasks}")
    addresses = corral_sshd.addresses[:5]
    before = {a: corral_sshd.accepted_sessions(address=a) for a in addresses}
    proc = cli("corral-playbook", "-i", str(inventory), "-f", "5", str(playbook))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert all(r["ok"] == 20 for r in cli.recap(proc.stdout).values())
    after = {a: corral_sshd.accepted_sessions(address=a) for a in addresses}
    assert {a: after[a] - before[a] for a in addresses} == {a: 1 for a in addresses}


def test_adhoc_ping_over_fifty_hosts(corral_sshd_factory, corral_ssh_user, tmp_path, cli):
    server = corral_sshd_factory(addresses=[f"127.0.3.{i}" for i in range(1, 51)])
    inventory = server.write_inventory(tmp_path / "fifty.ini", corral_ssh_user)
    start = time.monotonic()
    proc = cli("corral", "all", "-i", str(inventory), "-m", "ping", "-f", "10")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(re.findall(r"^host\d+ \| SUCCESS => ", proc.stdout, re.M)) == 50
    assert proc.stdout.count('"ping": "pong"') == 50
    assert server.accepted_sessions() == 50
    assert time.monotonic() - start < 60


def test_unreachable_hosts_do_not_stop_the_others(corral_sshd, corral_ssh_user, tmp_path, cli):
    inventory = corral_sshd.write_inventory(tmp_path / "inv.ini", corral_ssh_user, count=3)
    with open(inventory, "a") as fh:
        fh.write("\n[ssh]\nrefused ansible_host=127.0.0.1 ansible_port=1\n"
                 "nodns ansible_host=no-such-host.invalid\n"
                 f"badkey ansible_host=127.0.0.4 ansible_ssh_known_hosts_file={tmp_path}/none "
                 f"ansible_ssh_common_args='-o UserKnownHostsFile={tmp_path}/none'\n")
    playbook = tmp_path / "p.yml"
    playbook.write_text("- hosts: ssh\n  gather_facts: false\n  tasks:\n    - ping:\n    - command: 'true'\n")
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert proc.returncode == 4, proc.stdout + proc.stderr
    out = proc.stdout
    assert re.search(r"fatal: \[refused\]: UNREACHABLE! => .*Connection refused", out)
    assert re.search(r"fatal: \[nodns\]: UNREACHABLE! => .*Could not resolve hostname no-such-host.invalid", out)
    assert re.search(r"fatal: \[badkey\]: UNREACHABLE! => .*Host key verification failed", out)
    rows = cli.recap(out)
    assert all(rows[f"host{i}"]["ok"] == 2 for i in range(1, 4))
    assert all(rows[h]["unreachable"] == 1 for h in ("refused", "nodns", "badkey"))


def test_wrong_become_password_fails_the_task_without_hanging(corral_ssh_inventory, tmp_path, cli):
    inventory = corral_ssh_inventory(count=2)
    with open(inventory, "a") as fh:
        fh.write("ansible_become_password=not-the-password\n")
    playbook = tmp_path / "p.yml"
    playbook.write_text("- hosts: ssh\n  gather_facts: false\n  become: true\n"
                        "  tasks:\n    - command: id -un\n")
    start = time.monotonic()
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert time.monotonic() - start < 30
    assert proc.stdout.count("Incorrect sudo password") >= 2
    assert "not-the-password" not in proc.stdout + proc.stderr


def test_killing_sshd_mid_run_marks_its_hosts_unreachable(corral_sshd_factory, corral_sshd,
                                                          corral_ssh_user, tmp_path, cli):
    doomed = corral_sshd_factory(addresses=("127.0.4.1", "127.0.4.2", "127.0.4.3"))
    inventory = doomed.write_inventory(tmp_path / "inv.ini", corral_ssh_user, prefix="doomed")
    corral_sshd.write_inventory(tmp_path / "ok.ini", corral_ssh_user, count=2, group="alive",
                                prefix="alive")
    playbook = tmp_path / "p.yml"
    playbook.write_text("- hosts: all\n  gather_facts: false\n  tasks:\n"
                        "    - command: 'true'\n"
                        "    - command: sleep 3\n"
                        "    - command: echo after\n")
    threading.Timer(2.0, doomed.kill).start()
    start = time.monotonic()
    proc = cli("corral-playbook", "-i", str(inventory), "-i", str(tmp_path / "ok.ini"),
                  str(playbook), timeout=90)
    elapsed = time.monotonic() - start
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert elapsed < 30, f"the run took {elapsed:.1f}s"
    rows = cli.recap(proc.stdout)
    for i in range(1, 4):
        assert rows[f"doomed{i}"]["unreachable"] == 1, proc.stdout
    assert rows["alive1"]["ok"] == 3 and rows["alive2"]["ok"] == 3
    assert len(re.findall(r"fatal: \[doomed\d\]: UNREACHABLE!", proc.stdout)) == 3


def test_reset_connection_logs_in_again(corral_ssh_inventory, corral_sshd, tmp_path, cli):
    inventory = corral_ssh_inventory(count=2)
    playbook = tmp_path / "reset.yml"
    playbook.write_text("- hosts: ssh\n  gather_facts: false\n  tasks:\n"
                        "    - ping:\n    - ping:\n    - meta: reset_connection\n    - ping:\n    - ping:\n")
    addresses = corral_sshd.addresses[:2]
    before = {a: corral_sshd.accepted_sessions(address=a) for a in addresses}
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {a: corral_sshd.accepted_sessions(address=a) - before[a] for a in addresses} == \
        {a: 2 for a in addresses}


def test_script_and_unarchive_transfer_over_sftp(corral_ssh_inventory, corral_ssh_user, tmp_path, cli):
    import tarfile
    inventory = corral_ssh_inventory(count=2)
    script = tmp_path / "hello.sh"
    script.write_text("#!/bin/sh\necho \"hello from $(id -un) with $1\"\n")
    src = tmp_path / "tree"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "file.txt").write_text("archived\n")
    archive = tmp_path / "tree.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(src, arcname="tree")
    dest = f"{corral_ssh_user.home}/unpacked-{{{{ inventory_hostname }}}}"
    playbook = tmp_path / "files.yml"
    playbook.write_text(f"""
- hosts: ssh
  gather_facts: false
  tasks:
    - script: {script} arg1
      register: out
    - assert:
        that: out.stdout_lines == ["hello from {corral_ssh_user.name} with arg1"]
    - file: path={dest} state=directory
    - unarchive: src={archive} dest={dest}
    - command: cat {dest}/tree/sub/file.txt
      register: cat
    - assert:
        that: cat.stdout == "archived"
""")
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert all(r["ok"] == 6 for r in cli.recap(proc.stdout).values())
