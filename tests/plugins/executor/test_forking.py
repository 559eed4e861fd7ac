"""corral-executor-forking: a pool of worker processes, each owning its hosts' connections."""
from __future__ import annotations

import os

from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import ExecRequest, ExecutorSettings
from corral.plugins.manager import PluginManager
from tests.plugins.executor.request_limit import check_request_limit


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


def test_a_request_past_its_limit_is_aborted_with_what_it_started_and_later_ones_run(tmp_path) -> None:
    executor = PluginManager().executor_class("forking")(ExecutorSettings(forks=1))
    try:
        check_request_limit(executor, tmp_path)
    finally:
        executor.shutdown()
