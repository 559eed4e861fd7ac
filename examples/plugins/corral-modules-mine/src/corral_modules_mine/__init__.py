"""Third-party actions and a module under the names ``mine.tools.*``: each declares its
traits (free-form, controller-only, untemplated arguments, facts, host loop) and so
behaves as the standard ``debug``, ``set_fact``, ``add_host`` and ``shell`` do, with no
change to the kernel."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from corral.parsing.splitter import COMMAND_KEYS
from corral.plugins import hookimpl
from corral.plugins.module import ModuleSpec
from corral_modules_mine.actions import AddHostAction, DebugAction, SetFactAction

__all__ = ["corral_modules", "corral_actions"]

_MODULES = Path(__file__).resolve().parent / "modules"


@hookimpl
def corral_modules() -> list[ModuleSpec]:
    """``mine.tools.shell`` runs on the target; its argument string is a command line."""
    return [ModuleSpec("mine.tools.shell", str(_MODULES / "shell.py"), "corral-modules-mine",
                       free_form_keys=COMMAND_KEYS, requires_args=True)]


@hookimpl
def corral_actions() -> dict[str, Any]:
    return {"mine.tools.debug": DebugAction, "mine.tools.set_fact": SetFactAction,
            "mine.tools.add_host": AddHostAction}
