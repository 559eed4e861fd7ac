"""``validate_argument_spec``: check variables against an argument specification (the
task a role with ``meta/argument_specs.yml`` runs before its own tasks)."""
from __future__ import annotations

from typing import Any

from corral.errors import CorralError
from corral.module_utils.arg_spec import validate
from corral.plugins.action import ActionBase

__all__ = ["ValidateArgumentSpecAction"]

_UNSUPPORTED_PREFIX = "Unsupported parameters for () module: "


class ValidateArgumentSpecAction(ActionBase):
    """Validate ``provided_arguments``, and the variables named by ``argument_spec``
    (a role's ``options``), against ``argument_spec``; fail with every error found."""

    _VALID_ARGS = frozenset({"argument_spec", "provided_arguments", "validate_args_context"})
    NEEDS_CONNECTION = False
    #: the specification is data (descriptions may hold braces), never templated
    UNTEMPLATED_ARGS = frozenset({"argument_spec", "validate_args_context"})

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = self._task.args
        spec = args.get("argument_spec")
        if not isinstance(spec, dict):
            raise CorralError(f"Incorrect type for argument_spec, expected dict and got {type(spec)}")
        provided = args.get("provided_arguments") or {}
        if not isinstance(provided, dict):
            raise CorralError(f"Incorrect type for provided_arguments, expected dict and got {type(provided)}")
        variables = task_vars or {}
        from_vars = {name: self._templar.template(variables[name]) for name in spec if name in variables}
        checked = validate(spec, _plain({**from_vars, **provided}))
        # for roles, ansible-core names unsupported options without its module wording
        errors = [e[len(_UNSUPPORTED_PREFIX):] if e.startswith(_UNSUPPORTED_PREFIX) else e for e in checked.errors]
        context = args.get("validate_args_context") or {}
        if errors:
            return {"failed": True, "changed": False, "argument_spec_data": spec, "argument_errors": errors,
                    "msg": "Validation of arguments failed:\n" + "\n".join(errors), "validate_args_context": context}
        return {"changed": False, "msg": "The arg spec validation passed", "validate_args_context": context}


def _plain(value: Any) -> Any:
    """``value`` with plain ``str``/``dict``/``list`` in place of the loader's
    subclasses, as a module's arguments arrive (messages name the types)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
