"""Unreachable hosts: every failure is a CorralConnectionFailure with the reason, in bounded time."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from corral.errors import CorralAuthenticationFailure, CorralConnectionFailure


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused(connect):
    conn = connect(port=_closed_port())
    with pytest.raises(CorralConnectionFailure, match="Connection refused"):
        conn.exec_command("true")


def test_unknown_host_name(connect):
    conn = connect(address="no-such-host.invalid")
    with pytest.raises(CorralConnectionFailure, match="Could not resolve hostname no-such-host.invalid"):
        conn.connect()


def test_server_that_never_answers_times_out(connect):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)                      # accepts TCP, never speaks SSH
    try:
        conn = connect(port=silent.getsockname()[1], timeout=1)
        start = time.monotonic()
        with pytest.raises(CorralConnectionFailure) as info:
            conn.connect()
        assert time.monotonic() - start < 5
        assert "banner" in str(info.value).lower() or "timed out" in str(info.value).lower()
    finally:
        silent.close()


def test_unreachable_host_prints_no_paramiko_traceback(tmp_path):
    # a server that closes at once: paramiko logs the failed handshake with a traceback,
    # which must not reach the terminal next to the UNREACHABLE line
    closing = socket.socket()
    closing.bind(("127.0.0.1", 0))
    closing.listen(5)
    stop = threading.Event()

    def close_each() -> None:
        closing.settimeout(0.2)
        while not stop.is_set():
            try:
                closing.accept()[0].close()
            except OSError:
                continue

    thread = threading.Thread(target=close_each, daemon=True)
    thread.start()
    playbook = tmp_path / "play.yml"
    playbook.write_text("- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n")
    try:
        proc = subprocess.run(
            [str(Path(sys.executable).parent / "corral-playbook"), "-i", "target,", str(playbook),
             "-e", f"ansible_host=127.0.0.1 ansible_port={closing.getsockname()[1]} ansible_connection=ssh",
             "-e", "ansible_ssh_retries=0 ansible_timeout=2"],
            capture_output=True, text=True, timeout=120)
    finally:
        stop.set()
        thread.join()
        closing.close()
    assert proc.returncode == 4 and "UNREACHABLE!" in proc.stdout
    assert "Traceback" not in proc.stderr and "Exception (client)" not in proc.stderr, proc.stderr


def test_retries_wait_for_a_server_that_comes_up(connect, corral_sshd):
    # a proxy port that refuses at first, then forwards to the real server
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve_later():
        time.sleep(0.6)
        listener.listen(1)
        client, _ = listener.accept()
        upstream = socket.create_connection(("127.0.0.1", corral_sshd.port))
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=_pump, args=(a, b), daemon=True).start()

    threading.Thread(target=serve_later, daemon=True).start()
    known = {"ansible_ssh_known_hosts_file": None}
    conn = connect(port=port, host_key_checking=False, extra=dict(known, ansible_ssh_retries=3))
    try:
        assert conn.exec_command("echo retried")[1] == b"retried\n"
    finally:
        conn.close()
        listener.close()


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        dst.close()


def test_retries_give_up_in_bounded_time(connect):
    conn = connect(port=_closed_port(), extra={"ansible_ssh_retries": 2})
    start = time.monotonic()
    with pytest.raises(CorralConnectionFailure, match="Connection refused"):
        conn.connect()
    assert 1.0 < time.monotonic() - start < 5


def test_authentication_failures_are_not_retried(connect, tmp_path, monkeypatch, corral_ssh_user):
    monkeypatch.setenv("HOME", str(tmp_path))
    conn = connect(private_key_file=None, password="bad", extra={"ansible_ssh_retries": 5})
    start = time.monotonic()
    with pytest.raises(CorralAuthenticationFailure):
        conn.connect()
    assert time.monotonic() - start < 5


def test_server_killed_during_a_command(corral_sshd_factory, connect):
    server = corral_sshd_factory()
    conn = connect(server=server)
    assert conn.exec_command("echo up")[1] == b"up\n"
    killer = threading.Timer(0.5, server.kill)
    killer.start()
    start = time.monotonic()
    with pytest.raises(CorralConnectionFailure, match="lost while running a command"):
        conn.exec_command("sleep 30")
    elapsed = time.monotonic() - start
    assert elapsed < 10, f"noticed the dead server only after {elapsed:.1f}s"
    # and, once the listener is gone too, the next task fails at once, not after a hang
    killer.join(10)
    with pytest.raises(CorralConnectionFailure, match="Connection refused"):
        conn.exec_command("true")


def test_server_killed_between_tasks_fails_the_next_task(corral_sshd_factory, connect):
    server = corral_sshd_factory()
    conn = connect(server=server)
    conn.exec_command("true")
    server.kill()
    with pytest.raises(CorralConnectionFailure):
        conn.exec_command("true")
