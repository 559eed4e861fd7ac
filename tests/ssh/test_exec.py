"""exec_command over one persistent Transport, against the real sshd."""
from __future__ import annotations

import hashlib
import os

from corral.plugins.manager import PluginManager
from corral_connection_ssh import SshConnection


def test_plugin_is_found_through_its_entry_points():
    pm = PluginManager()
    assert pm.connection_class("ssh") is SshConnection
    assert pm.connection_class("paramiko") is SshConnection


def test_exec_returns_rc_stdout_stderr(connect, corral_ssh_user):
    conn = connect()
    rc, out, err = conn.exec_command("id -un; echo oops >&2; exit 3")
    assert (rc, out, err) == (3, f"{corral_ssh_user.name}\n".encode(), b"oops\n")


def test_stdin_payload_is_fed_and_closed(connect):
    conn = connect()
    payload = os.urandom(3 * 1024 * 1024)           # larger than the channel window
    rc, out, err = conn.exec_command("sha256sum", in_data=payload)
    assert rc == 0, err
    assert out.split()[0].decode() == hashlib.sha256(payload).hexdigest()


def test_large_output_while_reading_large_input(connect):
    conn = connect()
    payload = os.urandom(4 * 1024 * 1024)
    rc, out, err = conn.exec_command("cat", in_data=payload)
    assert rc == 0, err
    assert out == payload


def test_many_execs_reuse_one_login(connect, corral_sshd, corral_ssh_user):
    address = "127.0.0.5"
    before = corral_sshd.accepted_sessions(address=address)
    conn = connect(address=address)
    for i in range(30):
        rc, out, _ = conn.exec_command(f"echo {i}")
        assert (rc, out) == (0, f"{i}\n".encode())
    assert corral_sshd.accepted_sessions(address=address) == before + 1


def test_reset_logs_in_again(connect, corral_sshd):
    address = "127.0.0.6"
    before = corral_sshd.accepted_sessions(address=address)
    conn = connect(address=address)
    conn.exec_command("true")
    conn.reset()
    assert conn.exec_command("echo again")[1] == b"again\n"
    assert corral_sshd.accepted_sessions(address=address) == before + 2


def test_connect_is_idempotent_and_close_releases(connect, corral_sshd):
    address = "127.0.0.7"
    before = corral_sshd.accepted_sessions(address=address)
    conn = connect(address=address)
    conn.connect()
    conn.connect()
    assert corral_sshd.accepted_sessions(address=address) == before + 1
    conn.close()
    assert conn._transport is None
