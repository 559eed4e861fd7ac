"""Hook implementations: the modules and actions of this distribution."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from corral.parsing.splitter import COMMAND_KEYS
from corral.plugins import hookimpl
from corral.plugins.module import ModuleSpec
from corral_modules_commands.actions import CommandAction, RawAction, ScriptAction, ShellAction

_DIR = Path(__file__).resolve().parent / "modules"
_DISTRIBUTION = "corral-modules-commands"
_MODULES = ("command", "shell", "raw", "script", "ping", "expect")


@hookimpl
def corral_modules() -> list[ModuleSpec]:
    """command, ping and expect run on the target; shell, raw and script document their actions
    (which declare their own traits).  ``command`` takes a free-form command line."""
    return [ModuleSpec(name, str(_DIR / f"{name}.py"), _DISTRIBUTION,
                       free_form_keys=COMMAND_KEYS if name == "command" else None,
                       requires_args=name == "command")
            for name in _MODULES]


@hookimpl
def corral_actions() -> dict[str, Any]:
    """command runs its module as ``ansible.legacy.command``, shell the same with a shell; raw and
    script run over the connection."""
    return {"command": CommandAction, "shell": ShellAction, "raw": RawAction, "script": ScriptAction}
