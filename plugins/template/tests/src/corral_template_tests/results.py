"""Tests on task results: ``succeeded``, ``failed``, ``changed``, ``skipped``,
``finished``, ``started``, ``timedout``; and on truth: ``truthy``, ``falsy``."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from corral_template_tests._checks import fail, strict

__all__ = ["failed", "succeeded", "changed", "skipped", "unreachable", "reachable", "timedout", "finished", "started", "truthy", "falsy", "TESTS"]

_TRUE_STRINGS = frozenset({"yes", "on", "1", "true", "y", "t"})
_FALSE_STRINGS = frozenset({"no", "off", "0", "false", "n", "f"})


def _result(test: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise fail(f"The '{test}' test expects a dictionary")
    return value


@strict
def failed(result: Any) -> bool:
    """The task result failed."""
    return bool(_result("failed", result).get("failed", False))


@strict
def succeeded(result: Any) -> bool:
    """The task result did not fail."""
    return not bool(_result("succeeded", result).get("failed", False))


@strict
def changed(result: Any) -> bool:
    """The task result changed something; a loop result without its own
    ``changed`` is changed when one of its items is."""
    result = _result("changed", result)
    if "changed" in result:
        return bool(result["changed"])
    items = result.get("results")
    if isinstance(items, Sequence) and not isinstance(items, str):
        return any(isinstance(item, Mapping) and bool(item.get("changed", False)) for item in items)
    return False


@strict
def skipped(result: Any) -> bool:
    """The task was skipped."""
    return bool(_result("skipped", result).get("skipped", False))


@strict
def unreachable(result: Any) -> bool:
    """The host was unreachable for the task."""
    return bool(_result("unreachable", result).get("unreachable", False))


@strict
def reachable(result: Any) -> bool:
    """The host was reachable for the task."""
    return not bool(_result("reachable", result).get("unreachable", False))


@strict
def timedout(result: Any) -> bool:
    """The task ran out of its ``timeout:`` (its result's ``timedout`` names a
    non-zero ``period``)."""
    timed = _result("timedout", result).get("timedout")
    return isinstance(timed, Mapping) and bool(timed.get("period"))


@strict
def finished(result: Any) -> bool:
    """An async job has finished (a result without ``finished`` counts as finished)."""
    return bool(_result("finished", result).get("finished", True))


@strict
def started(result: Any) -> bool:
    """An async job has started (a result without ``started`` counts as started)."""
    return bool(_result("started", result).get("started", True))


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_STRINGS or word in _FALSE_STRINGS:
            return word in _TRUE_STRINGS
    return bool(value)


@strict
def truthy(value: Any, convert_bool: bool = False) -> bool:
    """``value`` is true in Python's sense; with ``convert_bool``, strings such as
    ``'yes'``/``'no'`` count as the boolean they name (any other string is true
    when it is not empty)."""
    return _as_bool(value) if convert_bool else bool(value)


@strict
def falsy(value: Any, convert_bool: bool = False) -> bool:
    """The opposite of ``truthy``."""
    return not truthy(value, convert_bool=convert_bool)


TESTS = {
    "failed": failed, "failure": failed,
    "succeeded": succeeded, "success": succeeded, "successful": succeeded,
    "changed": changed, "change": changed,
    "skipped": skipped, "skip": skipped,
    "unreachable": unreachable,
    "reachable": reachable,
    "finished": finished,
    "timedout": timedout,
    "started": started,
    "truthy": truthy,
    "falsy": falsy,
}
