"""``ansible.module_utils.common.validation``: type checks and option rules, one at a time.

Each ``check_type_*`` converts a value or raises ``TypeError``; each ``check_*``
rule raises ``TypeError`` with Ansible's message when the parameters break it.  The
conversions are corral's (:mod:`corral.module_utils.arg_spec`), the ones
``AnsibleModule`` applies.
"""
from __future__ import annotations

import ast
from collections.abc import Mapping
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable

from corral.module_utils.arg_spec import ArgumentError, check_type

__all__ = ["count_terms", "check_mutually_exclusive", "check_required_one_of", "check_required_together",
           "check_required_by", "check_required_arguments", "check_required_if", "check_missing_parameters",
           "safe_eval", "check_type_str", "check_type_list", "check_type_dict", "check_type_bool",
           "check_type_int", "check_type_float", "check_type_path", "check_type_raw", "check_type_bytes",
           "check_type_bits", "check_type_jsonarg"]


def _where(options_context: list[str] | None) -> str:
    return f" found in {' -> '.join(options_context)}" if options_context else ""


def count_terms(terms: Any, parameters: Mapping) -> int:
    """How many of ``terms`` (a name or names) are keys of ``parameters``."""
    names = [terms] if isinstance(terms, str) else terms
    return len(set(names) & set(parameters))


def _given(parameters: Mapping, names: Iterable[str]) -> int:
    return sum(1 for name in names if parameters.get(name) is not None)


def check_mutually_exclusive(terms: list | None, parameters: Mapping,
                             options_context: list[str] | None = None) -> list:
    """No two options of a group in ``terms`` may be given together."""
    broken = [group for group in terms or () if count_terms(group, parameters) > 1]
    if broken:
        names = ", ".join("|".join(group) for group in broken)
        raise TypeError(f"parameters are mutually exclusive: {names}{_where(options_context)}")
    return []


def check_required_one_of(terms: list | None, parameters: Mapping,
                          options_context: list[str] | None = None) -> list:
    """At least one option of each group in ``terms`` must be given."""
    for group in terms or ():
        if count_terms(group, parameters) == 0:
            raise TypeError(f"one of the following is required: {', '.join(group)}{_where(options_context)}")
    return []


def check_required_together(terms: list | None, parameters: Mapping,
                            options_context: list[str] | None = None) -> list:
    """The options of each group in ``terms`` are given all or none."""
    for group in terms or ():
        counts = [count_terms(name, parameters) for name in group]
        if 0 in counts and any(counts):
            raise TypeError(f"parameters are required together: {', '.join(group)}{_where(options_context)}")
    return []


def check_required_by(requirements: dict | None, parameters: Mapping,
                      options_context: list[str] | None = None) -> dict[str, list[str]]:
    """Each key of ``requirements`` given needs the options it names."""
    missing: dict[str, list[str]] = {}
    for key, needed in (requirements or {}).items():
        if parameters.get(key) is None:
            continue
        for name in [needed] if isinstance(needed, str) else needed:
            if parameters.get(name) is None:
                missing.setdefault(key, []).append(name)
    for key, names in missing.items():
        raise TypeError(f"missing parameter(s) required by '{key}': {', '.join(names)}{_where(options_context)}")
    return missing


def check_required_arguments(argument_spec: dict | None, parameters: Mapping,
                             options_context: list[str] | None = None) -> list[str]:
    """Every ``required`` option of ``argument_spec`` must be in ``parameters``."""
    missing = sorted(name for name, spec in (argument_spec or {}).items()
                     if spec.get("required") and name not in parameters)
    if missing:
        raise TypeError(f"missing required arguments: {', '.join(missing)}{_where(options_context)}")
    return missing


def check_required_if(requirements: list | None, parameters: Mapping,
                      options_context: list[str] | None = None) -> list[dict[str, Any]]:
    """``[key, value, [names], any?]``: when ``key`` is ``value``, the names (all, or
    any one with a true fourth item) must be given."""
    results: list[dict[str, Any]] = []
    for rule in requirements or ():
        key, value, names = rule[0], rule[1], rule[2]
        any_of = len(rule) > 3 and rule[3]
        if key not in parameters or parameters[key] != value:
            continue
        missing = [name for name in names if parameters.get(name) is None]
        if missing and (not any_of or len(missing) == len(names)):
            results.append({"parameter": key, "value": value, "requirements": names, "missing": missing,
                            "requires": "any" if any_of else "all"})
    for found in results:
        raise TypeError(f"{found['parameter']} is {found['value']} but {found['requires']} of the following "
                        f"are missing: {', '.join(found['missing'])}{_where(options_context)}")
    return results


def check_missing_parameters(parameters: Mapping, required_parameters: list | None = None) -> list[str]:
    """Each of ``required_parameters`` must have a value."""
    missing = [name for name in required_parameters or () if not parameters.get(name)]
    if missing:
        raise TypeError(f"missing required arguments: {', '.join(missing)}")
    return missing


def safe_eval(value: Any, locals: dict | None = None, include_exceptions: bool = False) -> Any:
    """``value`` as a Python literal when it is one (``'[1, 2]'`` -> ``[1, 2]``), else
    ``value`` unchanged; with ``include_exceptions`` a ``(result, error)`` pair."""
    result: Any = value
    error: Exception | None = None
    if isinstance(value, str) and not ("(" in value or "import" in value):
        try:
            result = ast.literal_eval(value)
        except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
            error = exc
    return (result, error) if include_exceptions else result


def _convert(kind: str, value: Any) -> Any:
    try:
        return check_type(kind, value)
    except ArgumentError as exc:
        raise TypeError(str(exc)) from None


def check_type_str(value: Any, allow_conversion: bool = True, param: str | None = None, prefix: str = "") -> str:
    """``value`` as text; without ``allow_conversion`` only text is accepted."""
    if isinstance(value, str):
        return value
    if allow_conversion and value is not None:
        return _convert("str", value)
    raise TypeError(f"'{value!s}' is not a string and conversion is not allowed")


def check_type_list(value: Any) -> list:
    """A list; a comma-separated string is split, a number becomes a one-item list."""
    return _convert("list", value)


def check_type_dict(value: Any) -> dict:
    """A dict; a JSON object or ``k1=v1, k2=v2`` text is parsed."""
    return _convert("dict", value)


def check_type_bool(value: Any) -> bool:
    """Ansible's booleans (``yes``, ``on``, ``1``...)."""
    return _convert("bool", value)


def check_type_int(value: Any) -> int:
    """An int; integral text and floats are converted."""
    return _convert("int", value)


def check_type_float(value: Any) -> float:
    """A float; numbers and numeric text are converted."""
    return _convert("float", value)


def check_type_path(value: Any) -> str:
    """Text with ``~`` and environment variables expanded."""
    return _convert("path", value)


def check_type_raw(value: Any) -> Any:
    """``value`` as it is."""
    return value


def check_type_bytes(value: Any) -> int:
    """A size in bytes (``'10M'`` -> 10485760)."""
    return _convert("bytes", value)


def check_type_bits(value: Any) -> int:
    """A size in bits (``'1Mb'`` -> 1048576)."""
    return _convert("bits", value)


def check_type_jsonarg(value: Any) -> str:
    """JSON text: text is stripped, lists and dicts are serialized."""
    return _convert("jsonarg", value)
