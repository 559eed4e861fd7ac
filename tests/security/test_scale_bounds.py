"""Issue #16 item 4: a run's processes and open files are bounded by forks, not by hosts.

Each test runs ``corral-playbook`` for real (forking executor, local connection) on
many more inventory hosts than forks and samples ``/proc`` while it runs; the run
must end with every host ok.
"""
from __future__ import annotations

import pytest

from corral.executor.play_run import IN_FLIGHT_PER_FORK

from .test_resource_bounds import Sampler, _all_ok, _local_inventory, _process_table, _write_play, run_playbook


def tree_processes(root: int) -> int:
    """``root`` and every live process below it, from ``/proc``."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in _process_table().items():
        children.setdefault(ppid, []).append(pid)
    count, todo = 0, [root]
    while todo:
        pid = todo.pop()
        count += 1
        todo.extend(children.get(pid, []))
    return count


#: processes a run may have besides its workers' lanes: the controller and the zygote
#: that forks the workers
RUN_PROCESSES = 2
#: processes of one worker's lane at most: the worker, the ``/bin/sh`` that starts its
#: module server, the server, the forked child running one module, and the program
#: that module runs (``command``)
LANE_PROCESSES = 5


@pytest.mark.slow
@pytest.mark.parametrize("forks", [2, 4])
def test_processes_are_bounded_by_forks_not_hosts(cli, tmp_path, forks):
    """10 x forks local hosts, 3 tasks (a module, a module running a program, a
    controller action): the run's process tree never holds more than a lane per fork
    plus the controller's own, however many hosts wait their turn."""
    hosts = 10 * forks
    inventory = _local_inventory(tmp_path, hosts)
    play = _write_play(tmp_path, [{"name": "ping", "ping": {}},
                                  {"name": "command", "command": "echo {{ inventory_hostname }}"},
                                  {"name": "debug", "debug": {"msg": "{{ inventory_hostname }} done"}}])
    samplers: list[Sampler] = []

    def watch(pid: int) -> None:
        samplers.append(Sampler(lambda: tree_processes(pid)).__enter__())

    try:
        result = run_playbook(cli.home, "-i", str(inventory), str(play), "-f", str(forks), on_start=watch)
    finally:
        for sampler in samplers:
            sampler.__exit__(None, None, None)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    _all_ok(cli, result, [f"h{i:03d}" for i in range(1, hosts + 1)], ok=3)
    bound = RUN_PROCESSES + LANE_PROCESSES * forks
    assert RUN_PROCESSES + forks <= samplers[0].peak <= bound, \
        f"{samplers[0].peak} processes at once for {hosts} hosts with -f {forks} (bound {bound})"


@pytest.mark.slow
def test_two_thousand_hosts_under_a_low_fd_limit_all_succeed(cli, tmp_path):
    """2,000 local hosts under ``ulimit -n 32`` with ``-f 4``: every host runs its
    module and its program, and nothing runs out of file descriptors (a descriptor
    kept per host would exhaust 32 before the 40th host)."""
    inventory = _local_inventory(tmp_path, 2000)
    play = _write_play(tmp_path, [{"name": "command", "command": "echo {{ inventory_hostname }}",
                                   "register": "out", "changed_when": "out.stdout != inventory_hostname"}])
    result = run_playbook(cli.home, "-i", str(inventory), str(play), "-f", "4", nofile=32, timeout=580)
    assert "Too many open files" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    _all_ok(cli, result, [f"h{i:03d}" for i in range(1, 2001)], ok=1)
    assert "changed=1" not in result.stdout.split("PLAY RECAP")[-1], "a host's program printed another name"


def test_a_task_keeps_a_bounded_number_of_hosts_in_flight(cli, tmp_path):
    """40 local hosts, ``-f 2``: the linear strategy hands a task's hosts to the lanes
    at most ``IN_FLIGHT_PER_FORK`` per fork at a time (each host's variables are
    built as it is handed over), so the ``[started TASK ...]`` lines of the default
    callback's ``show_per_host_start`` never run more than that ahead of the results."""
    inventory = _local_inventory(tmp_path, 40)
    play = _write_play(tmp_path, [{"name": "say", "debug": {"msg": "{{ inventory_hostname }}"}}])
    result = run_playbook(cli.home, "-i", str(inventory), str(play), "-f", "2",
                          env={"ANSIBLE_SHOW_PER_HOST_START": "1"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    _all_ok(cli, result, [f"h{i:03d}" for i in range(1, 41)], ok=1)
    outstanding = peak = started = 0
    for line in result.stdout.splitlines():
        if line.strip().startswith("[started TASK: say on "):
            outstanding += 1
            started += 1
            peak = max(peak, outstanding)
        elif line.startswith("ok: [h"):
            outstanding -= 1
    assert started == 40 and outstanding == 0, result.stdout[-3000:]
    assert 2 <= peak <= IN_FLIGHT_PER_FORK * 2, f"{peak} hosts of one task handed over at once with -f 2"
