"""reboot over real SSH, against a host whose reboot is a harmless fake (``reboot_command`` writes a new
"boot id" to a file that ``boot_time_command`` reads): the action runs the command found in
``search_paths``, waits for the new boot id and for ``test_command``, and reports as ansible-core does."""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def shared_dir():
    """A directory the SSH test user can reach and write (the pytest tmp_path's parents are private)."""
    path = Path(tempfile.mkdtemp(prefix="corral-reboot-", dir="/tmp"))
    path.chmod(0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _play(tmp_path, tasks: str) -> str:
    playbook = tmp_path / "site.yml"
    playbook.write_text(f"""
- hosts: ssh
  gather_facts: false
  vars:
    d: {tmp_path}
  tasks:
{tasks}
    - copy: {{content: "{{{{ results | to_json }}}}", dest: "{tmp_path}/results.json"}}
      delegate_to: localhost
      vars: {{ansible_connection: local, ansible_python_interpreter: "{{{{ ansible_playbook_python }}}}"}}
""")
    return str(playbook)


TASKS = """
    - reboot:
        boot_time_command: "cat {{ d }}/boot_id"
        reboot_command: "sh -c 'echo rebooted > {{ d }}/boot_id; echo ran >> {{ d }}/log'"
        test_command: "test -s {{ d }}/boot_id"
        post_reboot_delay: 1
      register: fake
    - reboot:
        boot_time_command: "cat {{ d }}/boot_id"
        reboot_command: "sh -c 'echo ran >> {{ d }}/log'"
        reboot_timeout: 3
      register: stuck
      ignore_errors: true
    - reboot: {msg: hi}
      check_mode: true
      register: check
    - reboot: {reboot_command: "nosuchcmd now", search_paths: [/usr/bin]}
      register: missing
      ignore_errors: true
    - reboot: {bogus: 1}
      register: bogus
      ignore_errors: true
    - set_fact:
        results: "{{ {'fake': fake, 'stuck': stuck, 'check': check, 'missing': missing, 'bogus': bogus} }}"
"""


def test_reboot_waits_for_a_new_boot_and_the_test_command(corral_ssh_inventory, corral_sshd, shared_dir, cli):
    tmp_path = shared_dir
    (tmp_path / "boot_id").write_text("first\n")
    (tmp_path / "boot_id").chmod(0o666)
    inventory = corral_ssh_inventory(count=1)
    proc = cli("corral-playbook", "-i", str(inventory), _play(tmp_path, TASKS))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    fake = results["fake"]
    assert (fake["changed"], fake["rebooted"]) == (True, True) and fake["elapsed"] >= 1
    assert (tmp_path / "log").read_text() == "ran\nran\n"
    stuck = results["stuck"]
    assert stuck["failed"] is True and stuck["rebooted"] is False
    assert stuck["msg"] == "Timed out waiting for last boot time check (timeout=3)"
    assert results["check"] == {"changed": True, "elapsed": 0, "rebooted": True, "failed": False}
    assert results["missing"]["msg"] == "Unable to find command \"nosuchcmd\" in search paths: ['/usr/bin']"
    assert results["bogus"]["msg"] == "Invalid options for reboot: bogus"


def test_reboot_refuses_a_local_connection(tmp_path, cli) -> None:
    playbook = tmp_path / "local.yml"
    playbook.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n    - reboot:\n")
    proc = cli("corral-playbook", "-i", "localhost,", "-c", "local", str(playbook))
    assert proc.returncode == 2
    assert ('"msg": "Running reboot with local connection would reboot the control node.", "rebooted": false'
            in proc.stdout)
