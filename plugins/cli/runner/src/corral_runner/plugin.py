"""Entry point of the ``awx_display`` callback (group ``corral.callback``)."""
from __future__ import annotations

from corral.plugins import hookimpl

from corral_runner.display_callback import CallbackModule


@hookimpl
def corral_callback(name: str) -> type[CallbackModule] | None:
    """The job event callback that ``corral-runner`` makes the child's stdout callback."""
    return CallbackModule if name == "awx_display" else None
