"""The ``timer`` callback: how long the whole run took, in a ``PLAYBOOK RECAP``."""
from __future__ import annotations

import time
from typing import Any

from corral.plugins import hookimpl
from corral.plugins.callback import CallbackBase

__all__ = ["CallbackModule"]


class CallbackModule(CallbackBase):
    """Prints the run's duration at the end."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.started = time.time()

    def v2_playbook_on_start(self, playbook: Any) -> None:
        self.started = time.time()

    def v2_playbook_on_stats(self, stats: Any) -> None:
        seconds = int(time.time() - self.started)
        minutes, seconds = divmod(seconds, 60)
        hours, minutes = divmod(minutes, 60)
        days, hours = divmod(hours, 24)
        self._display.banner("PLAYBOOK RECAP")
        self._display.display(f"Playbook run took {days} days, {hours} hours, {minutes} minutes, {seconds} seconds")
        # ansible.posix's timer ends its recap with a line holding a carriage return
        self._display.display("\r")


@hookimpl
def corral_callback(name: str) -> type[CallbackModule] | None:
    """The ``timer`` callback class."""
    return CallbackModule if name == "timer" else None
