"""How the CLIs take SIGINT and SIGTERM: as an exception in the main thread.

Both signals unwind the main thread like Ctrl-C's ``KeyboardInterrupt`` does, so
every ``finally`` block and context manager on the way runs (the run cancels its
tasks, kills what it started and removes its temp files) and ``atexit`` handlers
run at exit.  Only the first signal interrupts: later ones are ignored while that
shutdown, which is bounded in time, goes on.

SIGINT ends the CLI with Ansible's "User interrupted execution" and rc 99; SIGTERM
ends it silently, killed by SIGTERM once the cleanup is done, as ansible-core's
process is (the shell shows 143).
"""
from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
import threading
from types import FrameType
from typing import Iterator

__all__ = ["Terminated", "interrupt_handlers", "die_by_sigterm"]


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread (a ``KeyboardInterrupt``: whatever cleans up
    on Ctrl-C cleans up on SIGTERM too)."""


@contextlib.contextmanager
def interrupt_handlers() -> Iterator[None]:
    """Within the block, the first SIGINT raises ``KeyboardInterrupt`` and the first
    SIGTERM raises :class:`Terminated` in the main thread; later ones are ignored.

    Nothing is installed outside the main thread, or for a signal whose handler
    the embedding program changed (an API caller's own handling wins)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = False

    def handler(signum: int, _frame: FrameType | None) -> None:
        nonlocal fired
        if fired:
            return
        fired = True
        raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()

    previous = {}
    for signum, default in ((signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, signal.SIG_DFL)):
        if signal.getsignal(signum) is default:
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def die_by_sigterm() -> None:
    """End the process as killed by SIGTERM, after the ``atexit`` handlers ran
    (they would not run after the signal)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    atexit._run_exitfuncs()  # runs each handler once and forgets it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)
