"""The ``linear`` strategy: hosts move through the play in lockstep.

At each step the hosts whose next step comes first in play order (smallest position
key) run it together; hosts that are elsewhere (in a rescue section, say) wait.  This
is Ansible's default strategy.
"""
from __future__ import annotations

from typing import Any

from corral.plugins import hookimpl

__all__ = ["LinearStrategy"]


class LinearStrategy:
    """Run one task at a time on every host that is at it."""

    def __init__(self, play_run: Any) -> None:
        self.play_run = play_run

    def run(self) -> None:
        play_run = self.play_run
        while not play_run.ended:
            active = play_run.active()
            if not active:
                return
            first = min(active, key=lambda run: run.next.key)
            step = first.next
            group = [(run, run.next) for run in active
                     if run.next.key == step.key and _same_task(run.next.task, step.task)]
            play_run.announce(step)
            play_run.run_steps(group)
            play_run.after_task()


def _same_task(a: Any, b: Any) -> bool:
    """The same task, or the same task loaded again from one file for another host
    (dynamic includes load a file once per host)."""
    return a is b or (a.get_path() != "" and a.get_path() == b.get_path() and a.get_name() == b.get_name())


@hookimpl
def corral_strategy(name: str) -> type[LinearStrategy] | None:
    return LinearStrategy if name == "linear" else None
