"""Argument checks shared by the tests: undefined input fails as in Ansible."""
from __future__ import annotations

from corral.errors import CorralTemplateError
from corral.template.plugin_helpers import strict, volatile

__all__ = ["strict", "volatile", "fail"]


def fail(message: str) -> CorralTemplateError:
    """The error a test raises for bad input (the caller raises it)."""
    return CorralTemplateError(message)
