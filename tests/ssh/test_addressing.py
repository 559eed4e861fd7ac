"""~/.ssh/config, -o/-p/-l/-F arguments, jump hosts (ProxyJump and -J), IPv6."""
from __future__ import annotations

import pytest

from corral.errors import CorralConnectionFailure
from corral_connection_ssh import SshConnection


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    return home


def _bare(host: str, **kw) -> SshConnection:
    """Options with nothing but a host name: everything else comes from the ssh config."""
    return SshConnection(SshConnection.options_for("ssh", host, direct=kw, env={}, ini={}))


def test_user_ssh_config_gives_hostname_user_port_and_identity(home, corral_sshd, corral_ssh_user):
    (home / ".ssh" / "config").write_text(
        f"Host web1\n  HostName 127.0.0.4\n  User {corral_ssh_user.name}\n  Port {corral_sshd.port}\n"
        f"  IdentityFile {corral_ssh_user.key}\n  UserKnownHostsFile {corral_sshd.known_hosts}\n")
    before = corral_sshd.accepted_sessions(address="127.0.0.4")
    conn = _bare("web1")
    try:
        assert conn.exec_command("id -un")[1].decode().strip() == corral_ssh_user.name
    finally:
        conn.close()
    assert corral_sshd.accepted_sessions(address="127.0.0.4") == before + 1


def test_command_line_arguments_beat_the_config(home, corral_sshd, corral_ssh_user, tmp_path):
    config = tmp_path / "other_config"
    config.write_text("Host 127.0.0.2\n  Port 1\n  User nobody\n")
    conn = _bare("127.0.0.2", ssh_common_args=(
        f"-F {config} -p {corral_sshd.port} -l {corral_ssh_user.name} -i {corral_ssh_user.key} "
        f"-o UserKnownHostsFile={corral_sshd.known_hosts}"))
    try:
        assert conn.exec_command("echo args")[1] == b"args\n"
    finally:
        conn.close()


def test_jump_host_from_command_line(connect, corral_sshd, corral_jump_sshd, corral_ssh_user, home):
    known = home / "known_hosts"
    known.write_text(corral_sshd.known_hosts.read_text() + corral_jump_sshd.known_hosts.read_text())
    jump_before = corral_jump_sshd.accepted_sessions()
    conn = connect(address="127.0.0.3", extra={"ansible_ssh_known_hosts_file": str(known)},
                   ssh_common_args=f"-J {corral_ssh_user.name}@127.0.0.1:{corral_jump_sshd.port}")
    for _ in range(3):
        assert conn.exec_command("echo via-jump")[1] == b"via-jump\n"
    assert corral_jump_sshd.accepted_sessions() == jump_before + 1


def test_proxyjump_in_ssh_config(home, corral_sshd, corral_jump_sshd, corral_ssh_user):
    (home / ".ssh" / "config").write_text(
        f"Host bastion\n  HostName 127.0.0.1\n  Port {corral_jump_sshd.port}\n"
        f"  User {corral_ssh_user.name}\n  IdentityFile {corral_ssh_user.key}\n"
        f"Host app\n  HostName 127.0.0.2\n  Port {corral_sshd.port}\n  ProxyJump bastion\n"
        f"  User {corral_ssh_user.name}\n  IdentityFile {corral_ssh_user.key}\n")
    (home / ".ssh" / "known_hosts").write_text(
        corral_sshd.known_hosts.read_text() + corral_jump_sshd.known_hosts.read_text())
    jump_before = corral_jump_sshd.accepted_sessions()
    conn = _bare("app")
    try:
        assert conn.exec_command("echo app")[1] == b"app\n"
    finally:
        conn.close()
    assert corral_jump_sshd.accepted_sessions() == jump_before + 1


def test_jump_host_key_is_checked_too(connect, corral_jump_sshd, corral_ssh_user, home):
    conn = connect(ssh_common_args=f"-J {corral_ssh_user.name}@127.0.0.1:{corral_jump_sshd.port}")
    with pytest.raises(CorralConnectionFailure, match=f"Host key verification failed for \\[127.0.0.1\\]:{corral_jump_sshd.port}"):
        conn.connect()


def test_jump_host_cannot_reach_target(connect, corral_jump_sshd, corral_ssh_user, home):
    conn = connect(port=1, extra={"ansible_ssh_known_hosts_file": str(corral_jump_sshd.known_hosts)},
                   ssh_common_args=f"-J {corral_ssh_user.name}@127.0.0.1:{corral_jump_sshd.port}")
    with pytest.raises(CorralConnectionFailure, match="jump host .* could not connect to it"):
        conn.connect()


def test_ipv6_address(corral_sshd_factory, connect, home):
    server = corral_sshd_factory(addresses=("::1",))
    conn = connect(server=server, address="::1")
    assert conn.exec_command("echo v6")[1] == b"v6\n"
    assert server.accepted_sessions() == 1
