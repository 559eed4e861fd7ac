"""``dumps`` and ``loads`` as ``json``'s, without importing ``json`` on the target.

Importing ``json`` imports ``re`` (and ``enum``, ``functools``...), about a quarter of
a small module's CPU in a fresh interpreter.  ``json`` itself encodes and decodes
with its C accelerator ``_json`` when it has it; this module calls the same
functions with the same arguments ``json.dumps(obj, default=...)`` and
``json.loads(text)`` use, so the text and the values are the same.  Without
``_json``, or for anything the accelerator refuses (a malformed document, whose
error message ``json`` words), the call goes to ``json`` itself.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

_make_encoder: Any
_make_scanner: Any
try:
    from _json import encode_basestring_ascii as _encode_string, make_encoder as _make_encoder, \
        make_scanner as _make_scanner
except ImportError:       # an interpreter without the accelerator: json does it all
    _make_encoder = _make_scanner = None

__all__ = ["dumps", "loads"]

_WHITESPACE = " \t\n\r"
_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


def dumps(obj: Any, default: Callable[[Any], Any] | None = None) -> str:
    """``json.dumps(obj, default=default)``."""
    if _make_encoder is None:
        import json
        return json.dumps(obj, default=default)
    if isinstance(obj, str):
        return _encode_string(obj)
    # json.JSONEncoder.iterencode's one-shot C encoder: markers (check_circular), default,
    # ensure_ascii's string encoder, indent, key and item separators, sort_keys,
    # skipkeys, allow_nan
    encode = _make_encoder({}, default if default is not None else _refuse, _encode_string, None,
                           ": ", ", ", False, False, True)
    return "".join(encode(obj, 0))


def _refuse(obj: Any) -> Any:
    raise TypeError(f"Object of type {obj.__class__.__name__} is not JSON serializable")


class _Context:
    """What the C scanner reads from a decoder: ``json.loads``'s defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__
    memo: dict[str, Any] = {}


_scan = _make_scanner(_Context()) if _make_scanner is not None else None


def loads(text: str) -> Any:
    """``json.loads(text)`` of a ``str``."""
    if _scan is not None:
        start, end = 0, len(text)
        while start < end and text[start] in _WHITESPACE:
            start += 1
        while end > start and text[end - 1] in _WHITESPACE:
            end -= 1
        try:
            value, stop = _scan(text, start)
        except (StopIteration, ValueError):
            pass                # json says what is wrong, in its words
        else:
            if stop == end:
                return value
    import json
    return json.loads(text)
