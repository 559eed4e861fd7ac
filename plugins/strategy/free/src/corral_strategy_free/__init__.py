"""The ``free`` strategy: every host goes to its next task as soon as its last one ends
(a task's ``throttle`` caps how many hosts run it at once: the others wait for a turn).

As in Ansible, a task whose action bypasses the host loop (``add_host``: its
``bypass_host_loop`` trait) cannot run under it: the play fails with an error; and
``any_errors_fatal`` and ``max_fail_percentage`` do not apply (a warning says so).
"""
from __future__ import annotations

from corral.errors import CorralError
from corral.plugins import hookimpl
from corral.plugins.strategy import HostRun, Step, StrategyContext

__all__ = ["FreeStrategy"]


class FreeStrategy:
    """Keep one step in flight per host; never wait for other hosts.

    Subclasses may limit which hosts are in the play (``places``) and announce each
    task for every host that reaches it (``ANNOUNCE_EACH_HOST``), as ``host_pinned`` does."""

    #: send the task-start event for each host reaching a task (else once per task)
    ANNOUNCE_EACH_HOST = False

    def __init__(self, play_run: StrategyContext) -> None:
        self.play_run = play_run

    def places(self) -> int | None:
        """How many hosts may be in the play at once (``None``: all of them)."""
        return None

    def run(self) -> None:
        play_run = self.play_run
        if play_run.max_fail_percentage is not None:
            play_run.warn(_UNSUPPORTED.format("max_fail_percentage"))
        places = self.places()
        announced: set[int] = set()
        in_flight: dict[HostRun, Step] = {}
        pinned: list[HostRun] = []
        while not play_run.ended:
            active = play_run.active()
            pinned = [run for run in pinned if run in active]
            for run in active:
                if run in in_flight:
                    continue
                if places is not None and run not in pinned:
                    if len(pinned) >= places:
                        continue
                    pinned.append(run)
                step = run.next_step
                if step.task.traits.bypass_host_loop:
                    raise CorralError(f"The '{step.task.action}' module bypasses the host loop, which is currently "
                                      f"not supported in the free strategy and would instead execute for every "
                                      f"host in the inventory list.", obj=step.task._ds)
                if step.kind != "meta" and play_run.errors_fatal(step.task, run):
                    play_run.warn(_UNSUPPORTED.format("any_errors_fatal"))
                limit = play_run.throttle(step, run) if step.kind != "meta" else 0
                if limit and sum(1 for other in in_flight.values() if other.task is step.task) >= limit:
                    continue    # as many hosts as its throttle allows run this task: this one waits
                if step.kind == "meta":
                    play_run.run_steps([(run, step)])
                    continue
                if not play_run.take_step(step, run):
                    play_run.skip_step([(run, step)])
                    continue
                if self.ANNOUNCE_EACH_HOST or id(step.task) not in announced:
                    announced.add(id(step.task))
                    play_run.announce(step, run)
                in_flight[run] = step
                play_run.submit(run, step)
            if not in_flight:
                if not play_run.active():
                    return
                continue
            finished, _ = play_run.wait_one()
            in_flight.pop(finished, None)
            play_run.after_task(across_hosts=False)


_UNSUPPORTED = ("Using {} with the free strategy is not supported, as tasks are executed independently "
                "on each host")


@hookimpl
def corral_strategy(name: str) -> type[FreeStrategy] | None:
    return FreeStrategy if name == "free" else None
