"""corral-executor-forking: a pool of worker processes, each owning its hosts' connections."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import ExecRequest, ExecutorSettings
from corral.plugins.manager import PluginManager
from tests.plugins.executor.contract_checks import check_request_limit


def test_requests_run_in_worker_processes_that_keep_their_hosts() -> None:
    executor = PluginManager().executor_class("forking")(ExecutorSettings(forks=2))
    try:
        executor.start(["a", "b", "c"])
        assert executor.size == 2
        lanes = {host: executor.lane_of(host) for host in "abc"}
        pids = {}
        for host in "abc":
            options = ConnectionOptions("local", host)
            rc, out, _ = executor.call(host, options, ExecRequest("echo $PPID"))
            assert rc == 0
            pids[host] = int(out)
        assert os.getpid() not in pids.values()
        for x in "abc":
            for y in "abc":
                assert (pids[x] == pids[y]) == (lanes[x] == lanes[y])
    finally:
        executor.shutdown()


def test_it_is_the_default_executor_of_a_run(corral_inventory, corral_run) -> None:
    for name in ("a", "b", "c"):
        corral_inventory.host(name)
    result = corral_run.task({"command": "echo {{ inventory_hostname }}"}, forks=2)
    assert result.rc == 0
    assert sorted(corral_run.outcome(result, host).result["stdout"] for host in "abc") == ["a", "b", "c"]


def _comm(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_workers_are_forked_by_the_runs_zygote_and_end_with_the_run() -> None:
    executor = PluginManager().executor_class("forking")(ExecutorSettings(forks=2))
    try:
        executor.start(["a", "b"])
        for host in "ab":
            rc, _, _ = executor.call(host, ConnectionOptions("local", host), ExecRequest("true"))
            assert rc == 0
        workers = [pid for pid in executor.worker_pids() if pid is not None]
        assert len(set(workers)) == 2
        zygotes = {_parent(pid) for pid in workers}
        assert len(zygotes) == 1, "one zygote forks every worker of the run"
        zygote = zygotes.pop()
        assert _comm(zygote) == "corral-zygote" and {_comm(pid) for pid in workers} == {"corral-worker"}
        assert _parent(zygote) == os.getpid()
        assert os.getsid(workers[0]) == workers[0], "a worker leads its own session, as a spawned one does"
    finally:
        executor.shutdown()
    for pid in [*workers, zygote]:
        assert not Path(f"/proc/{pid}").exists() or "(Z)" in Path(f"/proc/{pid}/stat").read_text()[:64] \
            or _parent(pid) != zygote, f"process {pid} outlived the run"


def test_the_cpu_of_forked_workers_counts_as_the_runs(tmp_path: Path) -> None:
    """Forked workers are reaped by the zygote, the zygote by the controller: what the
    workers used shows in the controller's children's usage (benchmarks rely on it)."""
    burn = "import time\nend = time.process_time() + 0.8\nwhile time.process_time() < end: pass\n"
    playbook = tmp_path / "site.yml"
    playbook.write_text(json.dumps([{"hosts": "all", "gather_facts": False, "tasks": [
        {"command": {"argv": [sys.executable, "-c", burn]}}]}]))
    inventory = tmp_path / "inv"
    inventory.write_text("".join(f"h{i} ansible_connection=local ansible_python_interpreter={sys.executable}\n"
                                 for i in range(2)))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    with open(tmp_path / "out", "wb") as out:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "corral-playbook"), "-i", str(inventory),
                                 "-f", "2", str(playbook)], stdout=out, stderr=subprocess.STDOUT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    text = (tmp_path / "out").read_text()
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert text.count("changed=1") == 2, text
    assert usage.ru_utime + usage.ru_stime >= 1.6, "both hosts' 0.8 s of CPU are counted"


def test_a_request_past_its_limit_is_aborted_with_what_it_started_and_later_ones_run(tmp_path) -> None:
    executor = PluginManager().executor_class("forking")(ExecutorSettings(forks=1))
    try:
        check_request_limit(executor, tmp_path)
    finally:
        executor.shutdown()


def _workers_and_zygote(executor) -> tuple[list[int], int]:
    for host in "ab":
        rc, _, _ = executor.call(host, ConnectionOptions("local", host), ExecRequest("true"))
        assert rc == 0
    workers = [pid for pid in executor.worker_pids() if pid is not None]
    zygotes = {_parent(pid) for pid in workers}
    assert len(zygotes) == 1
    return workers, zygotes.pop()


def test_a_single_threaded_controller_forks_the_zygote_itself() -> None:
    executor = PluginManager().executor_class("forking")(ExecutorSettings(forks=2))
    try:
        executor.start(["a", "b"])
        assert threading.active_count() == 1
        executor.prepare()          # as the kernel does before a run's first request
        _, zygote = _workers_and_zygote(executor)
        cmdline = Path(f"/proc/{zygote}/cmdline").read_bytes()
        assert b"corral_executor_forking.zygote" not in cmdline, "forked, not a fresh interpreter"
        assert _comm(zygote) == "corral-zygote" and _parent(zygote) == os.getpid()
    finally:
        executor.shutdown()


def test_with_other_threads_running_the_zygote_is_a_fresh_interpreter() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    executor = PluginManager().executor_class("forking")(ExecutorSettings(forks=2))
    try:
        executor.start(["a", "b"])
        executor.prepare()          # fork() is not safe now: nothing is forked here
        _, zygote = _workers_and_zygote(executor)
        assert b"corral_executor_forking.zygote" in Path(f"/proc/{zygote}/cmdline").read_bytes()
        assert _comm(zygote) == "corral-zygote" and _parent(zygote) == os.getpid()
    finally:
        executor.shutdown()
        stop.set()
        other.join()


_INTERRUPTED_FORK = r"""
import os, signal, sys
import logging      # its at-fork handlers run Python code while fork() runs
from corral.executor.lanes import LanePool
from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import ExecRequest, ExecutorSettings
from corral.plugins.manager import PluginManager

sent = []
def sigint_while_forking():
    if not sent and os.getpid() == controller:
        sent.append(1)
        os.kill(controller, signal.SIGINT)
controller = os.getpid()
os.register_at_fork(before=sigint_while_forking)
executor = PluginManager().executor_class("forking")(ExecutorSettings(forks=2))
executor.start(["a", "b"])
pool = LanePool(executor)
try:
    pool.submit("a", lambda: None)
    print("not interrupted")
except KeyboardInterrupt:
    print("interrupted")
out = pool.submit("b", lambda: executor.call("b", ConnectionOptions("local", "b"), ExecRequest("echo $PPID"))).result()
parent = lambda pid: int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
zygote = parent(int(out[1]))     # the shell's parent is the worker, the worker's the zygote
print(open(f"/proc/{zygote}/comm").read().strip(), "forked by the controller" if parent(zygote) == controller else parent(zygote))
pool.shutdown()
executor.shutdown()
try:
    print("left", os.waitpid(-1, os.WNOHANG))
except ChildProcessError:
    print("nothing left")
"""


def test_an_interrupt_while_the_zygote_is_forked_is_taken_after_it(tmp_path) -> None:
    """SIGINT arriving while ``prepare()`` forks the zygote (here: from an at-fork
    handler) is neither lost nor printed as an "Exception ignored" traceback from
    the at-fork handlers: it is raised once the zygote's handle is complete, from
    the lane pool's first ``submit``; the pool and the zygote then still work, and
    shutdown ends the zygote."""
    result = subprocess.run([sys.executable, "-c", _INTERRUPTED_FORK], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "interrupted"
    assert lines[1:] == ["corral-zygote forked by the controller", "nothing left"]
