"""``ansible.module_utils.common.arg_spec``: validating parameters against a spec outside AnsibleModule.

``ArgumentSpecValidator(spec, mutually_exclusive=..., ...).validate(params)``
returns a :class:`ValidationResult` with ``validated_parameters``,
``unsupported_parameters``, ``error_messages`` and ``errors``; the checks and
messages are those of ``AnsibleModule`` (:func:`corral.module_utils.arg_spec.validate`).
"""
from __future__ import annotations

import copy
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from corral.module_utils.arg_spec import validate
from corral.module_utils.warnings import deprecate, warn

from ansible.module_utils.errors import (AnsibleValidationError, AnsibleValidationErrorMultiple,
                                         UnsupportedError)

__all__ = ["ArgumentSpecValidator", "ModuleArgumentSpecValidator", "ValidationResult"]


class ValidationResult:
    """The outcome of one validation."""

    def __init__(self, parameters: dict) -> None:
        self._validated_parameters = copy.deepcopy(parameters)
        self._no_log_values: set[str] = set()
        self._unsupported_parameters: set[str] = set()
        self._deprecations: list[dict[str, Any]] = []
        self._warnings: list[str] = []
        self.errors = AnsibleValidationErrorMultiple()
        self._aliases: dict[str, str] = {}

    @property
    def validated_parameters(self) -> dict:
        """The parameters converted to their types, with defaults filled in."""
        return self._validated_parameters

    @property
    def unsupported_parameters(self) -> set[str]:
        """The parameters the spec does not have."""
        return self._unsupported_parameters

    @property
    def error_messages(self) -> list[str]:
        """The messages of :attr:`errors`."""
        return self.errors.messages


class ArgumentSpecValidator:
    """Checks parameters against an argument spec and its option rules."""

    def __init__(self, argument_spec: dict, mutually_exclusive: list | None = None,
                 required_together: list | None = None, required_one_of: list | None = None,
                 required_if: list | None = None, required_by: dict | None = None) -> None:
        self.argument_spec = argument_spec
        self._mutually_exclusive = mutually_exclusive
        self._required_together = required_together
        self._required_one_of = required_one_of
        self._required_if = required_if
        self._required_by = required_by
        self._valid_parameter_names = set()
        for name, spec in argument_spec.items():
            self._valid_parameter_names.add(name)
            self._valid_parameter_names.update(spec.get("aliases", ()) or ())

    def validate(self, parameters: dict, *args: Any, **kwargs: Any) -> ValidationResult:
        """Check and convert ``parameters`` (left unchanged) and report what was found."""
        result = ValidationResult(parameters)
        checked = validate(self.argument_spec, copy.deepcopy(parameters),
                           mutually_exclusive=self._mutually_exclusive, required_together=self._required_together,
                           required_one_of=self._required_one_of, required_if=self._required_if,
                           required_by=self._required_by, module_name=kwargs.get("module_name", "module"))
        result._validated_parameters = checked.params
        result._no_log_values = checked.no_log_values
        result._warnings = list(checked.warnings)
        result._deprecations = list(checked.deprecations)
        result._unsupported_parameters = {name for name in parameters if name not in self._valid_parameter_names}
        for message in checked.errors:
            kind = UnsupportedError if message.startswith("Unsupported parameters") else AnsibleValidationError
            result.errors.append(kind(message))
        return result


class ModuleArgumentSpecValidator(ArgumentSpecValidator):
    """An :class:`ArgumentSpecValidator` that also reports the spec's warnings and
    deprecations to the module's result."""

    def validate(self, parameters: dict, *args: Any, **kwargs: Any) -> ValidationResult:
        result = super().validate(parameters, *args, **kwargs)
        for message in result._warnings:
            warn(message)
        for entry in result._deprecations:
            deprecate(**entry)
        return result
