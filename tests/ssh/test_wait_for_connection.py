"""wait_for_connection over real SSH: a reachable host passes at once, a host that never answers fails
after ``timeout`` (each attempt bounded by ``connect_timeout``, not by the connection's own timeout)."""
from __future__ import annotations

import json
import socket
import time


def test_waits_for_a_reachable_host_then_keeps_working(corral_ssh_inventory, corral_sshd, tmp_path, cli):
    inventory = corral_ssh_inventory(count=1)
    playbook = tmp_path / "site.yml"
    playbook.write_text("""
- hosts: ssh
  gather_facts: false
  tasks:
    - wait_for_connection: {delay: 1, timeout: 30, connect_timeout: 5}
      register: waited
    - command: echo still connected
      register: after
    - assert:
        that: [waited.elapsed >= 1, waited is not changed, after.stdout == 'still connected']
""")
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert cli.recap(proc.stdout)["host1"]["ok"] == 3


def test_a_host_that_never_answers_fails_after_the_timeout(tmp_path, cli):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)                     # accepts TCP, never speaks SSH
    try:
        inventory = tmp_path / "hosts"
        inventory.write_text(f"mute ansible_host=127.0.0.1 ansible_port={silent.getsockname()[1]} "
                             "ansible_connection=ssh ansible_user=nobody ansible_timeout=30\n")
        playbook = tmp_path / "site.yml"
        playbook.write_text("""
- hosts: mute
  gather_facts: false
  tasks:
    - wait_for_connection: {timeout: 3, connect_timeout: 1, sleep: 1}
      register: waited
      ignore_errors: true
    - copy: {content: "{{ waited | to_json }}", dest: "%s"}
      delegate_to: localhost
      vars: {ansible_connection: local, ansible_python_interpreter: "{{ ansible_playbook_python }}"}
""" % (tmp_path / "result.json"))
        start = time.monotonic()
        proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
        took = time.monotonic() - start
    finally:
        silent.close()
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["failed"] is True and "unreachable" not in result, proc.stdout
    assert result["msg"].startswith("timed out waiting for ping module test: ")
    assert 3 <= result["elapsed"] < 10
    assert took < 25      # one attempt with the connection's own 30 s timeout would take longer
    assert cli.recap(proc.stdout)["mute"]["ignored"] == 1
