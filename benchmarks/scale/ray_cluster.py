"""A Ray cluster of several nodes on this machine, for the ``scale`` benchmark.

Each node is a ``ray start --block`` process of ours (the head first, then the
others joining its address), so a node's processes are that process's tree: they
are measured apart and stopped by pid, never with ``ray stop`` (which would stop
every Ray on the machine).  Each node has ``cpus`` CPUs and ``memory`` bytes of
Ray's memory resource; Ray's files go below ``workdir`` and are removed with it.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "local"))
from resources import tree_of  # noqa: E402

__all__ = ["LocalRayCluster"]

_OBJECT_STORE = 200 * 2**20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalRayCluster:
    """``nodes`` Ray nodes on 127.0.0.1, started by ``bin_dir``'s ``ray``."""

    def __init__(self, workdir: Path, bin_dir: Path, *, nodes: int = 2, cpus: int = 1,
                 memory: int = 4 * 2**30, timeout: float = 120) -> None:
        self.workdir = workdir
        self.bin_dir = bin_dir
        self.nodes = nodes
        self.cpus = cpus
        self.memory = memory
        self.timeout = timeout
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        self._procs: list[subprocess.Popen[bytes]] = []

    def node_pids(self) -> dict[str, int]:
        """``node1`` (the head), ``node2``...: the root pid of each node's processes."""
        return {f"node{index}": proc.pid for index, proc in enumerate(self._procs, start=1)}

    def _start(self, extra: list[str], log: Path) -> None:
        argv = [str(self.bin_dir / "ray"), "start", "--block", "--num-cpus", str(self.cpus),
                "--memory", str(self.memory), "--object-store-memory", str(_OBJECT_STORE),
                "--disable-usage-stats", *extra]
        env = dict(os.environ, RAY_TMPDIR=str(self.workdir))
        with open(log, "wb") as out:
            self._procs.append(subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env,
                                                stdin=subprocess.DEVNULL, start_new_session=True))

    def _alive_nodes(self) -> int:
        probe = ("import ray; ray.init(address=%r, logging_level='ERROR', log_to_driver=False); "
                 "print(sum(1 for n in ray.nodes() if n['Alive']))" % self.address)
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
        lines = done.stdout.strip().splitlines()
        return int(lines[-1]) if done.returncode == 0 and lines and lines[-1].isdigit() else 0

    def __enter__(self) -> LocalRayCluster:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._start(["--head", "--node-ip-address", "127.0.0.1", "--port", str(self.port),
                     "--include-dashboard", "false", "--temp-dir", str(self.workdir)], self.workdir / "node1.log")
        deadline = time.monotonic() + self.timeout
        while self._alive_nodes() < 1:
            self._check(deadline)
        for index in range(2, self.nodes + 1):
            self._start(["--address", self.address, "--node-ip-address", "127.0.0.1"],
                        self.workdir / f"node{index}.log")
        while self._alive_nodes() < self.nodes:
            self._check(deadline)
        return self

    def _check(self, deadline: float) -> None:
        for index, proc in enumerate(self._procs, start=1):
            if proc.poll() is not None:
                log = (self.workdir / f"node{index}.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Ray node {index} exited (rc={proc.returncode}):\n{log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the Ray cluster did not have {self.nodes} nodes within {self.timeout} s")
        time.sleep(1)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        for proc in reversed(self._procs):
            pids = tree_of(proc.pid)
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            proc.wait(timeout=10)
