"""corral-executor-inline, through its contract (corral.plugins.executor.Executor), with
the real local connection: requests run in this process's threads, on the lanes
hosts keep; interrupt() aborts a running module and only cleanup runs after it."""
from __future__ import annotations

import os
import sys

import pytest

from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import ExecRequest, ExecutorSettings, ModuleRequest
from corral.plugins.manager import PluginManager
from tests.plugins.executor.contract_checks import check_interrupt, check_request_limit


@pytest.fixture
def executor():
    executor = PluginManager().executor_class("inline")(ExecutorSettings(forks=2, plugins=PluginManager()))
    yield executor
    executor.shutdown()


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
    check_interrupt(executor, tmp_path, slack=5)


def test_a_request_past_its_limit_is_aborted_with_what_it_started_and_later_ones_run(executor, tmp_path) -> None:
    check_request_limit(executor, tmp_path)
