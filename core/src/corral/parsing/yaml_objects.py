"""Containers produced by corral's YAML loader: plain dict/list/str that also carry
``ansible_pos`` = (file, line, column) for error messages."""
from __future__ import annotations

__all__ = ["AnsibleMapping", "AnsibleSequence", "AnsibleUnicode", "Positioned"]


class Positioned:
    """Mixin: ``ansible_pos`` is where the value starts in its source file."""

    ansible_pos: tuple[str, int, int] = ("", 0, 0)


class AnsibleMapping(Positioned, dict):
    """A YAML mapping."""


class AnsibleSequence(Positioned, list):
    """A YAML sequence."""


class AnsibleUnicode(Positioned, str):
    """A YAML string."""
