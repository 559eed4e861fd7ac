"""The ``host_pinned`` strategy: ``free``, with at most ``forks`` hosts in the play at once.

A host that has started the play keeps its place until it has run all of its steps;
only then may a host that has not started take the place.  Within those places
hosts run freely, each to its next step as soon as its last one ended.  As under
ansible-core, the task-start event is sent for each host as it reaches a task, so a
callback sees when each host starts what.
"""
from __future__ import annotations

from corral.plugins import hookimpl

from corral_strategy_free import FreeStrategy

__all__ = ["HostPinnedStrategy"]


class HostPinnedStrategy(FreeStrategy):
    """Run at most ``forks`` hosts through the play at once, each pinned to its place."""

    ANNOUNCE_EACH_HOST = True

    def places(self) -> int:
        return max(1, self.play_run.forks)


@hookimpl
def corral_strategy(name: str) -> type[HostPinnedStrategy] | None:
    return HostPinnedStrategy if name == "host_pinned" else None
