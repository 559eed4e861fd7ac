"""The nsenter connection against a real container (see conftest.py)."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from corral.errors import CorralConnectionFailure, CorralFileNotFound, CorralOptionsError
from corral.plugins.connection import Become
from corral_connection_nsenter import NsenterConnection


def _connection(**variables) -> NsenterConnection:
    options = NsenterConnection.options_for("nsenter", "box", variables=variables, env={}, ini={})
    return NsenterConnection(options)


def test_the_options_are_declared_with_their_sources():
    specs = NsenterConnection.option_specs()
    assert specs["nsenter_pid"].vars == ("ansible_nsenter_pid",) and specs["nsenter_pid"].required
    assert specs["nsenter_namespaces"].default == ["mount", "uts", "ipc", "net", "pid"]
    assert "timeout" in specs and "remote_user" in specs        # the ones every connection shares


def test_a_missing_pid_is_refused_naming_the_option():
    with pytest.raises(CorralOptionsError, match="'nsenter_pid' of connection plugin 'nsenter' for host 'box' "
                                                 r"is not set \(set variable ansible_nsenter_pid\)"):
        _connection()
    with pytest.raises(CorralOptionsError, match=r"option 'nsenter_pid' .* \(var: ansible_nsenter_pid\): "
                                                 "expected int"):
        _connection(ansible_nsenter_pid="one")


def test_commands_run_inside_the_container(container):
    conn = _connection(ansible_nsenter_pid=str(container.pid))
    conn.connect()
    rc, out, _ = conn.exec_command("hostname; echo $$; cat /proc/1/comm", b"")
    hostname, pid, init = out.decode().split()
    assert rc == 0
    assert hostname == container.hostname != socket.gethostname()
    assert int(pid) < 50 and init == "sleep"      # the container's own PID namespace


def test_become_inside_the_container(container):
    conn = _connection(ansible_nsenter_pid=str(container.pid))
    rc, out, err = conn.exec_command("id -un", become=Become(user="nobody"))
    assert (rc, out) == (0, b"nobody\n"), err


def test_files_go_to_the_containers_own_mounts(container, tmp_path):
    conn = _connection(ansible_nsenter_pid=str(container.pid))
    source = tmp_path / "payload"
    source.write_bytes(b"x" * 300_000)
    source.chmod(0o640)
    conn.put_file(str(source), "/mnt/payload")       # /mnt is the container's private tmpfs
    assert conn.exec_command("stat -c %a /mnt/payload")[1] == b"640\n"
    assert not Path("/mnt/payload").exists()
    back = tmp_path / "back" / "payload"
    conn.fetch_file("/mnt/payload", str(back))
    assert back.read_bytes() == source.read_bytes()
    with pytest.raises(CorralFileNotFound):
        conn.fetch_file("/mnt/nothing", str(tmp_path / "nothing"))
    assert not (tmp_path / "nothing.corral-partial").exists()


def test_a_gone_process_is_a_connection_failure():
    conn = _connection(ansible_nsenter_pid="999999999")
    with pytest.raises(CorralConnectionFailure, match="no process 999999999"):
        conn.connect()
