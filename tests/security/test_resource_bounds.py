"""Issue #10 item 9: what a run holds open is bounded by forks, not by the number of hosts.

Each test runs ``corral-playbook`` for real on many inventory hosts with few forks and
samples ``/proc`` during the run: module-server processes of the run's process tree,
established SSH sessions at the test sshd, and the run must still end with every host
ok.  A run with more hosts than the bound reconnects hosts whose turn comes again; it
never fails them.
"""
from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

import pytest

from corral.executor.module_server import server_command

PLAYBOOK = Path(sys.executable).parent / "corral-playbook"
# what a module server's interpreter has on its command line (its ``-c`` bootstrap)
SERVER_MARK = server_command("python3").split(" -c ", 1)[1].strip("'").encode()


def _write_play(tmp_path: Path, tasks: list[dict], hosts: str = "all") -> Path:
    path = tmp_path / "play.yml"
    path.write_text(json.dumps([{"hosts": hosts, "gather_facts": False, "tasks": tasks}]))
    return path


def _local_inventory(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "hosts.ini"
    path.write_text("".join(f"h{i:03d} ansible_connection=local ansible_python_interpreter={sys.executable}\n"
                            for i in range(1, count + 1)))
    return path


def _process_table() -> dict[int, tuple[int, bytes]]:
    """``{pid: (ppid, cmdline)}`` of every process, from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read()
        except (OSError, IndexError, ValueError):
            continue
        table[int(entry)] = (ppid, cmdline)
    return table


def module_servers(root: int) -> int:
    """Live module servers below ``root``: interpreters started with the server's
    bootstrap, not counting the ``/bin/sh`` that may wrap one or the forked
    children that run single modules (they share the server's command line)."""
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo.extend(children.get(pid, []))

    def is_server(pid: int) -> bool:
        argv = table[pid][1].split(b"\0")
        return SERVER_MARK in argv and b"-c" in argv[:-2] and not argv[0].endswith(b"sh")

    return sum(1 for pid in tree if pid in table and is_server(pid) and not is_server(table[pid][0]))


def ssh_sessions(port: int) -> int:
    """Established TCP connections to the local sshd listening on ``port``.

    Counted by (local, remote) address: a read of ``/proc/net/tcp`` that spans
    several pages may list a socket twice while the table changes."""
    sessions = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                sessions.add((fields[1], fields[2]))
    return len(sessions)


class Sampler:
    """Measures every 20 ms while a run goes on; keeps the maximum.

    Each measure is the smaller of two readings in a row: neither ``/proc/net/tcp``
    nor a walk of ``/proc`` is an atomic snapshot, so one reading taken while a
    worker swaps one host's connection for another's may see both; a real excess
    is still there at the second reading."""

    def __init__(self, measure: Callable[[], int]) -> None:
        self.peak = 0
        self._measure = measure
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, min(self._measure(), self._measure()))

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_playbook(home: Path, *args: str, nofile: int | None = None,
                 on_start: Callable[[int], object] = lambda pid: None, env: dict[str, str] | None = None,
                 timeout: float = 120) -> subprocess.CompletedProcess:
    """``corral-playbook args`` with a scratch HOME, optionally under ``ulimit -n nofile``
    and with more ``env``; ``on_start(pid)`` is called once the process runs."""
    env = dict(os.environ, HOME=str(home), CORRAL_NOCOLOR="1", ANSIBLE_NOCOLOR="1", **(env or {}))
    env.pop("SSH_AUTH_SOCK", None)

    def limit() -> None:
        if nofile is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    proc = subprocess.Popen([str(PLAYBOOK), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, stdin=subprocess.DEVNULL, preexec_fn=limit)
    on_start(proc.pid)
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _all_ok(cli, result: subprocess.CompletedProcess, hosts: list[str], ok: int) -> None:
    recap = cli.recap(result.stdout)
    assert sorted(recap) == sorted(hosts), result.stdout[-3000:] + result.stderr[-3000:]
    bad = {h: row for h, row in recap.items() if row.get("ok") != ok or row.get("failed") or row.get("unreachable")}
    assert not bad, f"{len(bad)} hosts not ok, e.g. {list(bad.items())[:3]}\n{result.stdout[-3000:]}"


def test_many_local_hosts_under_a_low_fd_limit_all_succeed(cli, tmp_path):
    """(a) 200 hosts, ``ulimit -n 128``, ``-f 2``: today a worker keeps a module server
    (and its pipes) per host and runs out of file descriptors."""
    inventory = _local_inventory(tmp_path, 200)
    play = _write_play(tmp_path, [{"name": "ping", "ping": {}},
                                  {"name": "command", "command": "echo {{ inventory_hostname }}",
                                   "register": "out"},
                                  {"name": "check", "assert": {"that": "out.stdout == inventory_hostname"}}])
    result = run_playbook(cli.home, "-i", str(inventory), str(play), "-f", "2", nofile=128)
    assert "Too many open files" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    _all_ok(cli, result, [f"h{i:03d}" for i in range(1, 201)], ok=3)


def test_live_module_servers_are_bounded_by_forks(cli, tmp_path):
    """(b) 40 local hosts, ``-f 3``: never more module servers alive than forks."""
    inventory = _local_inventory(tmp_path, 40)
    play = _write_play(tmp_path, [{"name": f"ping {i}", "ping": {}} for i in range(3)])
    samplers: list[Sampler] = []

    def watch(pid: int) -> None:
        samplers.append(Sampler(lambda: module_servers(pid)).__enter__())

    try:
        result = run_playbook(cli.home, "-i", str(inventory), str(play), "-f", "3", on_start=watch)
    finally:
        for sampler in samplers:
            sampler.__exit__(None, None, None)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    _all_ok(cli, result, [f"h{i:03d}" for i in range(1, 41)], ok=3)
    assert 1 <= samplers[0].peak <= 3, f"{samplers[0].peak} module servers alive at once with -f 3"


@pytest.mark.parametrize("cache_size, least, bound, executor",
                         [(None, 1, 2, "forking"), ("4", 3, 4, "forking"), (None, 1, 2, "inline"),
                          ("4", 3, 4, "inline")],
                         ids=["forks", "connection_cache_size", "forks-inline", "connection_cache_size-inline"])
def test_ssh_sessions_are_bounded_by_forks(cli, tmp_path, corral_sshd, corral_ssh_inventory, cache_size, least,
                                           bound, executor):
    """(c) 12 inventory hosts on the real sshd, ``-f 2``: at most 2 SSH sessions at
    once, or ``connection_cache_size`` when set (today every host's Transport stays
    open for the whole run), and all hosts ok; on both executors."""
    inventory = corral_ssh_inventory(count=12)
    play = _write_play(tmp_path, [{"name": "ping", "ping": {}},
                                  {"name": "command", "command": "echo {{ inventory_hostname }}"},
                                  {"name": "raw", "raw": "true"}])
    before = ssh_sessions(corral_sshd.port)
    samplers: list[Sampler] = []

    def watch(pid: int) -> None:
        samplers.append(Sampler(lambda: ssh_sessions(corral_sshd.port) - before).__enter__())

    try:
        env = {"CORRAL_EXECUTOR": executor, **({"CORRAL_CONNECTION_CACHE_SIZE": cache_size} if cache_size else {})}
        result = run_playbook(cli.home, "-i", str(inventory), str(play), "-f", "2", on_start=watch, env=env)
    finally:
        for sampler in samplers:
            sampler.__exit__(None, None, None)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    _all_ok(cli, result, [f"host{i}" for i in range(1, 13)], ok=3)
    assert least <= samplers[0].peak <= bound, f"{samplers[0].peak} ssh sessions open at once (bound {bound})"


def test_failed_hosts_release_their_ssh_sessions(cli, tmp_path, corral_sshd, corral_ssh_inventory):
    """A host that failed is left out of the rest of the run: its SSH session is closed
    when its play ends, even when the connection cache has room to keep it."""
    inventory = corral_ssh_inventory(count=2)
    established = (f"awk '$4 == \"01\" && $2 ~ /:{corral_sshd.port:04X}$/' /proc/net/tcp /proc/net/tcp6 "
                   "| wc -l")
    play = tmp_path / "play.yml"
    play.write_text(json.dumps([
        {"hosts": "all", "gather_facts": False,
         "tasks": [{"name": "fail one", "command": "false", "when": "inventory_hostname == 'host1'"},
                   {"name": "work", "command": "true"}]},
        {"hosts": "all", "gather_facts": False,
         "tasks": [{"name": "count sessions", "shell": established, "register": "sessions"},
                   {"debug": {"msg": "SESSIONS={{ sessions.stdout | trim }}"}}]}]))
    before = ssh_sessions(corral_sshd.port)
    result = run_playbook(cli.home, "-i", str(inventory), str(play), "-f", "2",
                          env={"CORRAL_CONNECTION_CACHE_SIZE": "10"})
    assert result.returncode == 2, result.stdout[-3000:] + result.stderr[-3000:]
    recap = cli.recap(result.stdout)
    assert recap["host1"]["failed"] == 1 and recap["host2"]["failed"] == 0
    counted = re.search(r"SESSIONS=(\d+)", result.stdout)
    assert counted, result.stdout[-3000:]
    assert int(counted.group(1)) - before == 1, "host1's session outlived its failure:\n" + result.stdout


def test_a_negative_connection_cache_size_is_refused(cli, tmp_path):
    """The bound is a number of hosts: a negative one is a clear one-line error (rc 5)."""
    inventory = _local_inventory(tmp_path, 2)
    play = _write_play(tmp_path, [{"ping": {}}])
    result = run_playbook(cli.home, "-i", str(inventory), str(play), env={"CORRAL_CONNECTION_CACHE_SIZE": "-1"})
    assert result.returncode == 5
    assert result.stderr.strip() == ("[ERROR]: Invalid value '-1' for setting 'connection_cache_size' "
                                     "(env: CORRAL_CONNECTION_CACHE_SIZE): expected 0 (forks) or a positive number")
    assert "Traceback" not in result.stdout + result.stderr
