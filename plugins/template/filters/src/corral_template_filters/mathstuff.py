"""Numeric filters: logarithms, powers, roots and human-readable sizes."""
from __future__ import annotations

import math
import re
from typing import Any

from corral_template_filters._checks import fail, strict

__all__ = ["logarithm", "power", "inversepower", "human_readable", "human_to_bytes", "FILTERS"]

# unit letter -> multiple, largest first
_SIZES = (("Y", 1 << 80), ("Z", 1 << 70), ("E", 1 << 60), ("P", 1 << 50), ("T", 1 << 40),
          ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1))
_SIZE_BY_LETTER = dict(_SIZES)
_HUMAN = re.compile(r"^\s*(\d*\.?\d+)\s*([A-Za-z]+)?\s*$")


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(f"{name}() can only be used on numbers, got {type(value).__name__} ({value!r})")
    return value


@strict
def logarithm(x: Any, base: Any = math.e) -> float:
    """``log``: the logarithm of ``x`` in ``base`` (natural by default)."""
    try:
        return math.log(_number("log", x), _number("log", base))
    except (ValueError, ZeroDivisionError) as exc:
        raise fail(f"log() failed for {x!r} in base {base!r}: {exc}") from exc


@strict
def power(x: Any, y: Any) -> float:
    """``pow``: ``x`` to the power ``y``, as a float."""
    try:
        return math.pow(_number("pow", x), _number("pow", y))
    except (ValueError, OverflowError) as exc:
        raise fail(f"pow() failed for {x!r} and {y!r}: {exc}") from exc


@strict
def inversepower(x: Any, base: Any = 2) -> float:
    """``root``: the ``base``-th root of ``x`` (square root by default)."""
    x, base = _number("root", x), _number("root", base)
    try:
        return math.sqrt(x) if base == 2 else math.pow(x, 1.0 / float(base))
    except (ValueError, ZeroDivisionError) as exc:
        raise fail(f"root() failed for {x!r} and {base!r}: {exc}") from exc


@strict
def human_readable(size: Any, isbits: bool = False, unit: Any = None) -> str:
    """``size`` (bytes, or bits with ``isbits``) as text with a binary unit:
    ``1024`` is ``'1.00 KB'``; ``unit`` (a letter B, K, M, ...) forces the unit."""
    try:
        amount = float(size)
    except (TypeError, ValueError) as exc:
        raise fail(f"human_readable() can't interpret the input {size!r}: it is not a number") from exc
    base = "bits" if isbits else "Bytes"
    letter, multiple = "B", 1
    for letter, multiple in _SIZES:
        if (unit is None and amount >= multiple) or (unit is not None and str(unit)[:1].upper() == letter):
            break
    suffix = base if multiple == 1 else letter + base[0]
    return f"{amount / multiple:.2f} {suffix}"


@strict
def human_to_bytes(size: Any, default_unit: Any = None, isbits: bool = False) -> int:
    """Parse ``'10M'``, ``'1.5 KB'``, ``'2Gb'`` (with ``isbits``) into a number of
    bytes (or bits); a bare number is in ``default_unit`` (bytes when None)."""
    text = str(size)
    match = _HUMAN.match(text)
    if match is None:
        raise fail(f"human_to_bytes() can't interpret the input {text!r}")
    amount = float(match.group(1))
    unit = match.group(2) or default_unit
    if unit is None:
        return int(round(amount))
    unit = str(unit)
    letter = unit[0].upper()
    if letter not in _SIZE_BY_LETTER:
        raise fail(f"human_to_bytes() failed to convert {text!r}: the unit must start with one of "
                   f"{', '.join(letter for letter, _ in _SIZES)}")
    unit_char, unit_word = ("b", "bit") if isbits else ("B", "byte")
    if letter == "B":
        valid = len(unit) == 1 or unit.lower() == unit_word
    else:
        valid = len(unit) == 1 or unit[1] == unit_char
    if not valid:
        expected = f"{unit_char} or {unit_word}" if letter == "B" else f"{letter}{unit_char} or {letter}"
        raise fail(f"human_to_bytes() failed to convert {text!r}: the unit should be {expected}")
    return int(round(amount * _SIZE_BY_LETTER[letter]))


FILTERS = {
    "log": logarithm,
    "pow": power,
    "root": inversepower,
    "human_readable": human_readable,
    "human_to_bytes": human_to_bytes,
}
