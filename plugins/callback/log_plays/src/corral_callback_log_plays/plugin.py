"""Entry point of the ``log_plays`` callback (group ``corral.callback``)."""
from __future__ import annotations

from corral.plugins import hookimpl

from corral_callback_log_plays.callback import CallbackModule


@hookimpl
def corral_callback(name: str) -> type[CallbackModule] | None:
    """The ``log_plays`` callback class."""
    return CallbackModule if name == "log_plays" else None
