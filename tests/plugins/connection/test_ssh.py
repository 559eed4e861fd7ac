"""corral-connection-ssh (paramiko) against pytest-corral's throwaway sshd; the
transport's details are tested in ``tests/ssh``."""
from __future__ import annotations

from corral.plugins.manager import PluginManager


def test_ssh_and_paramiko_name_the_same_connection() -> None:
    plugins = PluginManager()
    assert plugins.connection_class("ssh") is plugins.connection_class("paramiko")


def test_a_command_runs_as_the_remote_user(corral_ssh_options, corral_ssh_user) -> None:
    connection = PluginManager().connection_class("ssh")(corral_ssh_options())
    try:
        connection.connect()
        assert connection.exec_command("id -un") == (0, f"{corral_ssh_user.name}\n".encode(), b"")
    finally:
        connection.close()


def test_a_playbook_reaches_the_hosts(corral_ssh_inventory, corral_run, corral_ssh_user) -> None:
    result = corral_run.task({"command": "id -un"}, hosts="ssh", inventory=str(corral_ssh_inventory(count=2)))
    assert result.rc == 0
    assert {host: corral_run.outcome(result, host).result["stdout"] for host in result.hosts} == {
        "host1": corral_ssh_user.name, "host2": corral_ssh_user.name}
