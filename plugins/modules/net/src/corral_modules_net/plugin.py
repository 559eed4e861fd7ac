"""Hook implementations: the modules of this distribution."""
from __future__ import annotations

from pathlib import Path

from corral.plugins import hookimpl
from corral.plugins.module import ModuleSpec, modules_in

_DIR = Path(__file__).resolve().parent / "modules"
_DISTRIBUTION = "corral-modules-net"


@hookimpl
def corral_modules() -> list[ModuleSpec]:
    """Every ``modules/*.py`` file is a module of that name."""
    return modules_in(_DIR, _DISTRIBUTION)
