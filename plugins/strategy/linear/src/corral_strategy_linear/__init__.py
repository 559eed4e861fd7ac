"""The ``linear`` strategy: hosts move through the play in lockstep.

At each step the hosts whose next step comes first in play order (smallest position
key) run it together; hosts that are elsewhere (in a rescue section, say) wait.  This
is Ansible's default strategy.
"""
from __future__ import annotations

from corral.plugins import hookimpl
from corral.plugins.strategy import Step, StrategyContext

__all__ = ["LinearStrategy"]


class LinearStrategy:
    """Run one task at a time on every host that is at it."""

    def __init__(self, play_run: StrategyContext) -> None:
        self.play_run = play_run

    def run(self) -> None:
        play_run = self.play_run
        while not play_run.ended:
            active = play_run.active()
            if not active:
                return
            lowest = min(run.next_step.key for run in active)
            at_lowest = [run for run in active if run.next_step.key == lowest]
            # Hosts at the same position run together when their task is the same one
            # (or the same line of one file, included for each host); hosts that
            # included different files there take turns, in host order.
            step = at_lowest[0].next_step
            group = [(run, run.next_step) for run in at_lowest if _same_task(run.next_step, step)]
            if not play_run.take_step(step):
                play_run.skip_step(group)
                continue
            play_run.announce(step, at_lowest[0])
            play_run.run_steps(group)
            play_run.after_task()


def _same_task(a: Step, b: Step) -> bool:
    if a.task is b.task:
        return True
    if a.kind != b.kind:
        return False
    path = a.task.get_path()
    return path != "" and path == b.task.get_path() and a.task.get_name() == b.task.get_name()


@hookimpl
def corral_strategy(name: str) -> type[LinearStrategy] | None:
    return LinearStrategy if name == "linear" else None
