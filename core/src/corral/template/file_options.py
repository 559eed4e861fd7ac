"""The Jinja2 settings a template file may change, as Ansible lets it.

A template file (the ``template`` module, ``lookup('template')``) is rendered with
Jinja2's ``trim_blocks`` on, ``lstrip_blocks`` off, ``{{ }}``/``{% %}``/``{# #}``
delimiters and ``\\n`` line ends.  The task may change these
(:data:`TEMPLATE_FILE_OPTIONS`), and a first line ``#jinja2: key: value, ...``
in the file changes them again for that file (it wins over the task's, and is not
part of the output).  Jinja2 drops the text's final newline; the rendered text then
gets newlines appended until it ends with as many as the source does
(:func:`pad_trailing_newlines`): more are kept as rendered.
"""
from __future__ import annotations

import ast
from typing import Any, Mapping

from corral.errors import CorralTemplateError

__all__ = ["TEMPLATE_FILE_OPTIONS", "NEWLINE_SEQUENCES", "split_header", "pad_trailing_newlines"]

#: option -> Jinja2's default for a template file
TEMPLATE_FILE_OPTIONS: Mapping[str, Any] = {
    "block_start_string": "{%", "block_end_string": "%}",
    "variable_start_string": "{{", "variable_end_string": "}}",
    "comment_start_string": "{#", "comment_end_string": "#}",
    "line_statement_prefix": None, "line_comment_prefix": None,
    "trim_blocks": True, "lstrip_blocks": False, "newline_sequence": "\n", "keep_trailing_newline": False,
}
#: the line ends ``newline_sequence`` may name
NEWLINE_SEQUENCES = ("\n", "\r", "\r\n")

_HEADER = "#jinja2:"


def split_header(text: str) -> tuple[str, dict[str, Any]]:
    """``text`` without its ``#jinja2:`` first line, and the settings that line
    gives (Python literals: ``trim_blocks: False, variable_start_string: '[%'``).
    A text without the line comes back whole with no settings; a malformed line
    is a :class:`CorralTemplateError`."""
    if not text.startswith(_HEADER):
        return text, {}
    end = text.find("\n")
    if end == -1:
        raise CorralTemplateError(f"Missing newline after {_HEADER!r} override.")
    settings: dict[str, Any] = {}
    for pair in text[len(_HEADER):end].split(","):
        if not pair.strip():
            raise CorralTemplateError(f"Empty {_HEADER!r} override pair not allowed.")
        if ":" not in pair:
            raise CorralTemplateError(f"Missing key-value separator `:` in {_HEADER!r} override pair {pair!r}.")
        key, value = (part.strip() for part in pair.split(":", 1))
        if key not in TEMPLATE_FILE_OPTIONS:
            raise CorralTemplateError(f"Invalid {_HEADER!r} override key {key!r}.")
        try:
            settings[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError) as exc:
            raise CorralTemplateError(f"Invalid {_HEADER!r} override value {value!r} for {key!r}.") from exc
    return text[end + 1:], settings


def _trailing_newlines(text: str) -> int:
    return len(text) - len(text.rstrip("\n"))


def pad_trailing_newlines(source: str, rendered: str, newline_sequence: str = "\n") -> str:
    """``rendered`` followed by ``newline_sequence`` as many times as it ends with
    fewer ``\\n`` than ``source`` does."""
    missing = _trailing_newlines(source) - _trailing_newlines(rendered)
    return rendered + newline_sequence * missing if missing > 0 else rendered
