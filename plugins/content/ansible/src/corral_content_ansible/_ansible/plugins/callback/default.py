"""``ansible.plugins.callback.default``: the default stdout callback, which other
callbacks subclass (corral's own, from ``corral-callback-default``)."""
from __future__ import annotations

from corral_callback_default.callback import CallbackModule

__all__ = ["CallbackModule"]
