"""A connection plugin written for Ansible that subclasses Ansible's ``ssh``
connection (``ansible.plugins.connection.ssh``), as tunnel plugins do: it changes
an option when it connects and leaves the rest to ssh, which corral runs with its
own ssh connection, over a real SSH server."""
from __future__ import annotations

from pathlib import Path

TUNNEL = """\
from ansible.plugins.connection import ssh


class Connection(ssh.Connection):
    transport = "tunnel"

    def _connect(self):
        # the "tunnel" ends at the real port; the inventory's ansible_port is wrong
        with open("{port_file}") as handle:
            self.set_option("port", int(handle.read()))
        return super()._connect()
"""


def test_a_subclass_of_the_ssh_connection_runs_modules_over_ssh(corral_sshd, corral_ssh_user, tmp_path: Path,
                                                                 cli) -> None:
    port_file = tmp_path / "real_port"
    port_file.write_text(str(corral_sshd.port))
    (tmp_path / "connection_plugins").mkdir()
    (tmp_path / "connection_plugins" / "tunnel.py").write_text(TUNNEL.format(port_file=port_file))
    inventory = corral_sshd.write_inventory(tmp_path / "hosts.ini", corral_ssh_user, count=2)
    inventory.write_text(inventory.read_text() + "ansible_connection=tunnel\nansible_port=1\n")
    playbook = tmp_path / "site.yml"
    playbook.write_text("- hosts: ssh\n  gather_facts: false\n  tasks:\n"
                        "    - command: id -un\n      register: who\n"
                        "    - assert: {that: [who.stdout == '" + corral_ssh_user.name + "']}\n")
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert all(r["ok"] == 2 and r["failed"] == 0 for r in cli.recap(proc.stdout).values())
