"""``assert`` and ``fail``."""
from __future__ import annotations

from typing import Any

from corral.config import boolean
from corral.errors import CorralError
from corral.plugins.action import ActionBase
from corral_modules_controller.unsupported import refuse_unsupported

__all__ = ["AssertAction", "FailAction"]


class AssertAction(ActionBase):
    """Fail unless every condition of ``that`` holds."""

    NEEDS_CONNECTION = False
    #: conditions, evaluated by the action
    UNTEMPLATED_ARGS = frozenset({"that"})

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        args = self._task.args
        refuse_unsupported("assert", args, ("that", "fail_msg", "success_msg", "quiet"), ("msg",), {"changed": False})
        if "that" not in args:
            raise CorralError("conditional required in \"that\" string")
        conditions = args["that"] if isinstance(args["that"], list) else [args["that"]]
        fail_msg = args.get("fail_msg", args.get("msg"))
        quiet = boolean(args.get("quiet", False))
        for condition in conditions:
            if not self._templar.evaluate_conditional(condition):
                return {"failed": True, "changed": False, "evaluated_to": False, "assertion": condition,
                        "msg": self._templar.template(fail_msg) if fail_msg is not None else "Assertion failed",
                        "_ansible_verbose_always": True}
        result: dict[str, Any] = {"changed": False,
                                  "msg": self._templar.template(args.get("success_msg", "All assertions passed"))}
        if not quiet:
            result["_ansible_verbose_always"] = True
        return result


class FailAction(ActionBase):
    """Fail the task with ``msg``."""

    _VALID_ARGS = frozenset({"msg"})
    NEEDS_CONNECTION = False

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        return {"failed": True, "changed": False, "msg": self._task.args.get("msg", "Failed as requested from task")}
