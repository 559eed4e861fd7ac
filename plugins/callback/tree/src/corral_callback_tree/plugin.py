"""Entry point of the ``tree`` callback (group ``corral.callback``)."""
from __future__ import annotations

from corral.plugins import hookimpl

from corral_callback_tree.callback import CallbackModule


@hookimpl
def corral_callback(name: str) -> type[CallbackModule] | None:
    """The ``tree`` callback class."""
    return CallbackModule if name == "tree" else None
