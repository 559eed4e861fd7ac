"""Entry point of the ``minimal`` callback (group ``corral.callback``)."""
from __future__ import annotations

from corral.plugins import hookimpl

from corral_callback_minimal.callback import CallbackModule


@hookimpl
def corral_callback(name: str) -> type[CallbackModule] | None:
    """The ``minimal`` callback class."""
    return CallbackModule if name == "minimal" else None
