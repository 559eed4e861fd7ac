"""``ansible.config.manager``: typed configuration values, backed by corral's
:class:`corral.config.Config` and option types (:func:`corral.plugins.options.convert_value`).

Provided: ``ensure_type`` (a value converted to a configuration type, as action
plugins use it on their arguments), ``resolve_path`` and a ``ConfigManager`` whose
``get_config_value(name)`` reads the run's setting that ``ansible.constants``
names (``DEFAULT_TIMEOUT`` ...).  Not provided: Ansible's configuration
definitions themselves.
"""
from __future__ import annotations

import os
from typing import Any

from corral.plugins.options import convert_value

from ansible.errors import AnsibleOptionsError

__all__ = ["ConfigManager", "ensure_type", "resolve_path"]

#: Ansible's type names corral's converters know under another name
_TYPES = {"none": None, "raw": None, "tmp": "path", "temppath": "path", "tmppath": "path"}


def resolve_path(path: str, basedir: str | None = None) -> str:
    """``path`` made absolute: ``{{CWD}}`` is the working directory, ``~`` and
    environment variables are expanded, a relative path is taken from ``basedir``
    (the working directory when ``None``)."""
    if "{{CWD}}" in path:
        path = path.replace("{{CWD}}", os.getcwd())
    path = os.path.expanduser(os.path.expandvars(path))
    return os.path.normpath(os.path.join(basedir or os.getcwd(), path))


def ensure_type(value: Any, value_type: str | None, origin: str | None = None,
                origin_ftype: str | None = None) -> Any:
    """``value`` converted to the configuration type ``value_type`` (``string``,
    ``bool``, ``int``, ``float``, ``list``, ``path``, ``pathlist``, ``dict``; ``raw``
    and ``None`` keep it); a relative ``path`` from an INI file is taken from the
    file's directory (``origin``).  :class:`AnsibleOptionsError` when it does not
    convert."""
    type_name = (value_type or "raw").lower()
    type_name = _TYPES.get(type_name, type_name) or "raw"
    if type_name == "str" or type_name == "string":
        return value if value is None or isinstance(value, str) else str(value)
    if type_name == "path" and isinstance(value, str) and origin and origin_ftype == "ini":
        return resolve_path(value, os.path.dirname(origin))
    try:
        return convert_value(value, type_name)
    except (TypeError, ValueError) as exc:
        raise AnsibleOptionsError(f"Invalid type for configuration option {origin or value!r}: {exc}") from exc


class ConfigManager:
    """The run's configuration as Ansible's ``ConfigManager`` answers it."""

    def get_config_value(self, config: str, cfile: str | None = None, plugin_type: str | None = None,
                         plugin_name: str | None = None, keys: Any = None, variables: Any = None,
                         direct: Any = None) -> Any:
        """The value of the setting ``config`` (an ``ansible.constants`` name);
        :class:`AnsibleOptionsError` for a name corral does not hold."""
        import ansible.constants as C
        try:
            return getattr(C, config)
        except AttributeError as exc:
            raise AnsibleOptionsError(f"No setting was provided for required configuration {config}") from exc
