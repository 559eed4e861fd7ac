"""The ``free`` strategy: every host goes to its next task as soon as its last one ends."""
from __future__ import annotations

from typing import Any

from corral.plugins import hookimpl

__all__ = ["FreeStrategy"]


class FreeStrategy:
    """Keep one step in flight per host; never wait for other hosts."""

    def __init__(self, play_run: Any) -> None:
        self.play_run = play_run

    def run(self) -> None:
        play_run = self.play_run
        announced: set[int] = set()
        in_flight: set[int] = set()
        while not play_run.ended:
            for run in play_run.active():
                if id(run) in in_flight:
                    continue
                step = run.next
                if id(step.task) not in announced:
                    announced.add(id(step.task))
                    play_run.announce(step, run)
                if step.kind == "meta":
                    play_run.run_steps([(run, step)])
                    continue
                in_flight.add(id(run))
                play_run.submit(run, step)
            if not in_flight:
                if not play_run.active():
                    return
                continue
            finished, _ = play_run.wait_one()
            in_flight.discard(id(finished))
            play_run.after_task()


@hookimpl
def corral_strategy(name: str) -> type[FreeStrategy] | None:
    return FreeStrategy if name == "free" else None
