"""Lanes: the controller threads that run tasks, one per executor lane.

Lane ``i`` runs, one after the other, the work of the hosts the executor assigned to
lane ``i``; so each host's connection sees one request at a time and the run does at
most ``forks`` things at once.
"""
from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import queue
    from concurrent.futures import Future

__all__ = ["LanePool"]

_STOP = object()


class LanePool:
    """Threads that run callables for hosts on the executor's lanes, started with
    the first :meth:`submit` (a run with nothing to do starts none): before them,
    the executor's optional ``prepare()`` is called from the submitting thread.
    An exception there (an interrupt) propagates from that :meth:`submit` and leaves
    the pool consistent: :meth:`shutdown` stops whatever threads started."""

    def __init__(self, executor: Any, name: str = "corral-lane") -> None:
        self._executor = executor
        self._name = name
        self._queues: list[queue.SimpleQueue] = []
        self._threads: list[threading.Thread] = []
        self._cancelled = threading.Event()
        self._start_lock = threading.Lock()

    def _start(self) -> None:
        with self._start_lock:
            if self._queues:
                return
            import queue    # here: a run with nothing to do imports neither this nor concurrent.futures
            prepare = getattr(self._executor, "prepare", None)
            if prepare is not None:
                prepare()
            for index in range(max(1, self._executor.size)):
                q: queue.SimpleQueue = queue.SimpleQueue()
                thread = threading.Thread(target=self._serve, args=(q,), name=f"{self._name}-{index}", daemon=True)
                try:
                    thread.start()
                finally:
                    # an interrupt in ``start()``: a lane whose thread runs is kept (``shutdown``
                    # stops it), one without a thread is not (work put there would never run)
                    if thread.is_alive():
                        self._threads.append(thread)
                        self._queues.append(q)

    def _serve(self, q: queue.SimpleQueue) -> None:
        while True:
            item = q.get()
            if item is _STOP:
                return
            future, fn = item
            if self._cancelled.is_set():
                future.cancel()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting strategy
                future.set_exception(exc)

    def submit(self, host: str, fn: Callable[[], Any]) -> Future:
        """Run ``fn`` on ``host``'s lane; the future holds its return value."""
        from concurrent.futures import Future
        future: Future = Future()
        if not self._queues:
            self._start()
        self._queues[self._executor.lane_of(host) % len(self._queues)].put((future, fn))
        return future

    def cancel(self) -> None:
        """Drop the work not started yet (the run was interrupted); thread-safe."""
        self._cancelled.set()

    def shutdown(self, timeout: float = 30.0) -> None:
        """Stop the threads after the work already queued (after ``cancel``, after
        the work already running), waiting at most ``timeout`` seconds in all: the
        threads are daemons, a stuck one does not keep the process alive."""
        with self._start_lock:
            queues = list(self._queues)
        for q in queues:
            q.put(_STOP)
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(timeout=max(deadline - time.monotonic(), 0))
