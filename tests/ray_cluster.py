"""A real two-node Ray cluster on this machine for the ``ray`` executor's tests.

A head node and a second (worker) node, each its own raylet with one CPU, started
with Ray's own testing helper (``ray.cluster_utils.Cluster``), so the actors of a
run live in other processes than the controller and on both nodes.  Everything Ray
writes goes under one temporary directory (``temp_dir``, also Ray's ``RAY_TMPDIR``
while the cluster runs, for the address file it would leave in ``/tmp/ray``),
removed at the end.  Node deaths are noticed
within a few seconds (short health checks), so the tests that kill a node stay
short.
"""
from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import tempfile
from pathlib import Path
from typing import Any

import ray
from ray.cluster_utils import Cluster

# node health checks every second, a node declared dead after 5 missed ones
_SYSTEM_CONFIG = {"health_check_initial_delay_ms": 0, "health_check_period_ms": 1000,
                  "health_check_timeout_ms": 1000, "health_check_failure_threshold": 5}
_STARTS = 3     # tries to start a node: on a loaded machine Ray's own 30-second wait may pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RayTestCluster:
    """A head node and a worker node; :meth:`replace_worker_node` kills the worker
    node (all its processes, SIGKILL) and starts a new one."""

    def __init__(self) -> None:
        # short: Ray's unix socket paths live under it and must stay within 107 characters
        self.temp_dir = tempfile.mkdtemp(prefix="corral-ray-", dir="/tmp")
        os.makedirs(os.path.join(self.temp_dir, "ray"))
        self._previous_tmpdir = os.environ.get("RAY_TMPDIR")
        os.environ["RAY_TMPDIR"] = self.temp_dir
        self._cluster = Cluster()
        try:
            self._start(lambda: self._cluster.add_node(
                num_cpus=1, temp_dir=self.temp_dir, include_dashboard=False, gcs_server_port=_free_port(),
                _system_config=_SYSTEM_CONFIG))
            self.worker = self._add_worker()
        except BaseException:
            self.shutdown()
            raise

    @staticmethod
    def _start(add: Any) -> Any:
        for _attempt in range(_STARTS - 1):
            try:
                return add()
            except Exception:  # noqa: BLE001 - Ray's startup timed out: try again
                continue
        return add()

    def _add_worker(self) -> Any:
        node = self._start(lambda: self._cluster.add_node(num_cpus=1, temp_dir=self.temp_dir))
        self._cluster.wait_for_nodes(timeout=120)
        return node

    @property
    def address(self) -> str:
        """The head node's GCS address (``HOST:PORT``): the executor's ``address``."""
        return str(self._cluster.address)

    @property
    def worker_node_id(self) -> str:
        return str(self.worker.node_id)

    def env(self) -> dict[str, str]:
        """The environment that makes a run use the ``ray`` executor on this cluster."""
        return {"CORRAL_EXECUTOR": "ray", "CORRAL_RAY_ADDRESS": self.address,
                # a machine running many test suites at once may take minutes to start workers
                "CORRAL_RAY_START_TIMEOUT": "600"}

    def replace_worker_node(self) -> None:
        """Kill the worker node at once (no graceful stop) and start a fresh one
        (from the main thread: Ray's node helper installs signal handlers)."""
        self._cluster.remove_node(self.worker, allow_graceful=False)
        self.worker = self._add_worker()

    def _kill_leftovers(self) -> None:
        """SIGKILL the processes of nodes whose start timed out (the helper lost track
        of them): the Ray processes whose command line names this cluster's
        ``temp_dir``."""
        needle = self.temp_dir.encode()
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) != os.getpid():
                try:
                    if needle in Path(f"/proc/{entry}/cmdline").read_bytes():
                        os.kill(int(entry), signal.SIGKILL)
                except OSError:
                    continue

    def log_files(self) -> list[Path]:
        """Every file Ray wrote in its sessions' log directories."""
        return [Path(p) for p in glob.glob(os.path.join(self.temp_dir, "session_*", "logs", "**", "*"),
                                           recursive=True) if os.path.isfile(p)]

    def shutdown(self) -> None:
        if ray.is_initialized():
            ray.shutdown()
        self._cluster.shutdown()
        self._kill_leftovers()
        if self._previous_tmpdir is None:
            os.environ.pop("RAY_TMPDIR", None)
        else:
            os.environ["RAY_TMPDIR"] = self._previous_tmpdir
        shutil.rmtree(self.temp_dir, ignore_errors=True)
