"""A Ray cluster of several nodes on this machine, for the ``scale`` benchmark.

The nodes are started by Ray's own testing helper (``ray.cluster_utils.Cluster``),
each its own raylet (the head also with the GCS) with ``cpus`` CPUs and ``memory``
bytes of Ray's memory resource, so a run's actors live in other processes, on both
nodes.  Each node's processes are the trees under its Ray processes: they are
measured apart (memory and CPU per node).  Ray's files go below ``workdir`` (also
``RAY_TMPDIR`` while the cluster runs) and are removed with it.  Needs ``ray`` in
the benchmark's interpreter (the Ray executor's distribution brings it).
"""
from __future__ import annotations

import os
import socket
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["LocalRayCluster"]

_OBJECT_STORE = 200 * 2**20
_STARTS = 3     # tries to start a node: on a loaded machine Ray's own startup wait may pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(add: Any) -> Any:
    for _attempt in range(_STARTS - 1):
        try:
            return add()
        except Exception:  # noqa: BLE001 - Ray's startup timed out: try again
            continue
    return add()


class LocalRayCluster:
    """``nodes`` Ray nodes on this machine (a context manager)."""

    def __init__(self, workdir: Path, *, nodes: int = 2, cpus: int = 1, memory: int = 4 * 2**30) -> None:
        self.workdir = workdir
        self.nodes = nodes
        self.cpus = cpus
        self.memory = memory
        self._cluster: Any = None
        self._nodes: list[Any] = []

    @property
    def address(self) -> str:
        """The head node's GCS address (the executor's ``address``)."""
        return str(self._cluster.address)

    def node_pids(self) -> dict[str, list[int]]:
        """``node1`` (the head), ``node2``...: the pids of each node's Ray processes
        (the workers and actors are below them)."""
        return {f"node{index}": [info.process.pid for infos in node.all_processes.values() for info in infos]
                for index, node in enumerate(self._nodes, start=1)}

    def __enter__(self) -> LocalRayCluster:
        from ray.cluster_utils import Cluster
        self.workdir.mkdir(parents=True, exist_ok=True)
        os.environ["RAY_TMPDIR"] = str(self.workdir)
        os.environ.setdefault("RAY_raylet_start_wait_time_s", "120")    # a loaded machine starts nodes slowly
        self._cluster = Cluster()
        common = {"num_cpus": self.cpus, "memory": self.memory, "object_store_memory": _OBJECT_STORE,
                  "temp_dir": str(self.workdir)}
        try:
            self._nodes.append(_start(lambda: self._cluster.add_node(include_dashboard=False,
                                                                      gcs_server_port=_free_port(), **common)))
            for _ in range(1, self.nodes):
                self._nodes.append(_start(lambda: self._cluster.add_node(**common)))
            self._cluster.wait_for_nodes(timeout=120)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._cluster.shutdown()
        os.environ.pop("RAY_TMPDIR", None)
