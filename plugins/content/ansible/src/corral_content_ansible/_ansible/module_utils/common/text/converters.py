"""``ansible.module_utils.common.text.converters``: text/bytes conversion and JSON-ready data.

``to_bytes``/``to_text``/``to_native`` are corral's (:mod:`corral.module_utils._text`);
the ``errors`` handlers ``surrogate_or_strict``, ``surrogate_or_replace`` and
``surrogate_then_replace`` are accepted.
"""
from __future__ import annotations

import datetime
import json
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from corral.module_utils._text import to_bytes, to_native, to_text

__all__ = ["to_bytes", "to_native", "to_text", "jsonify", "container_to_bytes", "container_to_text",
           "json_dump_compat"]


def _container(value: Any, convert: Any, encoding: str, errors: str) -> Any:
    if isinstance(value, (str, bytes)):
        return convert(value, encoding=encoding, errors=errors)
    if isinstance(value, dict):
        return {_container(k, convert, encoding, errors): _container(v, convert, encoding, errors)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_container(item, convert, encoding, errors) for item in value]
    if isinstance(value, tuple):
        return tuple(_container(item, convert, encoding, errors) for item in value)
    return value


def container_to_bytes(d: Any, encoding: str = "utf-8", errors: str = "surrogate_or_strict") -> Any:
    """``d`` with every text string inside (keys, values, list items) encoded to bytes."""
    return _container(d, to_bytes, encoding, errors)


def container_to_text(d: Any, encoding: str = "utf-8", errors: str = "surrogate_or_strict") -> Any:
    """``d`` with every byte string inside decoded to text."""
    return _container(d, to_text, encoding, errors)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, (set, frozenset)):
        return list(obj)
    if isinstance(obj, (datetime.date, datetime.datetime, datetime.time)):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return to_text(obj, errors="surrogate_or_strict")
    raise TypeError(f"Cannot json serialize {to_native(obj)}")


def jsonify(data: Any, **kwargs: Any) -> str:
    """``data`` as JSON: byte strings are decoded, sets become lists and dates ISO text."""
    return json.dumps(container_to_text(data), default=_json_default, **kwargs)


def json_dump_compat(data: Any, **kwargs: Any) -> str:
    """Like :func:`jsonify`, for callers that expect a plain ``json.dumps`` of text data."""
    return jsonify(data, **kwargs)
