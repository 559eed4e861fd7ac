"""Hook implementations: the modules and actions of this distribution."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from corral.plugins import hookimpl
from corral.plugins.module import ModuleSpec, modules_in
from corral_modules_system.actions import PackageAction, ServiceAction
from corral_modules_system.wait_for_connection_action import WaitForConnectionAction

_DIR = Path(__file__).resolve().parent / "modules"
_DISTRIBUTION = "corral-modules-system"


@hookimpl
def corral_modules() -> list[ModuleSpec]:
    """Every ``modules/*.py`` file is a module of that name; ``setup`` gathers facts."""
    return [dataclasses.replace(spec, gathers_facts=True) if spec.name == "setup" else spec
            for spec in modules_in(_DIR, _DISTRIBUTION)]


@hookimpl
def corral_actions() -> dict[str, Any]:
    """service and package choose the module that fits the target; wait_for_connection retries the
    connection itself."""
    return {"service": ServiceAction, "package": PackageAction, "wait_for_connection": WaitForConnectionAction}
