"""Whole-process measurements for the ``scale`` benchmark: one command run to its
end while its process tree (and, for a Ray run, each Ray node's tree) is sampled
from ``/proc``.

- wall: from start to exit;
- CPU: user + system of the command and every descendant it waited for (the
  kernel's ``wait4`` rusage, exact); for each extra tree (a Ray node, not a
  descendant of the command), what its processes used from the command's start
  to a last look ``settle`` seconds after its end: for every process seen in the
  tree, its own CPU and that of the descendants it reaped (``/proc/PID/stat``
  utime, stime, cutime, cstime) when last seen, less what it had used before the
  start.  Short-lived processes (a module run) are counted through the process
  that reaped them; a process that ends loses what it used after its last sample
  (Ray's nodes do not account for the workers they reap), and a process sampled
  and then reaped by a parent that accounts for it is counted twice for what it
  had used when sampled;
- the command's own CPU (the controller's, all its threads), at the last sample;
- memory: the peak, over the samples, of the sum of the tree's PSS (shared pages
  divided among the processes that share them, so forked workers are not counted
  twice for the pages they share), and the command's own peak RSS (``VmHWM``);
- processes: the peak number of processes in the tree;
- open files: the peak, over the samples, of the sum of the tree's open file
  descriptors (``/proc/PID/fd``), and the command's own peak.
"""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "local"))
from resources import tree_of  # noqa: E402 - the process tree walker of benchmarks/local

__all__ = ["Sample", "TreePeaks", "measure"]

_TICKS = os.sysconf("SC_CLK_TCK")
_PSS = re.compile(r"^Pss:\s+(\d+) kB", re.M)
_HWM = re.compile(r"^VmHWM:\s+(\d+) kB", re.M)


@dataclasses.dataclass
class TreePeaks:
    """What one process tree reached while the command ran."""

    processes: int = 0
    pss_kib: int = 0
    fds: int = 0
    #: pid -> its own and its reaped descendants' CPU ticks when first seen (0 if born later)
    base: dict[int, int] = dataclasses.field(default_factory=dict, repr=False)
    #: pid -> the same when last seen
    seen: dict[int, int] = dataclasses.field(default_factory=dict, repr=False)
    #: ticks of processes whose pid was taken by a later one
    banked: int = 0
    started: bool = False

    def sample(self, pids: list[int]) -> None:
        self.processes = max(self.processes, len(pids))
        self.pss_kib = max(self.pss_kib, sum(_pss_kib(pid) for pid in pids))
        self.fds = max(self.fds, sum(_fd_count(pid) for pid in pids))
        self._look(pids)
        self.started = True

    def finish(self, pids: list[int]) -> None:
        """A last look at the tree's CPU (see the module's docstring)."""
        self._look(pids)

    @property
    def cpu_seconds(self) -> float:
        return (self.banked + sum(total - self.base.get(pid, 0) for pid, total in self.seen.items())) / _TICKS

    def _look(self, pids: list[int]) -> None:
        for pid in pids:
            total = sum(_cpu_ticks(pid))
            if total < self.seen.get(pid, 0):     # a new process with an old pid
                self.banked += self.seen[pid] - self.base.pop(pid, 0)
            elif pid not in self.seen and not self.started:
                self.base[pid] = total
            self.seen[pid] = total


@dataclasses.dataclass
class Sample:
    """One measured run."""

    rc: int
    wall: float
    cpu: float
    #: the command's tree
    tree: TreePeaks
    #: the command's own peak RSS (KiB)
    main_hwm_kib: int
    #: the command's own peak PSS (KiB) and open file descriptors
    main_pss_kib: int
    main_fds: int
    #: the command's own CPU (user + system, seconds) up to the last sample
    main_cpu: float
    #: extra trees (e.g. Ray nodes) by name
    extra: dict[str, TreePeaks]
    output_tail: str


def _read(path: str) -> str:
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return ""


def _pss_kib(pid: int) -> int:
    match = _PSS.search(_read(f"/proc/{pid}/smaps_rollup"))
    return int(match.group(1)) if match else 0


def _fd_count(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def _hwm_kib(pid: int) -> int:
    match = _HWM.search(_read(f"/proc/{pid}/status"))
    return int(match.group(1)) if match else 0


def _cpu_ticks(pid: int) -> tuple[int, int]:
    """``(own, reaped descendants')`` CPU ticks of ``pid`` (0, 0 once it is gone)."""
    fields = _read(f"/proc/{pid}/stat").rsplit(")", 1)
    if len(fields) != 2:
        return 0, 0
    values = fields[1].split()
    return int(values[11]) + int(values[12]), int(values[13]) + int(values[14])


def _trees(roots: list[int]) -> list[int]:
    return sorted({pid for root in roots for pid in tree_of(root)})


def measure(argv: list[str], env: dict[str, str], output: Path, *, timeout: float,
            interval: float = 0.2, extra_roots: dict[str, list[int]] | None = None,
            settle: float = 3.0) -> Sample:
    """Run ``argv`` (stdout and stderr to ``output``), sampling every ``interval``
    seconds; kill it (its whole session) after ``timeout`` seconds (rc -9).
    ``extra_roots`` names other trees to sample, each by the pids at its roots."""
    extra = {name: TreePeaks() for name in extra_roots or {}}
    tree = TreePeaks()
    hwm = main_pss = main_fds = 0
    own_ticks = 0
    killed = False
    for name, roots in (extra_roots or {}).items():
        extra[name].sample(_trees(roots))
    start = time.perf_counter()
    with open(output, "wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        tree.sample(tree_of(proc.pid))
        hwm = max(hwm, _hwm_kib(proc.pid))
        main_pss = max(main_pss, _pss_kib(proc.pid))
        main_fds = max(main_fds, _fd_count(proc.pid))
        own_ticks = max(own_ticks, _cpu_ticks(proc.pid)[0])
        for name, roots in (extra_roots or {}).items():
            extra[name].sample(_trees(roots))
        if not killed and time.perf_counter() - start > timeout:
            os.killpg(proc.pid, 9)
            killed = True
        time.sleep(interval)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if extra_roots:
        time.sleep(settle)      # the run's actors end after it: let their nodes reap them
        for name, roots in extra_roots.items():
            extra[name].finish(_trees(roots))
    tail = output.read_text(errors="replace")[-3000:]
    return Sample(rc=proc.returncode, wall=wall, cpu=usage.ru_utime + usage.ru_stime, tree=tree,
                  main_hwm_kib=hwm, main_pss_kib=main_pss, main_fds=main_fds, main_cpu=own_ticks / _TICKS, extra=extra, output_tail=tail)
