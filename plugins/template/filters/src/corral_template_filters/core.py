"""General filters: booleans, choices, encodings, hashes, randomness, comments."""
from __future__ import annotations

import base64
import hashlib
import random as _random
import shlex
import urllib.parse
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import Undefined

from corral.errors import CorralUndefinedVariable
from corral_template_filters._checks import fail, strict, type_name, volatile

__all__ = ["to_bool", "split", "ternary", "mandatory", "type_debug", "to_uuid", "b64encode", "b64decode",
           "quote", "get_hash", "checksum", "md5", "sha1", "urldecode", "rand", "shuffle", "comment", "FILTERS"]

_TRUE_STRINGS = frozenset({"yes", "on", "1", "true"})

#: the namespace Ansible uses for ``to_uuid``
UUID_NAMESPACE_ANSIBLE = uuid.UUID("361E6D51-FAEC-444A-9079-341386DA8E2E")


@strict
def to_bool(value: Any) -> bool:
    """``bool``: True for ``True``, ``1``, ``1.0`` and the strings ``yes``, ``on``,
    ``1``, ``true`` (any case); False for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.lower() in _TRUE_STRINGS
    if isinstance(value, (int, float)):
        return value == 1
    return False


@strict
def split(value: Any, separator: str | None = None, maxsplit: int = -1) -> list[str]:
    """The string ``value`` split at ``separator`` (runs of whitespace when None)."""
    if not isinstance(value, str):
        raise fail(f"split requires a string, got {type_name(value)} ({value!r}) instead.")
    return value.split(separator, int(maxsplit))


@strict
def ternary(value: Any, true_val: Any, false_val: Any, none_val: Any = None) -> Any:
    """``true_val`` if ``value`` is truthy, else ``false_val``; ``none_val`` (when
    given) if ``value`` is None."""
    if value is None and none_val is not None:
        return none_val
    return true_val if value else false_val


def mandatory(value: Any, msg: str | None = None) -> Any:
    """Return ``value``; raise the undefined-variable error (with ``msg`` when
    given) if it is undefined."""
    if isinstance(value, Undefined):
        if msg is not None:
            raise CorralUndefinedVariable(str(msg))
        name = getattr(value, "_undefined_name", None)
        label = f"'{name}' " if name else ""
        raise CorralUndefinedVariable(f"Mandatory variable {label}not defined.")
    return value


@strict
def type_debug(value: Any) -> str:
    """The name of ``value``'s type (``str``, ``int``, ``dict``, ``NoneType``...)."""
    return type_name(value)


@strict
def to_uuid(string: Any, namespace: Any = UUID_NAMESPACE_ANSIBLE) -> str:
    """A name-based (version 5) UUID of ``string`` in ``namespace``."""
    try:
        space = namespace if isinstance(namespace, uuid.UUID) else uuid.UUID(str(namespace))
    except ValueError as exc:
        raise fail(f"to_uuid: invalid namespace UUID {namespace!r}") from exc
    return str(uuid.uuid5(space, str(string)))


def _to_bytes(value: Any, encoding: str) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode(encoding, "surrogateescape")


@strict
def b64encode(value: Any, encoding: str = "utf-8") -> str:
    """Base64 of the text of ``value`` encoded with ``encoding``."""
    return base64.b64encode(_to_bytes(value, encoding)).decode("ascii")


@strict
def b64decode(value: Any, encoding: str = "utf-8") -> str:
    """Decode Base64 text to a string; characters outside the alphabet are skipped."""
    try:
        raw = base64.b64decode(_to_bytes(value, "utf-8"))
    except ValueError as exc:
        raise fail(f"b64decode: invalid Base64 input: {exc}") from exc
    return raw.decode(encoding, "surrogateescape")


@strict
def quote(value: Any) -> str:
    """Quote ``value`` for a POSIX shell (None quotes as ``''``)."""
    return shlex.quote("" if value is None else str(value))


@strict
def get_hash(data: Any, hashtype: str = "sha1") -> str:
    """``hash``: the hex digest of the text of ``data`` with ``hashtype`` (any
    algorithm :mod:`hashlib` offers)."""
    try:
        digest = hashlib.new(str(hashtype))
    except (ValueError, TypeError) as exc:
        raise fail(f"unsupported hash type {hashtype}") from exc
    digest.update(_to_bytes(data, "utf-8"))
    return digest.hexdigest()


@strict
def checksum(data: Any) -> str:
    """The SHA-1 hex digest of the text of ``data``."""
    return get_hash(data, "sha1")


@strict
def md5(data: Any) -> str:
    """The MD5 hex digest of the text of ``data``."""
    return get_hash(data, "md5")


@strict
def sha1(data: Any) -> str:
    """The SHA-1 hex digest of the text of ``data``."""
    return get_hash(data, "sha1")


@strict
def urldecode(value: Any) -> str:
    """Decode ``%XX`` escapes and ``+`` (a space) of URL-encoded text."""
    return urllib.parse.unquote_plus(str(value))


def _random_source(seed: Any) -> _random.Random:
    return _random.SystemRandom() if seed is None else _random.Random(seed)


@strict
def rand(end: Any, start: Any = None, step: Any = None, seed: Any = None) -> Any:
    """``random``: a random integer in ``range(start or 0, end, step or 1)`` for a
    number, or a random element of a sequence; repeatable with ``seed``."""
    source = _random_source(seed)
    if isinstance(end, int) and not isinstance(end, bool):
        try:
            return source.randrange(0 if start is None else int(start), end, 1 if step is None else int(step))
        except (ValueError, TypeError) as exc:
            raise fail(f"random: invalid range: {exc}") from exc
    if isinstance(end, Iterable) and not isinstance(end, Mapping):
        items = list(end)
        if not items:
            raise fail("random: cannot choose from an empty sequence")
        return source.choice(items)
    raise fail(f"random can only be used on sequences and integers, got {type_name(end)}")


@strict
def shuffle(value: Any, seed: Any = None) -> list[Any]:
    """A shuffled copy of the list ``value``; repeatable with ``seed``."""
    if not isinstance(value, Iterable) or isinstance(value, Mapping):
        raise fail(f"shuffle requires a list, got {type_name(value)} ({value!r}) instead.")
    items = list(value)
    _random_source(seed).shuffle(items)
    return items


# style: (beginning, decoration, end); the beginning and end lines hold the
# decoration without its trailing blank unless the style sets them.
_COMMENT_STYLES: dict[str, dict[str, str]] = {
    "plain": {"decoration": "# "},
    "erlang": {"decoration": "% "},
    "c": {"decoration": "// "},
    "cblock": {"beginning": "/*", "decoration": " * ", "end": " */"},
    "xml": {"beginning": "<!--", "decoration": " - ", "end": "-->"},
}


@strict
def comment(text: Any, style: str = "plain", **kw: Any) -> str:
    """Wrap ``text`` in a comment block of ``style`` (plain, erlang, c, cblock,
    xml); ``decoration``, ``beginning``, ``end``, ``prefix``, ``prefix_count``,
    ``postfix``, ``postfix_count`` and ``newline`` override the style's parts."""
    if style not in _COMMENT_STYLES:
        raise fail(f"comment: unknown style '{style}' (choose from {', '.join(_COMMENT_STYLES)})")
    unknown = set(kw) - {"decoration", "beginning", "end", "prefix", "prefix_count",
                         "postfix", "postfix_count", "newline"}
    if unknown:
        raise fail(f"comment: unknown option(s) {', '.join(sorted(unknown))}")
    params: dict[str, Any] = {"newline": "\n", "beginning": "", "end": "", "prefix_count": 1, "postfix_count": 1}
    params.update(_COMMENT_STYLES[style])
    params.update(kw)
    decoration = str(params["decoration"])
    newline = str(params["newline"])
    prefix = str(params.get("prefix", decoration.rstrip()))
    postfix = str(params.get("postfix", decoration.rstrip()))
    lines: list[str] = []
    if params["beginning"]:
        lines.append(str(params["beginning"]))
    lines += [prefix] * int(params["prefix_count"])
    lines += [(decoration + line).rstrip() if line else decoration.rstrip() for line in str(text).split(newline)]
    lines += [postfix] * int(params["postfix_count"])
    if params["end"]:
        lines.append(str(params["end"]))
    return newline.join(lines)


FILTERS = {
    "bool": to_bool,
    "split": split,
    "ternary": ternary,
    "mandatory": mandatory,
    "type_debug": type_debug,
    "to_uuid": to_uuid,
    "b64encode": b64encode,
    "b64decode": b64decode,
    "quote": quote,
    "hash": get_hash,
    "checksum": checksum,
    "md5": md5,
    "sha1": sha1,
    "urldecode": urldecode,
    "random": volatile(rand),
    "shuffle": volatile(shuffle),
    "comment": comment,
}
