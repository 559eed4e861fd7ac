"""The ``host_pinned`` strategy: ``free``, with at most ``forks`` hosts in the play at once.

A host that has started the play keeps its place until it has run all of its steps;
only then may a host that has not started take the place.  Within those places
hosts run freely, each to its next step as soon as its last one ended.  As under
ansible-core, the task-start event is sent for each host as it reaches a task, so a
callback sees when each host starts what.
"""
from __future__ import annotations

from corral.errors import CorralError
from corral.plugins import hookimpl
from corral.plugins.strategy import HostRun, StrategyContext

__all__ = ["HostPinnedStrategy"]


class HostPinnedStrategy:
    """Run at most ``forks`` hosts through the play at once, each pinned to its place."""

    def __init__(self, play_run: StrategyContext) -> None:
        self.play_run = play_run

    def run(self) -> None:
        play_run = self.play_run
        places = max(1, play_run.forks)
        pinned: list[HostRun] = []
        in_flight: set[HostRun] = set()
        while not play_run.ended:
            active = play_run.active()
            pinned = [run for run in pinned if run in active]
            for run in active:
                if run in in_flight:
                    continue
                if run not in pinned:
                    if len(pinned) >= places:
                        continue
                    pinned.append(run)
                step = run.next_step
                if step.task.traits.bypass_host_loop:
                    raise CorralError(f"The '{step.task.action}' module bypasses the host loop, which is currently "
                                      f"not supported in the free strategy and would instead execute for every "
                                      f"host in the inventory list.", obj=step.task._ds)
                if step.kind == "meta":
                    play_run.run_steps([(run, step)])
                    continue
                play_run.announce(step, run)
                in_flight.add(run)
                play_run.submit(run, step)
            if not in_flight:
                if not play_run.active():
                    return
                continue
            finished, _ = play_run.wait_one()
            in_flight.discard(finished)
            play_run.after_task()


@hookimpl
def corral_strategy(name: str) -> type[HostPinnedStrategy] | None:
    return HostPinnedStrategy if name == "host_pinned" else None
