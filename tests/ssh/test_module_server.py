"""Module servers over ssh: ``SshConnection.open_process`` and the kernel's ModuleServer on it."""
from __future__ import annotations

import os
import re
import socket
import threading
import time

import pytest

from corral.errors import CorralConnectionFailure
from corral.executor.connections import ConnectionCache
from corral.executor.module_server import ModuleServer, ModuleServerGone, server_command
from corral.plugins.connection import Become
from corral.plugins.executor import ModuleRequest, ResetRequest
from corral_connection_ssh import SshConnection

_IDS = b"import os; print(os.getppid(), os.getpid(), os.geteuid())"


def _ids(out: bytes) -> tuple[int, int, int]:
    ppid, pid, euid = (int(x) for x in out.split())
    return ppid, pid, euid


def _wait_gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not os.path.exists(f"/proc/{pid}"):
            return True
        time.sleep(0.05)
    return False


def test_modules_run_in_forked_children_of_one_server_on_one_login(connect, corral_sshd):
    conn = connect(address="127.0.0.6")
    before = corral_sshd.accepted_sessions(address="127.0.0.6")
    server = ModuleServer(conn.open_process(server_command("python3")))
    try:
        ids = [_ids(server.run(_IDS)[1]) for _ in range(4)]
        assert len({ppid for ppid, _, _ in ids}) == 1
        assert len({pid for _, pid, _ in ids}) == 4
        rc, out, err = server.run(b"import sys, os\nprint(os.environ['GREETING'])\n"
                                  b"sys.stderr.write('oops')\nsys.exit(3)",
                                  {"GREETING": "hi"})
        assert (rc, out, err) == (3, b"hi\n", b"oops")
        assert conn.exec_command("echo alongside")[1] == b"alongside\n"
    finally:
        server.close()
    assert corral_sshd.accepted_sessions(address="127.0.0.6") == before + 1
    assert _wait_gone(ids[0][0]), "the remote server did not exit on stdin EOF"


def test_server_with_become_runs_as_root(connect, corral_ssh_user):
    conn = connect()
    server = ModuleServer(conn.open_process(server_command("python3"),
                                            Become(password=corral_ssh_user.password)))
    try:
        first, second = (_ids(server.run(_IDS)[1]) for _ in range(2))
        assert first[2] == second[2] == 0
        assert first[0] == second[0]
    finally:
        server.close()


@pytest.mark.parametrize("password", ["not-the-password", None])
def test_refused_become_gives_a_process_that_ends_at_once(connect, password):
    conn = connect()
    start = time.monotonic()
    process = conn.open_process(server_command("python3"), Become(password=password))
    with pytest.raises(ModuleServerGone) as gone:
        ModuleServer(process).run(b"print('never')")     # its first request finds it did not start
    assert not gone.value.started and not gone.value.delivered
    assert time.monotonic() - start < 5
    assert conn.exec_command("echo usable")[1] == b"usable\n"


def test_output_after_the_become_marker_is_read_first(connect, corral_ssh_user):
    process = connect().open_process("echo early; cat", Become(password=corral_ssh_user.password))
    try:
        process.write(b"echoed")
        data = b""
        while len(data) < len(b"early\nechoed"):
            data += process.read(64)
        assert data == b"early\nechoed"
    finally:
        process.close()


def test_a_flood_on_stderr_does_not_stall_stdout(connect):
    # 8 MiB on stderr is far more than the channel's window
    process = connect(timeout=5).open_process("head -c 8388608 /dev/zero >&2; echo done")
    received: list[bytes] = []

    def read_all() -> None:
        while chunk := process.read(64):
            received.append(chunk)

    reader = threading.Thread(target=read_all, daemon=True)
    reader.start()
    reader.join(20)
    try:
        assert not reader.is_alive(), "stdout stalled behind unread stderr"
        assert b"".join(received) == b"done\n"
    finally:
        process.close()


def test_a_killed_server_process_ends_the_stream(connect):
    conn = connect()
    server = ModuleServer(conn.open_process(server_command("python3")))
    try:
        with pytest.raises(ModuleServerGone):
            server.run(b"import os, signal; os.kill(os.getppid(), signal.SIGKILL); import time; time.sleep(1)")
    finally:
        server.close()
    assert conn.exec_command("echo still here")[1] == b"still here\n"


def test_sshd_killed_during_a_module_is_a_connection_failure_in_bounded_time(corral_sshd_factory, connect):
    sshd = corral_sshd_factory()
    conn = connect(server=sshd)
    server = ModuleServer(conn.open_process(server_command("python3")))
    killer = threading.Timer(0.5, sshd.kill)
    killer.start()
    start = time.monotonic()
    try:
        with pytest.raises(CorralConnectionFailure, match="lost while running a command"):
            server.run(b"import time; time.sleep(30)")
    finally:
        killer.join(10)
        server.close()
    assert time.monotonic() - start < 10


class _CuttableProxy:
    """A TCP forwarder to sshd whose open connections can be cut while it keeps listening."""

    def __init__(self, port: int) -> None:
        self._upstream = port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self._upstream))
            self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._sockets = []

    def close(self) -> None:
        self.cut()
        self._listener.close()


def test_connection_cache_keeps_one_server_per_host_and_become_and_resets_them(
        corral_ssh_options, corral_sshd, corral_ssh_user):
    options = corral_ssh_options(address="127.0.0.7")
    cache = ConnectionCache(lambda name: SshConnection)
    before = corral_sshd.accepted_sessions(address="127.0.0.7")
    plain = ModuleRequest("python3", _IDS)
    root = ModuleRequest("python3", _IDS, become=Become(password=corral_ssh_user.password))
    try:
        runs = [cache.handle("h", options, plain) for _ in range(3)]
        as_root = [cache.handle("h", options, root) for _ in range(2)]
        assert all(rc == 0 for rc, _, _ in runs + as_root)
        plain_ids = [_ids(out) for _, out, _ in runs]
        root_ids = [_ids(out) for _, out, _ in as_root]
        assert len({ppid for ppid, _, _ in plain_ids}) == 1
        assert len({ppid for ppid, _, _ in root_ids}) == 1
        assert plain_ids[0][0] != root_ids[0][0]
        assert {euid for _, _, euid in root_ids} == {0}
        assert corral_sshd.accepted_sessions(address="127.0.0.7") == before + 1
        cache.handle("h", options, ResetRequest())
        assert _wait_gone(plain_ids[0][0]), "reset left the module server running"
        rc, out, _ = cache.handle("h", options, plain)
        assert rc == 0 and _ids(out)[0] != plain_ids[0][0]
        assert corral_sshd.accepted_sessions(address="127.0.0.7") == before + 2
    finally:
        cache.close_all()


def test_a_dropped_connection_fails_the_module_and_the_next_one_gets_a_new_server(corral_ssh_options, corral_sshd):
    proxy = _CuttableProxy(corral_sshd.port)
    options = corral_ssh_options(port=proxy.port, host_key_checking=False,
                          extra={"ansible_ssh_known_hosts_file": None})
    cache = ConnectionCache(lambda name: SshConnection)
    try:
        rc, out, _ = cache.handle("h", options, ModuleRequest("python3", _IDS))
        first = _ids(out)[0]
        threading.Timer(0.5, proxy.cut).start()
        start = time.monotonic()
        with pytest.raises(CorralConnectionFailure, match="lost while running a command"):
            cache.handle("h", options, ModuleRequest("python3", b"import time; time.sleep(30)"))
        assert time.monotonic() - start < 10
        rc, out, err = cache.handle("h", options, ModuleRequest("python3", _IDS))
        assert rc == 0, err
        assert _ids(out)[0] != first
    finally:
        cache.close_all()
        proxy.close()


def test_playbook_runs_every_module_of_a_host_in_one_server(corral_ssh_inventory, corral_sshd, tmp_path, cli):
    inventory = corral_ssh_inventory(count=3, become_password=True)
    # a shell's parent is the module's process, whose parent is the host's module server
    server_pid = "shell: p=$(ps -o ppid= -p $PPID); echo $p; ps -o args= -p $p"
    playbook = tmp_path / "servers.yml"
    playbook.write_text(f"""
- hosts: ssh
  gather_facts: false
  tasks:
    - {{{server_pid}, register: a}}
    - ping:
    - {{{server_pid}, register: b}}
    - {{{server_pid}, register: root_a, become: true}}
    - {{command: id -u, register: uid, become: true}}
    - {{{server_pid}, register: root_b, become: true}}
    - {{{server_pid}, register: c}}
    - assert:
        that:
          - a.stdout_lines[0] | int > 1
          - "'sys.stdin.buffer.read' in a.stdout_lines[1]"
          - a.stdout == b.stdout == c.stdout
          - root_a.stdout == root_b.stdout
          - root_a.stdout != a.stdout
          - uid.stdout == "0"
    - debug: msg="server {{{{ a.stdout_lines[0] | trim }}}}"
""")
    addresses = corral_sshd.addresses[:3]
    before = {a: corral_sshd.accepted_sessions(address=a) for a in addresses}
    proc = cli("corral-playbook", "-i", str(inventory), "-f", "3", str(playbook))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert all(r["ok"] == 9 and r["failed"] == 0 for r in cli.recap(proc.stdout).values()), proc.stdout
    assert {a: corral_sshd.accepted_sessions(address=a) - before[a] for a in addresses} == \
        {a: 1 for a in addresses}
    pids = [int(p) for p in re.findall(r'"msg": "server (\d+)"', proc.stdout)]
    assert len(set(pids)) == 3, proc.stdout
    assert all(_wait_gone(pid) for pid in pids), "module servers outlived the run"


def test_a_missing_interpreter_gives_no_server_at_once(connect):
    conn = connect()
    start = time.monotonic()
    with pytest.raises(ModuleServerGone) as gone:
        ModuleServer(conn.open_process(server_command("/nonexistent/python3"))).run(b"print('never')")
    assert not gone.value.started      # the module then runs the plain way, which reports why
    assert time.monotonic() - start < 5


def test_a_connection_dropped_between_tasks_is_reopened_with_a_new_server(corral_ssh_options, corral_sshd):
    proxy = _CuttableProxy(corral_sshd.port)
    options = corral_ssh_options(port=proxy.port, host_key_checking=False,
                          extra={"ansible_ssh_known_hosts_file": None})
    cache = ConnectionCache(lambda name: SshConnection)
    try:
        rc, out, _ = cache.handle("h", options, ModuleRequest("python3", _IDS))
        first = _ids(out)[0]
        proxy.cut()
        assert _wait_gone(first), "the server outlived its connection"
        rc, out, err = cache.handle("h", options, ModuleRequest("python3", _IDS))
        assert rc == 0, err
        assert _ids(out)[0] != first
    finally:
        cache.close_all()
        proxy.close()
