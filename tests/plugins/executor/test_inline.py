"""corral-executor-inline, through its contract (corral.plugins.executor.Executor), with
the real local connection: requests run in this process's threads, on the lanes
hosts keep; interrupt() aborts a running module and only cleanup runs after it."""
from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from corral.errors import CorralInterrupted
from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import ExecRequest, ExecutorSettings, ModuleRequest
from corral.plugins.manager import PluginManager
from tests.plugins.executor.request_limit import check_request_limit


@pytest.fixture
def executor():
    executor = PluginManager().executor_class("inline")(ExecutorSettings(forks=2, plugins=PluginManager()))
    yield executor
    executor.shutdown()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _local(host: str) -> ConnectionOptions:
    return ConnectionOptions("local", host)


def test_requests_run_in_this_process_on_the_lanes_hosts_keep(executor) -> None:
    executor.start(["a", "b", "c"])
    assert [executor.lane_of(h) for h in ("a", "b", "c", "d")] == [0, 1, 0, 1]
    rc, out, _err = executor.call("a", _local("a"), ExecRequest("echo $PPID"))
    assert rc == 0 and int(out) == os.getpid()
    rc, out, _err = executor.call("b", _local("b"), ModuleRequest(sys.executable, b"print('from a module')"))
    assert (rc, out) == (0, b"from a module\n")


def test_interrupt_aborts_a_running_module_and_leaves_only_cleanup(executor, tmp_path) -> None:
    outcome: list[BaseException | object] = []
    pid_file = tmp_path / "pid"
    sleeper = ModuleRequest(sys.executable, f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
                                            f"time.sleep(60)\n".encode())

    def run() -> None:
        try:
            outcome.append(executor.call("a", _local("a"), sleeper))
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 10
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the module did not start"
        time.sleep(0.05)
    module_pid = int(pid_file.read_text())
    started = time.monotonic()
    executor.interrupt()
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - started < 5
    assert isinstance(outcome[0], CorralInterrupted), outcome
    while _alive(module_pid):
        assert time.monotonic() < deadline, "the module outlived the interrupt"
        time.sleep(0.05)
    with pytest.raises(CorralInterrupted):
        executor.call("a", _local("a"), ModuleRequest(sys.executable, b"print(1)"))
    assert executor.call("a", _local("a"), ExecRequest("echo cleanup"))[:2] == (0, b"cleanup\n")


def test_a_request_past_its_limit_is_aborted_with_what_it_started_and_later_ones_run(executor, tmp_path) -> None:
    check_request_limit(executor, tmp_path)
