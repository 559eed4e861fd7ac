"""A throwaway container: ``unshare --mount --uts --pid --fork --mount-proc`` with its own
hostname and a private tmpfs on ``/mnt``; needs root.  ``running_container`` is also
used by the corral repository's test of this plugin."""
from __future__ import annotations

import contextlib
import os
import subprocess
import time
from dataclasses import dataclass
from typing import Iterator

import pytest


@dataclass
class Container:
    """``pid``: the container's init as the controller sees it; ``hostname``: its UTS name."""

    pid: int
    hostname: str


def _child_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            children = handle.read().split()
    except OSError:
        return None
    return int(children[0]) if children else None


@contextlib.contextmanager
def running_container(hostname: str = "corral-container") -> Iterator[Container]:
    """Start the container, yield it, and kill it (with everything in it) afterwards."""
    script = f"hostname {hostname} && mount -t tmpfs tmpfs /mnt && exec sleep 3600"
    unshare = subprocess.Popen(["unshare", "--mount", "--uts", "--pid", "--fork", "--mount-proc", "--kill-child",
                                "sh", "-c", script])
    deadline = time.monotonic() + 10
    init = None
    while init is None or not os.readlink(f"/proc/{init}/exe").endswith("sleep"):
        if time.monotonic() > deadline:
            unshare.kill()
            raise RuntimeError("the container did not start")
        time.sleep(0.05)
        init = _child_of(unshare.pid)
    try:
        yield Container(init, hostname)
    finally:
        unshare.kill()          # --kill-child: the container's init, and so everything in it, goes too
        unshare.wait(timeout=10)


@pytest.fixture(scope="session")
def container() -> Iterator[Container]:
    if os.geteuid() != 0:
        pytest.fail("the nsenter tests need root (unshare and nsenter)")
    with running_container() as running:
        yield running
