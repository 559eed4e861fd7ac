"""Entry point of the ``live`` callback (group ``corral.callback``)."""
from __future__ import annotations

from corral.plugins import hookimpl

from corral_callback_live.callback import CallbackModule


@hookimpl
def corral_callback(name: str) -> type[CallbackModule] | None:
    """The ``live`` callback class."""
    return CallbackModule if name == "live" else None
