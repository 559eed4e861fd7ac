"""Hook implementations: the modules of this distribution."""
from __future__ import annotations

from pathlib import Path

from corral.plugins import hookimpl
from corral.plugins.module import ModuleSpec

_DIR = Path(__file__).resolve().parent / "modules"
_DISTRIBUTION = "corral-modules-commands"
#: module name -> source file (shell is command with a shell)
_MODULES = {"command": "command.py", "shell": "command.py", "ping": "ping.py"}


@hookimpl
def corral_modules() -> list[ModuleSpec]:
    """command, shell and ping run on the target."""
    return [ModuleSpec(name, str(_DIR / source), _DISTRIBUTION) for name, source in _MODULES.items()]
