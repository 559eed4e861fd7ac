"""Checking module parameters against an ``argument_spec``, with Ansible's messages.

An argument spec maps each option name to a dict with any of: ``type`` (``str``,
``int``, ``bool``, ``float``, ``list``, ``dict``, ``path``, ``raw``, ``jsonarg``/
``json``, ``bytes``, ``bits`` or a callable), ``required``, ``default``,
``choices``, ``aliases``, ``elements`` (type of list items), ``options``
(suboptions of a ``dict`` or of each ``dict`` item of a ``list``), ``apply_defaults``,
``no_log``, ``fallback`` (``(function, [args...])``: the value when the option is
not given, unless the function raises ``LookupError``), ``deprecated_aliases``
(``[{name, version or date, collection_name}]``), ``removed_in_version``/
``removed_at_date`` (with ``removed_from_collection``), and the suboptions' own
``mutually_exclusive``, ``required_together``, ``required_one_of``, ``required_if``,
``required_by``.

:func:`validate` returns the converted parameters (an alias that was used keeps its
value beside the option's, as in Ansible), the first error's message (or ``None``),
the values to censor (those of ``no_log`` options), and the warnings and
deprecations the arguments call for.
"""
from __future__ import annotations

import os

from corral.module_utils._jsoncodec import dumps as _json_dumps, loads as _json_loads
from corral.module_utils._lazy import lazy_module

re = lazy_module("re")    # imported when a value needs it: most modules' arguments never do
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable

__all__ = ["ValidationResult", "validate", "check_type", "apply_fallback", "BOOLEANS_TRUE", "BOOLEANS_FALSE", "boolean",
           "human_to_bytes"]

BOOLEANS_TRUE = frozenset(("y", "yes", "on", "1", "true", "t", 1, 1.0, True))
BOOLEANS_FALSE = frozenset(("n", "no", "off", "0", "false", "f", 0, 0.0, False))


class ArgumentError(Exception):
    """A value that cannot be converted to its option's type."""


def boolean(value: Any) -> bool:
    """Interpret ``value`` as a boolean the way Ansible does, or raise ``TypeError``."""
    if isinstance(value, bool):
        return value
    normalized = value.lower().strip() if isinstance(value, str) else value
    try:
        if normalized in BOOLEANS_TRUE:
            return True
        if normalized in BOOLEANS_FALSE:
            return False
    except TypeError:
        pass
    valid = ", ".join(repr(v) if isinstance(v, str) else str(v)
                      for v in sorted(BOOLEANS_TRUE | BOOLEANS_FALSE, key=str) if not isinstance(v, float))
    raise TypeError(f"The value {value!r} is not a valid boolean. Valid booleans include: {valid}")


_SIZE_UNITS = {"K": 1, "M": 2, "G": 3, "T": 4, "P": 5, "E": 6, "Z": 7, "Y": 8}
_HUMAN_SIZE = r"^\s*(\d*\.?\d+)\s*([A-Za-z]*)\s*$"   # a string: ``re`` is imported on first use


def human_to_bytes(value: Any, isbits: bool = False) -> int:
    """Convert ``'10M'``, ``'1.5 KB'``, ``'8Mb'`` (bits) or a number to an int."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    match = re.match(_HUMAN_SIZE, str(value))
    if not match:
        raise ValueError(f"human_to_bytes() can't interpret following string: {value}")
    number, unit = float(match.group(1)), match.group(2)
    if not unit or unit.lower() in ("b", "byte", "bytes", "bit", "bits"):
        return int(number)
    prefix, rest = unit[0].upper(), unit[1:]
    if prefix not in _SIZE_UNITS or rest not in ("", "B", "b", "iB", "ib"):
        raise ValueError(f"human_to_bytes() failed to convert {value}. Value is not a valid string")
    return int(round(number * (1 << (10 * _SIZE_UNITS[prefix]))))


# ---------------------------------------------------------------------------
# type converters: each returns the converted value or raises ArgumentError

def _to_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return str(value)


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (str, bytes)):
        try:
            return int(value)
        except ValueError:
            pass
    raise ArgumentError(f'"{value!r}" cannot be converted to an int')


def _to_float(value: Any) -> float:
    if isinstance(value, float):
        return value
    if isinstance(value, (int, str, bytes)) and not isinstance(value, bool):
        try:
            return float(value)
        except ValueError:
            pass
    raise ArgumentError(f"{type(value)} cannot be converted to a float")


def _to_bool(value: Any) -> bool:
    try:
        return boolean(value)
    except TypeError as exc:
        raise ArgumentError(str(exc)) from None


def _to_list(value: Any) -> list:
    if isinstance(value, list):
        return value
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, str):
        return value.split(",") if value else []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value)]
    raise ArgumentError(f"{type(value)} cannot be converted to a list")


def _split_key_values(text: str) -> dict:
    """Parse ``k1=v1, k2=v2`` (values may be quoted) into a dict."""
    result: dict[str, str] = {}
    for field in re.findall(r"""(?:[^,'"\\]|\\.|'[^']*'|"[^"]*")+""", text):
        if "=" not in field:
            raise ArgumentError("dictionary requested, could not parse JSON or key=value")
        key, val = field.split("=", 1)
        val = val.strip()
        if len(val) >= 2 and val[0] == val[-1] and val[0] in "'\"":
            val = val[1:-1]
        result[key.strip()] = val
    return result


def _python_literal(text: str) -> Any:
    """``text`` evaluated as a Python literal, or ``None`` when it is not one."""
    import ast
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def _to_dict(value: Any) -> dict:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        if value.startswith("{"):
            try:
                loaded = _json_loads(value)
            except ValueError:
                loaded = _python_literal(value)     # {'a': False}: a Python dict's repr
            if isinstance(loaded, dict):
                return loaded
            raise ArgumentError("unable to evaluate string as dictionary")
        elif "=" in value:
            return _split_key_values(value)
    raise ArgumentError(f"{type(value)} cannot be converted to a dict")


def _to_path(value: Any) -> str:
    return os.path.expanduser(os.path.expandvars(_to_str(value)))


def _to_raw(value: Any) -> Any:
    return value


def _to_jsonarg(value: Any) -> str:
    if isinstance(value, (str, bytes)):
        return _to_str(value).strip()
    if isinstance(value, (list, tuple, dict)):
        return _json_dumps(value)
    raise ArgumentError(f"{type(value)} cannot be converted to a json string")


def _to_bytes(value: Any) -> int:
    try:
        return human_to_bytes(value)
    except ValueError:
        raise ArgumentError(f"{type(value)} cannot be converted to a Byte value") from None


def _to_bits(value: Any) -> int:
    try:
        return human_to_bytes(value, isbits=True)
    except ValueError:
        raise ArgumentError(f"{type(value)} cannot be converted to a Bit value") from None


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "str": _to_str, "int": _to_int, "float": _to_float, "bool": _to_bool, "list": _to_list,
    "dict": _to_dict, "path": _to_path, "raw": _to_raw, "jsonarg": _to_jsonarg, "json": _to_jsonarg,
    "bytes": _to_bytes, "bits": _to_bits,
}


def check_type(wanted: Any, value: Any) -> Any:
    """Convert ``value`` to the type ``wanted`` (a name or a callable); raise ``ArgumentError``."""
    if callable(wanted):
        try:
            return wanted(value)
        except Exception as exc:  # noqa: BLE001 - a module's own converter
            raise ArgumentError(str(exc)) from None
    converter = CONVERTERS.get(wanted)
    if converter is None:
        raise ArgumentError(f"implementation error: unknown type {wanted} requested")
    return converter(value)


# ---------------------------------------------------------------------------
# validation

class ValidationResult:
    """What :func:`validate` found: converted ``params``, ``errors``, ``no_log_values``,
    ``warnings`` and the ``aliases`` that were used."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.errors: list[str] = []
        self.no_log_values: set[str] = set()
        self.warnings: list[str] = []
        #: keyword arguments of ``AnsibleModule.deprecate`` (msg, version, date, collection_name)
        self.deprecations: list[dict[str, Any]] = []

    @property
    def error(self) -> str | None:
        """The first error's message (Ansible reports the first one), or ``None``."""
        return self.errors[0] if self.errors else None


def _type_name(spec: dict) -> str:
    wanted = spec.get("type", "str")
    return wanted.__name__ if callable(wanted) else wanted


def _count(params: dict, names: Iterable[str]) -> int:
    return sum(1 for name in names if params.get(name) is not None)


def _where(context: str) -> str:
    return f" found in {context}" if context else ""


#: option names that look like they hold a password (``login_password``, ``passwd_file``...)
_PASSWORD_NAME = r"^(?:.+[-_\s])?pass(?:[-_\s]?(?:word|phrase|wrd|wd))?(?:[-_\s].+)?$"


def _password_like(name: str) -> bool:
    """Whether option ``name`` looks like a password's (Ansible's pattern, case-insensitive);
    names without "pass" in any case (U+017F folds to "s") are answered without ``re``."""
    if "pass" not in name.lower().replace("\u017f", "s"):
        return False
    return re.match(_PASSWORD_NAME, name, re.I) is not None

_DEPRECATED = "is deprecated. See the module docs for more information"


def _deprecation(msg: str, info: dict, version_key: str, date_key: str, collection_key: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"msg": msg, "collection_name": info.get(collection_key)}
    if info.get(date_key) is not None:
        entry["date"] = info[date_key]
    else:
        entry["version"] = info.get(version_key)
    return entry


def apply_fallback(name: str, spec: dict, params: dict) -> bool:
    """Give option ``name`` its ``fallback`` value when it was not given; whether it got one."""
    fallback = spec.get("fallback")
    if not fallback or params.get(name) is not None:
        return False
    strategy, *fallback_args = fallback
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for arg in fallback_args:
        if isinstance(arg, dict):
            keywords = arg
        elif isinstance(arg, (list, tuple)):
            positional.extend(arg)
        else:
            positional.append(arg)
    try:
        params[name] = strategy(*positional, **keywords)
    except LookupError:
        return False
    return True


def _collect_no_log(value: Any, into: set[str]) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        for item in value.values():
            _collect_no_log(item, into)
    elif isinstance(value, (list, tuple, set)):
        for item in value:
            _collect_no_log(item, into)
    elif isinstance(value, bool):
        return
    else:
        text = str(value)
        if text:
            into.add(text)


def validate(argument_spec: dict, parameters: dict, *, module_name: str = "",
             mutually_exclusive: list | None = None, required_together: list | None = None,
             required_one_of: list | None = None, required_if: list | None = None,
             required_by: dict | None = None, context: str = "", path: str = "",
             result: ValidationResult | None = None) -> ValidationResult:
    """Check and convert ``parameters`` against ``argument_spec``.

    Checks run in Ansible's order: aliases, mutual exclusion, required, types and
    choices, required_together/one_of/if/by, suboptions, then unsupported parameters
    (left out of every other check).  ``context`` is the path of the enclosing option (``sub -> inner``)
    and ``path`` its prefix for names (``sub.``, ``items[0].``), for suboption
    messages as Ansible writes them.
    Options not given get their ``default`` (or ``None``).
    """
    res = result or ValidationResult()
    params = dict(parameters)
    errors: list[str] = []

    # aliases
    alias_of: dict[str, str] = {}
    for name, spec in argument_spec.items():
        for alias in spec.get("aliases", ()) or ():
            alias_of[alias] = name
    used_aliases: dict[str, str] = {}
    for alias, name in alias_of.items():
        if alias in params:
            used_aliases[alias] = name
            if name in params:
                res.warnings.append(f"Both option {path}{name} and its alias {path}{alias} are set.")
            params[name] = params.pop(alias)    # the alias wins, as in Ansible
    for name, spec in argument_spec.items():
        if not context and spec.get("no_log") is None and _password_like(name):
            res.warnings.append(f"Module did not set no_log for {name}")
        for info in spec.get("deprecated_aliases", ()) or ():
            if info.get("name") in used_aliases:
                res.deprecations.append(_deprecation(f"Alias '{path}{info['name']}' {_DEPRECATED}", info,
                                                     "version", "date", "collection_name"))
        if params.get(name) is not None and (spec.get("removed_in_version") or spec.get("removed_at_date")):
            parent = context.rpartition(" -> ")[2]
            shown = f'{parent}["{name}"]' if parent else name
            res.deprecations.append(_deprecation(f"Param '{shown}' {_DEPRECATED}", spec, "removed_in_version",
                                                 "removed_at_date", "removed_from_collection"))
        apply_fallback(name, spec, params)

    # unsupported (reported after every other check, as Ansible does)
    unsupported = sorted(key for key in params if key not in argument_spec)
    unsupported_error = ""
    if unsupported:
        names = ", ".join(sorted(argument_spec))
        aliases = ", ".join(sorted(alias_of))
        prefix = context.replace(" -> ", ".") + "." if context else ""
        unsupported_names = [prefix + key for key in unsupported]
        message = (f"Unsupported parameters for ({module_name}) module: {', '.join(unsupported_names)}. "
                   f"Supported parameters include: {names}")
        if aliases:
            message += f" ({aliases})"
        unsupported_error = message + "."
        for key in unsupported:
            params.pop(key)

    # no_log values are censored wherever they appear, even if invalid
    for name, spec in argument_spec.items():
        if spec.get("no_log") and params.get(name) is not None:
            _collect_no_log(params[name], res.no_log_values)

    for group in mutually_exclusive or ():
        if _count(params, group) > 1:
            errors.append(f"parameters are mutually exclusive: {'|'.join(group)}{_where(context)}")

    missing = [name for name, spec in argument_spec.items()
               if spec.get("required") and params.get(name) is None]
    if missing:
        errors.append(f"missing required arguments: {', '.join(sorted(missing))}{_where(context)}")

    for name, spec in argument_spec.items():
        if params.get(name) is None:
            if name not in params or spec.get("default") is not None:
                params[name] = spec.get("default")
            if params[name] is None:
                continue
            is_default = True
        else:
            is_default = False
        value = params[name]
        wanted = spec.get("type", "str")
        try:
            value = check_type(wanted, value)
        except ArgumentError as exc:
            where = f" found in '{context}'." if context else ""
            errors.append(f"argument '{name}' is of type {type(value).__name__}{where} "
                          f"and we were unable to convert to {_type_name(spec)}: {exc}")
            continue
        elements = spec.get("elements")
        if elements and wanted == "list":
            converted = []
            for item in value:
                if elements == "dict" and spec.get("options"):
                    converted.append(item)
                    continue
                try:
                    converted.append(check_type(elements, item))
                except ArgumentError as exc:
                    errors.append(f"Elements value for option '{name}'{_where(context)} is of type "
                                  f"{type(item).__name__} and we were unable to convert to {elements}: {exc}")
                    break
            value = converted
        choices = spec.get("choices")
        if choices is not None and not is_default:
            wanted_name = _type_name(spec)
            if wanted_name == "list":
                bad = [item for item in value if item not in choices]
                if bad:
                    errors.append(f"value of {name} must be one or more of: "
                                  f"{', '.join(map(str, choices))}. Got no match for: {', '.join(map(str, bad))}"
                                  f"{_where(context)}")
            elif value not in choices:
                # YAML booleans given for string choices such as on/off (a str option gets 'True')
                as_bool = {True: True, False: False, "True": True, "False": False}.get(value) \
                    if isinstance(value, (bool, str)) else None
                choice = _bool_choice(as_bool, choices) if as_bool is not None else None
                if choice is None:
                    errors.append(f"value of {name} must be one of: {', '.join(map(str, choices))}, "
                                  f"got: {value}{_where(context)}")
                else:
                    value = choice
        params[name] = value
        if spec.get("no_log"):
            _collect_no_log(value, res.no_log_values)

    for group in required_together or ():
        if 0 < _count(params, group) < len(group):
            errors.append(f"parameters are required together: {', '.join(group)}{_where(context)}")
    for group in required_one_of or ():
        if _count(params, group) == 0:
            errors.append(f"one of the following is required: {', '.join(group)}{_where(context)}")
    for rule in required_if or ():
        key, val, needed = rule[0], rule[1], rule[2]
        any_of = len(rule) > 3 and rule[3]
        if params.get(key) == val:
            absent = [name for name in needed if params.get(name) is None]
            if absent and (not any_of or len(absent) == len(needed)):
                kind = "any" if any_of else "all"
                errors.append(f"{key} is {val} but {kind} of the following are missing: "
                              f"{', '.join(absent)}{_where(context)}")
    for key, needed in (required_by or {}).items():
        if params.get(key) is None:
            continue
        needed = [needed] if isinstance(needed, str) else needed
        absent = [name for name in needed if params.get(name) is None]
        if absent:
            errors.append(f"missing parameter(s) required by '{key}': {', '.join(absent)}{_where(context)}")

    for name, spec in argument_spec.items():
        options = spec.get("options")
        if not options:
            continue
        value = params.get(name)
        if value is None:
            if not spec.get("apply_defaults"):
                continue
            value = {}
        items = value if isinstance(value, list) else [value]
        checked = []
        for index, item in enumerate(items):
            sub_context = f"{context} -> {name}" if context else name
            sub_path = f"{path}{name}[{index}]." if isinstance(value, list) else f"{path}{name}."
            if not isinstance(item, dict):
                errors.append(f"Value '{item}' in the sub parameter field '{name}' must be a "
                              f"{'list' if isinstance(value, list) else 'dict'}, not '{type(item).__name__}'")
                continue
            sub = validate(options, item, module_name=module_name, context=sub_context, path=sub_path,
                           mutually_exclusive=spec.get("mutually_exclusive"),
                           required_together=spec.get("required_together"),
                           required_one_of=spec.get("required_one_of"),
                           required_if=spec.get("required_if"), required_by=spec.get("required_by"),
                           result=ValidationResult())
            errors.extend(sub.errors)
            res.no_log_values |= sub.no_log_values
            res.warnings.extend(sub.warnings)
            res.deprecations.extend(sub.deprecations)
            checked.append(sub.params)
        params[name] = checked if isinstance(value, list) else (checked[0] if checked else value)

    for alias, name in used_aliases.items():
        params[alias] = params.get(name)
    if unsupported_error:
        errors.append(unsupported_error)
    res.errors.extend(errors)
    res.params = params
    return res


def _bool_choice(value: bool, choices: list) -> Any:
    """Map a YAML boolean to the matching string choice (``yes``/``no``, ``true``...)."""
    for choice in choices:
        if isinstance(choice, str):
            try:
                if boolean(choice) is value:
                    return choice
            except TypeError:
                continue
    return None
