"""``ansible.module_utils.errors``: the errors argument validation reports."""
from __future__ import annotations

# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator

from corral.module_utils.basic import AnsibleFallbackNotFound

__all__ = ["AnsibleFallbackNotFound", "AnsibleValidationError", "AnsibleValidationErrorMultiple", "AliasError",
           "ArgumentTypeError", "ArgumentValueError", "DeprecationError", "ElementError", "MutuallyExclusiveError",
           "NoLogError", "RequiredByError", "RequiredDefaultError", "RequiredError", "RequiredIfError",
           "RequiredOneOfError", "RequiredTogetherError", "SubParameterTypeError", "UnsupportedError"]


class AnsibleValidationError(Exception):
    """One validation failure; ``error_message`` (and ``msg``) is its message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.error_message = message

    @property
    def msg(self) -> str:
        return self.args[0]


class AnsibleValidationErrorMultiple(AnsibleValidationError):
    """All the failures of one validation, in order (``errors``, ``messages``)."""

    def __init__(self, errors: list[AnsibleValidationError] | None = None) -> None:
        self.errors = list(errors or [])
        Exception.__init__(self, self.errors[0].msg if self.errors else "")

    def __getitem__(self, key: int) -> AnsibleValidationError:
        return self.errors[key]

    def __iter__(self) -> Iterator[AnsibleValidationError]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    @property
    def msg(self) -> str:
        return self.errors[0].msg

    @property
    def messages(self) -> list[str]:
        return [error.msg for error in self.errors]

    def append(self, error: AnsibleValidationError) -> None:
        self.errors.append(error)

    def extend(self, errors: Any) -> None:
        self.errors.extend(errors)


class AliasError(AnsibleValidationError):
    """An alias that cannot be used."""


class ArgumentTypeError(AnsibleValidationError):
    """A value that cannot be converted to its option's type."""


class ArgumentValueError(AnsibleValidationError):
    """A value not among its option's choices."""


class DeprecationError(AnsibleValidationError):
    """A deprecated option or alias."""


class ElementError(AnsibleValidationError):
    """A list element that cannot be converted to ``elements``."""


class MutuallyExclusiveError(AnsibleValidationError):
    """Options given together that exclude each other."""


class NoLogError(AnsibleValidationError):
    """A no_log value that cannot be handled."""


class RequiredByError(AnsibleValidationError):
    """An option missing that another given option requires."""


class RequiredDefaultError(AnsibleValidationError):
    """A required option that has a default (an error in the spec)."""


class RequiredError(AnsibleValidationError):
    """A required option missing."""


class RequiredIfError(AnsibleValidationError):
    """A ``required_if`` rule broken."""


class RequiredOneOfError(AnsibleValidationError):
    """A ``required_one_of`` group with none given."""


class RequiredTogetherError(AnsibleValidationError):
    """A ``required_together`` group partly given."""


class SubParameterTypeError(AnsibleValidationError):
    """A suboption value of the wrong type."""


class UnsupportedError(AnsibleValidationError):
    """Parameters the spec does not have."""
