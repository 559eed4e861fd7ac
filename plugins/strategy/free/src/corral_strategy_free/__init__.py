"""The ``free`` strategy: every host goes to its next task as soon as its last one ends
(a task's ``throttle`` caps how many hosts run it at once: the others wait for a turn).

As in Ansible, a task whose action bypasses the host loop (``add_host``: its
``bypass_host_loop`` trait) cannot run under it: the play fails with an error.
"""
from __future__ import annotations

from corral.errors import CorralError
from corral.plugins import hookimpl
from corral.plugins.strategy import HostRun, Step, StrategyContext

__all__ = ["FreeStrategy"]


class FreeStrategy:
    """Keep one step in flight per host; never wait for other hosts."""

    def __init__(self, play_run: StrategyContext) -> None:
        self.play_run = play_run

    def run(self) -> None:
        play_run = self.play_run
        announced: set[int] = set()
        in_flight: dict[HostRun, Step] = {}
        while not play_run.ended:
            for run in play_run.active():
                if run in in_flight:
                    continue
                step = run.next_step
                if step.task.traits.bypass_host_loop:
                    raise CorralError(f"The '{step.task.action}' module bypasses the host loop, which is currently "
                                      f"not supported in the free strategy and would instead execute for every "
                                      f"host in the inventory list.", obj=step.task._ds)
                limit = play_run.throttle(step, run) if step.kind != "meta" else 0
                if limit and sum(1 for other in in_flight.values() if other.task is step.task) >= limit:
                    continue    # as many hosts as its throttle allows run this task: this one waits
                if id(step.task) not in announced:
                    announced.add(id(step.task))
                    play_run.announce(step, run)
                if step.kind == "meta":
                    play_run.run_steps([(run, step)])
                    continue
                in_flight[run] = step
                play_run.submit(run, step)
            if not in_flight:
                if not play_run.active():
                    return
                continue
            finished, _ = play_run.wait_one()
            in_flight.pop(finished, None)
            play_run.after_task()


@hookimpl
def corral_strategy(name: str) -> type[FreeStrategy] | None:
    return FreeStrategy if name == "free" else None
