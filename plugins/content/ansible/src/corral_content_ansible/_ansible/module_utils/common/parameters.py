"""``ansible.module_utils.common.parameters``: censoring and fallbacks of module parameters."""
from __future__ import annotations

import re
from collections.abc import Mapping
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from corral.module_utils.arg_spec import CONVERTERS, apply_fallback
from corral.module_utils.basic import env_fallback, remove_values

__all__ = ["env_fallback", "remove_values", "sanitize_keys", "set_fallbacks", "list_no_log_values",
           "DEFAULT_TYPE_VALIDATORS", "PASS_VARS", "PASS_BOOLS", "PASSWORD_MATCH"]

#: the converter of each option ``type`` name
DEFAULT_TYPE_VALIDATORS = dict(CONVERTERS)

#: option names that look like they hold a password
PASSWORD_MATCH = re.compile(r"^(?:.+[-_\s])?pass(?:[-_\s]?(?:word|phrase|wrd|wd))?(?:[-_\s].+)?$", re.I)

#: the engine's internal arguments (``_ansible_<key>``) and the AnsibleModule attribute each sets
PASS_VARS = {
    "check_mode": ("check_mode", False), "debug": ("_debug", False), "diff": ("_diff", False),
    "keep_remote_files": ("_keep_remote_files", False), "module_name": ("_name", None),
    "no_log": ("no_log", False), "remote_tmp": ("_remote_tmp", None), "tmpdir": ("_tmpdir", None),
    "verbosity": ("_verbosity", 0), "version": ("ansible_version", "0.0"),
}
PASS_BOOLS = ("check_mode", "debug", "diff", "keep_remote_files", "no_log")

_CENSORED = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def _censor_text(text: str, no_log_strings: set[str]) -> str:
    if text in no_log_strings:
        return _CENSORED
    for secret in no_log_strings:
        text = text.replace(secret, "*" * 8)
    return text


def sanitize_keys(obj: Any, no_log_strings: Any, ignore_keys: Any = frozenset()) -> Any:
    """``obj`` with the no_log values hidden in its dict KEYS (recursively); the
    values are left alone (see ``remove_values``), and so are ``ignore_keys``
    and keys starting with ``_ansible``."""
    secrets = {str(s) for s in no_log_strings if s is not None}
    if isinstance(obj, Mapping):
        return {(key if key in ignore_keys or str(key).startswith("_ansible") or not isinstance(key, str)
                 else _censor_text(key, secrets)): sanitize_keys(value, secrets, ignore_keys)
                for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(sanitize_keys(item, secrets, ignore_keys) for item in obj)
    if isinstance(obj, set):
        return {sanitize_keys(item, secrets, ignore_keys) for item in obj}
    return obj


def set_fallbacks(argument_spec: dict, parameters: dict) -> set[str]:
    """Fill the options not in ``parameters`` from their ``fallback``; returns the
    no_log values that came in that way."""
    no_log_values: set[str] = set()
    for name, spec in argument_spec.items():
        if name not in parameters and apply_fallback(name, spec, parameters) and spec.get("no_log"):
            no_log_values.add(str(parameters[name]))
    return no_log_values


def list_no_log_values(argument_spec: dict, params: dict) -> set[str]:
    """The values of ``params`` whose options are ``no_log`` (suboptions too)."""
    found: set[str] = set()
    for name, spec in argument_spec.items():
        value = params.get(name)
        if value is None:
            continue
        if spec.get("no_log"):
            if isinstance(value, Mapping):
                found.update(str(v) for v in value.values() if v is not None)
            elif isinstance(value, (list, tuple, set)):
                found.update(str(v) for v in value if v is not None)
            elif not isinstance(value, bool) and str(value):
                found.add(str(value))
        options = spec.get("options")
        if options:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, Mapping):
                    found |= list_no_log_values(options, dict(item))
    return found
