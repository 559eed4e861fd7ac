"""The strategy contract: in which order (host, task) steps run.

A strategy plugin provides a class through ``corral_strategy(name)``.  The kernel
creates it once per play batch with the :class:`corral.executor.play_run.PlayRun` and
calls ``run()``.  Everything but ordering (running steps, results, callbacks,
handlers, failures) is the PlayRun's: a strategy only picks which steps to start and
when, using:

- ``play_run.active()``: hosts with steps left; ``host_run.next`` is the next
  :class:`corral.executor.play_iterator.Step` (``key`` sorts in play order,
  ``task``, ``kind``).
- ``play_run.announce(step)``: the task banner event, once per task.
- ``play_run.run_steps([(host_run, step), ...])``: run steps concurrently and wait
  for all of them; ``play_run.submit(host_run, step)`` + ``play_run.wait_one()``
  to start steps and take results one at a time.
- ``play_run.after_task()`` after each task; ``play_run.ended`` when the play is over.
"""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["Strategy"]


@runtime_checkable
class Strategy(Protocol):
    """Contract of strategy plugins: ``__init__(play_run)``, ``run() -> None``."""

    def __init__(self, play_run: Any) -> None: ...

    def run(self) -> None: ...
