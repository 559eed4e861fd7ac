"""The strategy contract: in which order (host, task) steps run.

A strategy plugin provides a class through ``corral_strategy(name)``.  The kernel
creates it once per play batch with a :class:`StrategyContext` (the batch's
``PlayRun``) and calls ``run()``.  Everything but ordering (running steps, results,
callbacks, handlers, failures) is the context's: a strategy only picks which steps
to start and when.  Each :class:`HostRun` of ``context.active()`` has a step left,
``host_run.next_step``: a :class:`Step` whose ``key`` sorts in play order, with its
``task`` and ``kind`` (``task``, ``handler``, ``setup``, ``meta``).  A strategy uses
nothing but the context's methods and these attributes.
"""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from corral.executor.play_iterator import HostRun, Step

__all__ = ["Strategy", "StrategyContext", "HostRun", "Step"]


class StrategyContext(Protocol):
    """What a strategy drives: one play on one batch of hosts."""

    @property
    def ended(self) -> bool:
        """True once the play is over for the batch (``end_play``, fatal errors)."""

    def active(self) -> list[HostRun]:
        """The hosts that still have steps, in inventory order."""

    @property
    def forks(self) -> int:
        """How many hosts the run may keep busy at once (``forks``)."""

    def announce(self, step: Step, run: HostRun | None = None) -> None:
        """Send the task-start event (the ``TASK [...]`` banner) for ``step``, once
        per task; its name is templated with ``run``'s host variables."""

    def take_step(self, step: Step, run: HostRun | None = None) -> bool:
        """``--step``: ask on the terminal whether to run ``step``'s task (naming
        ``run``'s host when given); True without ``--step``, for meta steps, and after
        the user answered ``c``ontinue.  A strategy asks before announcing the task and
        moves a declined step's hosts on with ``skip_step``."""

    def skip_step(self, pairs: list[tuple[HostRun, Step]]) -> None:
        """Move each host past its step without running it: no result, no event."""

    def run_steps(self, pairs: list[tuple[HostRun, Step]]) -> None:
        """Run each host's step concurrently, report the results as they arrive and
        advance each host; returns when all are done."""

    def throttle(self, step: Step, run: HostRun | None = None) -> int:
        """How many hosts may run ``step``'s task at once (its ``throttle`` keyword,
        templated for ``run``'s host); 0 for no limit.  ``run_steps`` applies it;
        a strategy that calls ``submit`` itself keeps to it."""
        ...

    def submit(self, run: HostRun, step: Step) -> None:
        """Start ``step`` for ``run``'s host and return at once (see ``wait_one``)."""

    def wait_one(self) -> tuple[HostRun, dict[str, Any]]:
        """Wait for one submitted step to finish, apply its result and return the
        host's run and the result."""

    def after_task(self, *, across_hosts: bool = True) -> None:
        """Call after each task (``linear``) or each result (``free``): sends the
        includes of the task and, unless ``across_hosts`` is False (a strategy whose
        hosts go independently, as ``free``), ends the play when more hosts failed than
        ``max_fail_percentage`` allows."""

    @property
    def max_fail_percentage(self) -> Any:
        """The play's ``max_fail_percentage``, or None."""

    def errors_fatal(self, task: Any, run: HostRun) -> bool:
        """Whether a failure of ``task`` on ``run``'s host fails every host of the
        batch (``any_errors_fatal``); ``run_steps`` applies it."""

    def warn(self, message: str) -> None:
        """Show a warning (each distinct text once per run)."""


@runtime_checkable
class Strategy(Protocol):
    """Contract of strategy plugins: ``__init__(context)``, ``run() -> None``."""

    def __init__(self, play_run: StrategyContext) -> None: ...

    def run(self) -> None: ...
