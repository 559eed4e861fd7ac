"""Controller-side actions; the class attributes in capitals are their traits."""
from __future__ import annotations

from typing import Any

from corral.errors import CorralError
from corral.plugins.action import ActionBase
from corral.plugins.traits import FACTS_VARIABLES

__all__ = ["DebugAction", "SetFactAction", "AddHostAction"]


class DebugAction(ActionBase):
    """Show ``msg``, or the expression ``var`` as written with its value."""

    _VALID_ARGS = frozenset({"msg", "var"})
    NEEDS_CONNECTION = False
    #: the action evaluates ``var`` itself: the key shown is the expression as written
    UNTEMPLATED_ARGS = frozenset({"var"})

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = self._task.args
        result: dict[str, Any] = {"changed": False, "_ansible_verbose_always": True}
        if "var" not in args:
            result["msg"] = args.get("msg", "Hello world!")
            return result
        if "msg" in args:
            return {"failed": True, "msg": "'msg' and 'var' are incompatible options"}
        name = str(args["var"])
        if self._templar.is_template(name):
            result[name] = self._templar.template(name)
        else:
            result[name] = self._templar.evaluate_expression(name)
        return result


class SetFactAction(ActionBase):
    """Set host variables for the rest of the run."""

    NEEDS_CONNECTION = False
    FACTS = FACTS_VARIABLES

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        facts = {str(key): value for key, value in self._task.args.items()}
        if not facts:
            raise CorralError("No key/value pairs provided, at least one is required for this action to succeed")
        return {"changed": False, "ansible_facts": facts}


class AddHostAction(ActionBase):
    """Add the host ``name`` to the group ``groups`` of the run's inventory, once per batch."""

    NEEDS_CONNECTION = False
    BYPASS_HOST_LOOP = True
    CHANGES_INVENTORY = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        args = dict(self._task.args)
        name = args.pop("name")
        groups = args.pop("groups", [])
        return {"changed": True, "add_host": {"host_name": str(name), "host_vars": args,
                                              "groups": [groups] if isinstance(groups, str) else list(groups)}}
