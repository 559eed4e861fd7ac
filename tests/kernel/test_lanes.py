"""The lane pool: threads that run a run's work on the executor's lanes."""
from __future__ import annotations

import functools
import threading

import pytest

from corral.executor.lanes import LanePool
from corral.plugins.executor import ExecRequest, ExecutorSettings
from corral.plugins.connection import ConnectionOptions
from corral.plugins.manager import PluginManager


def _inline_interrupted_once() -> type:
    """The ``inline`` executor whose first ``prepare()`` is interrupted (Ctrl-C then)."""
    base = PluginManager().executor_class("inline")

    class InterruptedOnce(base):  # type: ignore[misc, valid-type]
        prepared = 0

        def prepare(self) -> None:
            self.prepared += 1
            if self.prepared == 1:
                raise KeyboardInterrupt()

    return InterruptedOnce


def test_an_interrupt_from_prepare_leaves_the_pool_usable_and_stoppable() -> None:
    executor = _inline_interrupted_once()(ExecutorSettings(forks=3))
    executor.start(["a", "b", "c"])
    before = threading.active_count()
    pool = LanePool(executor)
    try:
        with pytest.raises(KeyboardInterrupt):
            pool.submit("a", lambda: None)
        assert threading.active_count() == before, "no lane thread started"
        def echo(host: str) -> bytes:
            return executor.call(host, ConnectionOptions("local", host), ExecRequest(f"echo {host}"))[1]

        futures = {host: pool.submit(host, functools.partial(echo, host)) for host in "abc"}
        assert {host: future.result(timeout=60).strip() for host, future in futures.items()} == \
            {"a": b"a", "b": b"b", "c": b"c"}
        assert executor.prepared == 2
    finally:
        pool.shutdown(timeout=30)
        executor.shutdown()
    assert threading.active_count() == before, "shutdown stopped every lane thread"
