"""The ``template`` task's rendering options, checked and turned into the Jinja2
settings the templar takes (``Templar.template_text(settings=...)``), as
ansible-core's template action reads them."""
from __future__ import annotations

from typing import Any, Mapping

from corral.errors import CorralError
from corral.plugins.options import convert_value

__all__ = ["RENDERING_OPTIONS", "rendering_settings"]

#: the template-only options (not passed on to copy)
RENDERING_OPTIONS = ("newline_sequence", "variable_start_string", "variable_end_string", "block_start_string",
                     "block_end_string", "comment_start_string", "comment_end_string", "trim_blocks",
                     "lstrip_blocks", "output_encoding")
_STRINGS = ("newline_sequence", "variable_start_string", "variable_end_string", "block_start_string",
            "block_end_string", "comment_start_string", "comment_end_string")
_ALLOWED_NEWLINES = ("\n", "\r", "\r\n")
#: the sequences as a user may write them in YAML without escapes
_WRITTEN_NEWLINES = ("\\n", "\\r", "\\r\\n")


def _boolean(value: Any) -> bool:
    try:
        return bool(convert_value(value, "bool"))
    except ValueError as exc:
        raise CorralError(f"The value '{value}' is not a valid boolean.  Valid booleans include: "
                          "'no', 'on', 'off', 0, 1, 'true', 'false', 'n', 'f', 'yes', 't', 'y', '1.0', '0.0'") from exc


def rendering_settings(args: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """The Jinja2 settings and the output encoding the task's ``args`` ask for;
    a wrong value is a :class:`CorralError` with ansible-core's message."""
    for name in _STRINGS:
        value = args.get(name)
        if value is not None and not isinstance(value, str):
            raise CorralError(f"{name} is expected to be a string, but got {type(value)} instead")
    settings: dict[str, Any] = {name: args[name] for name in _STRINGS if args.get(name) is not None}
    for name in ("trim_blocks", "lstrip_blocks"):
        if args.get(name) is not None:
            settings[name] = _boolean(args[name])
    newline = settings.get("newline_sequence", "\n")
    if newline in _WRITTEN_NEWLINES:
        newline = _ALLOWED_NEWLINES[_WRITTEN_NEWLINES.index(newline)]
    if newline not in _ALLOWED_NEWLINES:
        raise CorralError("newline_sequence needs to be one of: \n, \r or \r\n")
    settings["newline_sequence"] = newline
    return settings, str(args.get("output_encoding") or "utf-8")
