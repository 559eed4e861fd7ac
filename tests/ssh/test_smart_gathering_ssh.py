"""``gathering = smart`` with a ``jsonfile`` fact cache over real SSH: the first run
gathers on every host (one login each), the second logs in to none of them (sshd
accepts no session) and still sees each host's facts; ``--flush-cache`` makes every
host gather again."""
from __future__ import annotations

import pytest

PLAYBOOK = """- hosts: ssh
  tasks:
    - debug: msg="{{ inventory_hostname }} {{ ansible_facts.system }} {{ ansible_facts.user_id }}"
"""


def test_a_second_smart_run_logs_in_to_no_host(corral_ssh_inventory, corral_sshd, corral_ssh_user, tmp_path, cli,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSIBLE_GATHERING", "smart")
    monkeypatch.setenv("ANSIBLE_CACHE_PLUGIN", "jsonfile")
    monkeypatch.setenv("ANSIBLE_CACHE_PLUGIN_CONNECTION", str(tmp_path / "facts"))
    inventory = corral_ssh_inventory(count=3)
    playbook = tmp_path / "facts.yml"
    playbook.write_text(PLAYBOOK)
    facts = [f"host{i} Linux {corral_ssh_user.name}" for i in (1, 2, 3)]

    def run(*options: str) -> tuple[str, int]:
        before = corral_sshd.accepted_sessions()
        proc = cli("corral-playbook", "-i", str(inventory), *options, str(playbook))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert all(f'"msg": "{line}"' in proc.stdout for line in facts), proc.stdout
        return proc.stdout, corral_sshd.accepted_sessions() - before

    first, logins = run()
    assert "Gathering Facts" in first and logins == 3
    second, logins = run()
    assert "Gathering Facts" not in second and logins == 0
    flushed, logins = run("--flush-cache")
    assert "Gathering Facts" in flushed and logins == 3
