"""Entry point of the ``oneline`` callback (group ``corral.callback``)."""
from __future__ import annotations

from corral.plugins import hookimpl

from corral_callback_oneline.callback import CallbackModule


@hookimpl
def corral_callback(name: str) -> type[CallbackModule] | None:
    """The ``oneline`` callback class."""
    return CallbackModule if name == "oneline" else None
