"""Actions that run on the controller only and never reach a host."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from corral.plugins import hookimpl
from corral.plugins.module import ModuleSpec, doc_fragments_in, modules_in
from corral_modules_controller.argument_spec import ValidateArgumentSpecAction
from corral_modules_controller.docs import ACTION_DOCS
from corral_modules_controller.flow import AssertAction, FailAction
from corral_modules_controller.inventory_actions import AddHostAction, GroupByAction
from corral_modules_controller.pause import PauseAction
from corral_modules_controller.variables import DebugAction, IncludeVarsAction, SetFactAction, SetStatsAction

__all__ = ["corral_actions", "corral_module_doc_fragments", "corral_modules"]

_KEYWORDS = Path(__file__).resolve().parent / "keywords"


@hookimpl
def corral_modules() -> list[ModuleSpec]:
    """The documentation of the playbook keywords that read like modules (``keywords/*.py``)."""
    return modules_in(_KEYWORDS, "corral-modules-controller")


@hookimpl
def corral_module_doc_fragments() -> dict[str, str]:
    """``role``: the options import_role and include_role share."""
    return doc_fragments_in(Path(__file__).resolve().parent / "doc_fragments")


_ACTIONS: dict[str, Any] = {
    "debug": DebugAction, "set_fact": SetFactAction, "include_vars": IncludeVarsAction,
    "set_stats": SetStatsAction, "assert": AssertAction, "fail": FailAction, "pause": PauseAction,
    "add_host": AddHostAction, "group_by": GroupByAction, "validate_argument_spec": ValidateArgumentSpecAction,
}
# each action carries its documentation (what ``corral-doc NAME`` shows), as a module does
for _name, _action in _ACTIONS.items():
    _action.DOCUMENTATION = ACTION_DOCS[_name]


@hookimpl
def corral_actions() -> dict[str, Any]:
    return dict(_ACTIONS)
