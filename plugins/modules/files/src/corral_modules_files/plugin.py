"""Hook implementations: the modules and controller-side actions of this distribution."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from corral.plugins import hookimpl
from corral.plugins.module import ModuleSpec, modules_in
from corral_modules_files.actions import CopyAction, FetchAction, TemplateAction, UnarchiveAction
from corral_modules_files.assemble_action import AssembleAction

_DIR = Path(__file__).resolve().parent / "modules"
_DISTRIBUTION = "corral-modules-files"


@hookimpl
def corral_modules() -> list[ModuleSpec]:
    """Every ``modules/*.py`` file is a module of that name."""
    return modules_in(_DIR, _DISTRIBUTION)


@hookimpl
def corral_actions() -> dict[str, Any]:
    """copy, template, fetch, unarchive and assemble have a controller side."""
    return {"copy": CopyAction, "template": TemplateAction, "fetch": FetchAction, "unarchive": UnarchiveAction,
            "assemble": AssembleAction}
