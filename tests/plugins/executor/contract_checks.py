"""Parts of the executor contract checked the same way on every executor: the request
``limit`` (a task's ``timeout``: a module past its limit is aborted, with the command
it started, and raises ``CorralInterrupted``; later requests run as usual) and
``interrupt()`` (the running module is aborted; afterwards only cleanup runs)."""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from corral.errors import CorralInterrupted
from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import ExecRequest, ModuleRequest, with_limit

__all__ = ["check_request_limit", "check_interrupt"]


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def check_request_limit(executor: Any, tmp_path: Path, slack: float = 10) -> None:
    """Run the checks on ``executor`` with a ``local`` host; ``slack``: seconds the
    abort may take beyond the limit."""
    local = ConnectionOptions("local", "a")
    pid_file = tmp_path / "pids"
    sleeper = ModuleRequest(sys.executable, (
        f"import os, subprocess\nchild = subprocess.Popen(['sleep', '60'])\n"
        f"open({str(pid_file)!r}, 'w').write(f'{{os.getpid()}} {{child.pid}}')\nchild.wait()\n").encode())
    started = time.monotonic()
    with pytest.raises(CorralInterrupted):
        executor.call("a", local, with_limit(sleeper, 1.5))
    assert 1.5 <= time.monotonic() - started < 1.5 + slack
    pids = [int(pid) for pid in pid_file.read_text().split()]
    deadline = time.monotonic() + slack
    while any(_alive(pid) for pid in pids):
        assert time.monotonic() < deadline, "the module or its child outlived the limit"
        time.sleep(0.05)
    # unlike an interrupt, the limit changes nothing for later requests
    assert executor.call("a", local, ModuleRequest(sys.executable, b"import time; time.sleep(2.5); print(1)"))[:2] \
        == (0, b"1\n")
    assert executor.call("a", local, with_limit(ExecRequest("echo in time"), 30))[:2] == (0, b"in time\n")


def check_interrupt(executor: Any, tmp_path: Path, slack: float = 10) -> None:
    """``interrupt()`` while a module runs on a ``local`` host: the call raises
    ``CorralInterrupted`` within ``slack`` seconds and the module ends; later modules
    are refused, commands (cleanup) still run."""
    local = ConnectionOptions("local", "a")
    pid_file = tmp_path / "pid"
    sleeper = ModuleRequest(sys.executable, f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
                                            f"time.sleep(60)\n".encode())
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(executor.call("a", local, sleeper))
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 2 * slack
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the module did not start"
        time.sleep(0.05)
    module_pid = int(pid_file.read_text())
    started = time.monotonic()
    executor.interrupt()
    thread.join(slack)
    assert not thread.is_alive() and time.monotonic() - started < slack
    assert isinstance(outcome[0], CorralInterrupted), outcome
    while _alive(module_pid):
        assert time.monotonic() < deadline, "the module outlived the interrupt"
        time.sleep(0.05)
    with pytest.raises(CorralInterrupted):
        executor.call("a", local, ModuleRequest(sys.executable, b"print(1)"))
    assert executor.call("a", local, ExecRequest("echo cleanup"))[:2] == (0, b"cleanup\n")
