"""Handles on worker processes: the parts of :class:`subprocess.Popen` the executor
uses, for a worker the controller spawned itself or one its zygote forked, and for
a zygote the controller forked itself (:class:`ForkedChild`)."""
from __future__ import annotations

import os
import select
import signal
import struct
import subprocess
import time
from typing import Protocol

#: how the zygote answers with a forked worker's pid (0: it could not fork)
PID = struct.Struct("!q")


def name_process(name: str) -> None:
    """Set this process's name as ``ps -o comm`` and ``top`` show it (``corral-worker``,
    ``corral-zygote``): a worker forked from the controller has the controller's
    command line, and its name is how one tells them apart.  Where ``/proc`` cannot
    say it, nothing changes."""
    try:
        with open("/proc/self/comm", "w") as comm:
            comm.write(name[:15])
    except OSError:
        pass


class WorkerProcess(Protocol):
    pid: int

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def kill(self) -> None: ...

    def send_signal(self, sig: int) -> None: ...


class ForkedProcess:
    """A worker forked by the zygote: not the controller's child, so it is watched
    through a pidfd (readable once the process has ended) and its exit code is not
    known (``poll``/``wait`` give -1 once it ended).  Safe to use from several threads
    at once (``interrupt`` signals a worker while its lane thread waits on it): the
    pidfd stays open until the handle is dropped, so no thread ever uses a closed one."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except OSError:         # already gone
            self._pidfd = None
            self.returncode = -1

    def __del__(self) -> None:
        if self._pidfd is not None:
            try:
                os.close(self._pidfd)
            except OSError:
                pass
            self._pidfd = None

    def _ended(self, timeout: float) -> bool:
        if self.returncode is not None or self._pidfd is None:
            return True
        if select.select([self._pidfd], [], [], timeout)[0]:
            self.returncode = -1
            return True
        return False

    def poll(self) -> int | None:
        self._ended(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._ended(1.0 if deadline is None else max(0.0, min(1.0, deadline - time.monotonic()))):
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout or 0)
        return -1

    def send_signal(self, sig: int) -> None:
        if self.returncode is None and self._pidfd is not None:
            try:
                signal.pidfd_send_signal(self._pidfd, sig)
            except ProcessLookupError:
                pass            # it ended meanwhile

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkedChild:
    """A process the controller forked itself (its zygote): the controller's child,
    waited for with ``waitpid`` (so its CPU counts as the run's), watched through a
    pidfd while it runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._pidfd = os.pidfd_open(pid)

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                pid, status = self.pid, 0       # reaped elsewhere
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
                os.close(self._pidfd)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise subprocess.TimeoutExpired(f"zygote {self.pid}", timeout or 0)
            select.select([self._pidfd], [], [], left)
        assert self.returncode is not None
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
