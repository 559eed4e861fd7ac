"""Authentication: keys (plain and encrypted), ssh-agent, passwords, default keys; failures."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess

import pytest

from corral.errors import CorralAuthenticationFailure


@pytest.fixture
def empty_home(tmp_path, monkeypatch):
    """A HOME without keys or config, and no agent: only what a test offers is used."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    return home


def test_encrypted_key_with_passphrase(connect, corral_ssh_user, empty_home):
    conn = connect(private_key_file=str(corral_ssh_user.encrypted_key),
                   extra={"ansible_ssh_private_key_passphrase": corral_ssh_user.passphrase})
    assert conn.exec_command("echo rsa")[1] == b"rsa\n"


def test_encrypted_key_without_passphrase_says_so(connect, corral_ssh_user, empty_home):
    conn = connect(private_key_file=str(corral_ssh_user.encrypted_key))
    with pytest.raises(CorralAuthenticationFailure, match="encrypted; set ansible_ssh_private_key_passphrase"):
        conn.connect()


def test_password_authentication(connect, corral_ssh_user, empty_home):
    conn = connect(private_key_file=None, password=corral_ssh_user.password)
    assert conn.exec_command("echo pw")[1] == b"pw\n"


def test_wrong_password_is_an_authentication_failure(connect, corral_ssh_user, empty_home):
    conn = connect(private_key_file=None, password="definitely-wrong")
    with pytest.raises(CorralAuthenticationFailure, match=r"Permission denied \(tried: password\)") as info:
        conn.connect()
    assert "definitely-wrong" not in str(info.value)


def test_nothing_to_offer(connect, empty_home):
    with pytest.raises(CorralAuthenticationFailure, match="no key, agent or password"):
        connect(private_key_file=None).connect()


def test_default_key_in_home(connect, corral_ssh_user, empty_home):
    (empty_home / ".ssh").mkdir()
    shutil.copy(corral_ssh_user.key, empty_home / ".ssh" / "id_ed25519")
    conn = connect(private_key_file=None)
    assert conn.exec_command("echo default")[1] == b"default\n"


def test_ssh_agent(connect, corral_ssh_user, empty_home, monkeypatch, tmp_path):
    sock = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if sock.exists():
                break
            subprocess.run(["sleep", "0.02"])
        env = dict(os.environ, SSH_AUTH_SOCK=str(sock))
        subprocess.run(["ssh-add", str(corral_ssh_user.key)], env=env, check=True,
                       capture_output=True, timeout=10)
        monkeypatch.setenv("SSH_AUTH_SOCK", str(sock))
        conn = connect(private_key_file=None)
        assert conn.exec_command("echo agent")[1] == b"agent\n"
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait(timeout=5)
