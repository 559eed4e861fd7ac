"""Entry point of the ``junit`` callback (group ``corral.callback``)."""
from __future__ import annotations

from corral.plugins import hookimpl

from corral_callback_junit.callback import CallbackModule


@hookimpl
def corral_callback(name: str) -> type[CallbackModule] | None:
    """The ``junit`` callback class."""
    return CallbackModule if name == "junit" else None
