"""Actions that run on the controller only and never reach a host."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from corral.plugins import hookimpl
from corral.plugins.module import ModuleSpec, modules_in
from corral_modules_controller.argument_spec import ValidateArgumentSpecAction
from corral_modules_controller.flow import AssertAction, FailAction
from corral_modules_controller.inventory_actions import AddHostAction, GroupByAction
from corral_modules_controller.pause import PauseAction
from corral_modules_controller.variables import DebugAction, IncludeVarsAction, SetFactAction, SetStatsAction

__all__ = ["corral_actions", "corral_modules"]

_KEYWORDS = Path(__file__).resolve().parent / "keywords"


@hookimpl
def corral_modules() -> list[ModuleSpec]:
    """The documentation of the playbook keywords that read like modules (``keywords/*.py``)."""
    return modules_in(_KEYWORDS, "corral-modules-controller")


@hookimpl
def corral_actions() -> dict[str, Any]:
    return {
        "debug": DebugAction, "set_fact": SetFactAction, "include_vars": IncludeVarsAction,
        "set_stats": SetStatsAction, "assert": AssertAction, "fail": FailAction, "pause": PauseAction,
        "add_host": AddHostAction, "group_by": GroupByAction, "validate_argument_spec": ValidateArgumentSpecAction,
    }
