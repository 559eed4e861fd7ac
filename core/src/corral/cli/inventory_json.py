"""The JSON text ``corral-inventory`` prints, as ``ansible-inventory`` prints it.

:func:`inventory_json` returns exactly what
``json.dumps(marked, sort_keys=True, indent=4, default=...)`` returns for the
value with its unsafe strings written ``{"__ansible_unsafe": text}`` and its
vaulted values ``{"__ansible_vault": ciphertext}`` (never decrypted), but in
one pass: the standard library encodes an indented document in pure Python, one
generator per level, after a first pass had copied the whole value to mark it;
a 10,000-host ``--list`` spent a fifth of its time there.  Strings are encoded by
the standard library's C function, so the text is the same byte for byte.
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii
from typing import Any

from corral.parsing.vault import EncryptedValue
from corral.utils.unsafe import is_unsafe

__all__ = ["inventory_json", "vault_text", "json_key"]

_INDENT = "    "
_INFINITY = float("inf")


def inventory_json(value: Any) -> str:
    """``value`` as indented JSON (4 spaces, keys sorted, ASCII), marked as above."""
    out: list[str] = []
    _encode(value, "\n", out, True)
    return "".join(out)


def _marked(value: Any) -> Any:
    """What a leaf is written as: a vaulted value or unsafe string becomes its
    one-key mapping, anything else is itself."""
    if isinstance(value, EncryptedValue):
        return {"__ansible_vault": vault_text(value)}
    if isinstance(value, str) and is_unsafe(value):
        return {"__ansible_unsafe": str(value)}
    return value


def _encode(value: Any, newline: str, out: list[str], mark: bool) -> None:
    """Append the text of ``value`` at the depth ``newline`` (a newline and the
    indentation of the line the value starts on) to ``out``; with ``mark``, its
    unsafe strings and vaulted values marked (what a value JSON has no type for
    becomes is not: ansible-inventory marks before it encodes)."""
    if mark:
        marked = _marked(value)
        if marked is not value:
            _encode_dict(marked, newline, out, False)     # its one value is plain text
            return
    if isinstance(value, str):
        out.append(encode_basestring_ascii(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, dict):
        _encode_dict(value, newline, out, mark)
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + _INDENT
        out.append("[")
        separator = inner
        for item in value:
            out.append(separator)
            separator = "," + inner
            _encode(item, inner, out, mark)
        out.append(newline + "]")
    else:
        _encode(_default(value), newline, out, False)


def _encode_dict(value: dict[Any, Any], newline: str, out: list[str], mark: bool) -> None:
    if not value:
        out.append("{}")
        return
    if mark and not all(isinstance(key, str) for key in value):
        value = {json_key(key): item for key, item in value.items()}
    inner = newline + _INDENT
    out.append("{")
    separator = inner
    for key in sorted(value):
        item = value[key]
        kind = type(item)
        head = separator + encode_basestring_ascii(key) + ": "
        separator = "," + inner
        # the common leaves inline (a plain str is never unsafe: that is a subclass)
        if kind is str:
            out.append(head + encode_basestring_ascii(item))
        elif kind is int:
            out.append(head + int.__repr__(item))
        else:
            out.append(head)
            _encode(item, inner, out, mark)
    out.append(newline + "}")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def vault_text(value: EncryptedValue) -> str:
    """The vault text as written in YAML, ending with a newline (as Ansible keeps it)."""
    text = value.ciphertext
    return text if text.endswith("\n") else text + "\n"


def json_key(key: Any) -> str:
    """Keys as JSON writes them (YAML's ``on:`` is the boolean True: "true")."""
    if isinstance(key, str):
        return key
    return json.dumps(key) if isinstance(key, (bool, int, float)) or key is None else str(key)


def _default(value: Any) -> Any:
    """A value JSON has no type for: sets and tuples as lists, bytes as text, the
    rest as its ``str``."""
    if isinstance(value, (set, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
