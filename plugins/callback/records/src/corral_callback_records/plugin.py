"""Entry point of the ``records`` callback (group ``corral.callback``)."""
from __future__ import annotations

from corral.plugins import hookimpl

from corral_callback_records.callback import CallbackModule


@hookimpl
def corral_callback(name: str) -> type[CallbackModule] | None:
    """The ``records`` callback class."""
    return CallbackModule if name == "records" else None
