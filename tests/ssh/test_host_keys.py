"""Host key checking against known_hosts: unknown and changed keys fail the host."""
from __future__ import annotations

import pytest

from corral.errors import CorralConnectionFailure


def test_known_key_is_accepted(connect):
    assert connect().exec_command("echo ok")[1] == b"ok\n"


def test_unknown_host_fails_with_a_clear_message(connect, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    conn = connect(extra={"ansible_ssh_known_hosts_file": str(tmp_path / "empty")})
    with pytest.raises(CorralConnectionFailure, match=r"Host key verification failed for \[127\.0\.0\.1\]:\d+"):
        conn.connect()


def test_unknown_host_accepted_and_recorded_when_checking_is_off(connect, tmp_path, monkeypatch,
                                                                  corral_sshd):
    monkeypatch.setenv("HOME", str(tmp_path))
    record = tmp_path / "known"
    conn = connect(host_key_checking=False,
                   extra={"ansible_ssh_known_hosts_file": None,
                          "ansible_ssh_record_host_keys": True},
                   ssh_common_args=f"-o UserKnownHostsFile={record}")
    assert conn.exec_command("echo in")[1] == b"in\n"
    line = record.read_text().split()
    assert line[0] == f"[127.0.0.1]:{corral_sshd.port}"
    assert " ".join(line[1:]) in corral_sshd.host_public_keys()
    # the recorded key now passes strict checking
    strict = connect(ssh_common_args=f"-o UserKnownHostsFile={record}",
                     extra={"ansible_ssh_known_hosts_file": None})
    assert strict.exec_command("echo again")[1] == b"again\n"


def test_unknown_host_not_recorded_by_default(connect, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    conn = connect(host_key_checking=False, extra={"ansible_ssh_known_hosts_file": None})
    assert conn.exec_command("true")[0] == 0
    assert not (tmp_path / ".ssh").exists()


@pytest.mark.parametrize("checking", [True, False])
def test_changed_key_is_never_accepted(connect, corral_sshd, tmp_path, monkeypatch, checking):
    monkeypatch.setenv("HOME", str(tmp_path))
    other = _other_host_key(tmp_path)
    lines = [f"[127.0.0.1]:{corral_sshd.port} {kind} {other}\n"
             for kind in ("ssh-ed25519",)]
    known = tmp_path / "known_hosts"
    known.write_text("".join(lines))
    conn = connect(host_key_checking=checking, extra={"ansible_ssh_known_hosts_file": str(known)})
    with pytest.raises(CorralConnectionFailure, match="REMOTE HOST IDENTIFICATION HAS CHANGED"):
        conn.connect()


def test_known_ecdsa_key_is_preferred_over_unknown_ed25519(connect, corral_sshd, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    ecdsa = [k for k in corral_sshd.host_public_keys() if k.startswith("ecdsa")][0]
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{corral_sshd.port} {ecdsa}\n")
    conn = connect(extra={"ansible_ssh_known_hosts_file": str(known)})
    assert conn.exec_command("echo ecdsa")[1] == b"ecdsa\n"


def test_hashed_known_hosts_entries(connect, corral_sshd, tmp_path, monkeypatch):
    import subprocess
    monkeypatch.setenv("HOME", str(tmp_path))
    known = tmp_path / "known_hosts"
    known.write_text(corral_sshd.known_hosts.read_text())
    subprocess.run(["ssh-keygen", "-H", "-f", str(known)], check=True, capture_output=True)
    assert "127.0.0.1" not in known.read_text()
    conn = connect(extra={"ansible_ssh_known_hosts_file": str(known)})
    assert conn.exec_command("echo hashed")[1] == b"hashed\n"


def test_a_fleets_known_hosts_is_read_once_and_only_the_hosts_lines_become_keys(connect, corral_sshd, tmp_path,
                                                                               monkeypatch):
    """A known_hosts file listing thousands of hosts costs one read per process, and
    only the lines naming the host are parsed into keys: a bad line of another host
    is never looked at (as OpenSSH skips it), a bad line of this host is an error."""
    from corral_connection_ssh import hostkeys
    monkeypatch.setenv("HOME", str(tmp_path))
    known = tmp_path / "known_hosts"
    others = "".join(f"[10.0.{i // 250}.{i % 250}]:22 ssh-ed25519 not*base64*at*all\n" for i in range(5000))
    known.write_text(others + corral_sshd.known_hosts.read_text())
    for word in ("fleet", "again"):
        assert connect(extra={"ansible_ssh_known_hosts_file": str(known)}).exec_command(f"echo {word}")[1] \
            == f"{word}\n".encode()
    stamp = known.stat()
    assert hostkeys._key_lines.cache_info().currsize >= 1
    before = hostkeys._key_lines.cache_info().misses
    hostkeys.KnownHosts((str(known),))
    assert hostkeys._key_lines.cache_info().misses == before, "an unchanged file is not read again"
    assert known.stat().st_mtime_ns == stamp.st_mtime_ns
    broken = tmp_path / "broken"
    broken.write_text(f"[127.0.0.1]:{corral_sshd.port} ssh-ed25519 not*base64*at*all\n")
    with pytest.raises(CorralConnectionFailure, match=r"cannot read known_hosts file .*broken: invalid key for "):
        connect(extra={"ansible_ssh_known_hosts_file": str(broken)}).connect()


def _other_host_key(tmp_path) -> str:
    from pytest_corral.sshd import generate_key
    key = generate_key(tmp_path / "other_host_key")
    return (tmp_path / "other_host_key.pub").read_text().split()[1]
