"""The pytest-corral fixtures give a real, working OpenSSH server (checked with OpenSSH's client)."""
from __future__ import annotations

import subprocess


def _ssh(server, user, address, *cmd, key=None):
    return subprocess.run(
        ["ssh", "-p", str(server.port), "-i", str(key or user.key), "-o", "BatchMode=yes",
         "-o", f"UserKnownHostsFile={server.known_hosts}", "-o", "StrictHostKeyChecking=yes",
         "-o", "IdentitiesOnly=yes", "-F", "/dev/null", f"{user.name}@{address}", *cmd],
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


def test_openssh_client_logs_in_on_every_address(corral_sshd, corral_ssh_user):
    before = corral_sshd.accepted_sessions(address="127.0.0.3")
    for address in ("127.0.0.1", "127.0.0.3", "127.0.0.8"):
        proc = _ssh(corral_sshd, corral_ssh_user, address, "id", "-un")
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == corral_ssh_user.name
    assert corral_sshd.accepted_sessions(address="127.0.0.3") == before + 1


def test_user_home_has_no_shell_rc_files(corral_sshd, corral_ssh_user):
    proc = _ssh(corral_sshd, corral_ssh_user, "127.0.0.1", "ls", "-A", "~")
    assert proc.returncode == 0, proc.stderr
    rc_files = {".profile", ".bashrc", ".bash_profile", ".bash_login", ".shrc", ".bash_logout"}
    assert ".ssh" in proc.stdout.split()
    assert rc_files.isdisjoint(proc.stdout.split())


def test_server_with_more_addresses_than_one_sshd_binds(corral_sshd_factory, corral_ssh_user):
    addresses = [f"127.0.1.{i}" for i in range(1, 21)]
    server = corral_sshd_factory(addresses=addresses)
    assert len(server.procs) == 2
    proc = _ssh(server, corral_ssh_user, "127.0.1.20", "true")
    assert proc.returncode == 0, proc.stderr
    assert server.accepted_sessions() == 1
    assert server.accepted_sessions(address="127.0.1.20") == 1
    server.kill()
    proc = _ssh(server, corral_ssh_user, "127.0.1.20", "true")
    assert proc.returncode == 255
