"""The module reject list of ``plugin_filters_cfg``, as Ansible reads it.

The file is YAML: ``filter_version: '1.0'`` and ``module_rejectlist`` (formerly
``module_blacklist``), a list of module names.  A rejected module resolves nowhere
(a task naming it fails as an unknown module would); rejecting ``stat`` is an error of
its own, since the engine needs it.
"""
from __future__ import annotations

import os
from typing import Any

import yaml

from corral.errors import CorralPluginError

from corral_content_ansible.settings import content_settings

__all__ = ["rejected_modules"]


def _path(config: Any, value: str) -> str:
    path = os.path.expanduser(value)
    if os.path.isabs(path):
        return path
    base = os.path.dirname(config.config_file) if config is not None and config.config_file else os.getcwd()
    return os.path.abspath(os.path.join(base, path))


def rejected_modules(config: Any) -> frozenset[str]:
    """The module names the run's ``plugin_filters_cfg`` rejects (none without one);
    raises :class:`CorralPluginError` for a file Ansible refuses or a rejected ``stat``."""
    value = content_settings(config)["plugin_filters_cfg"]
    if not value:
        return frozenset()
    path = _path(config, str(value))
    if not os.path.isfile(path):
        return frozenset()
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict) or str(data.get("filter_version")) != "1.0":
        raise CorralPluginError(f"The plugin filter file, {path} was a version not recognized by this version of "
                                f"Ansible. Skipping.")
    names = data.get("module_rejectlist", data.get("module_blacklist")) or []
    rejected = frozenset(str(name) for name in names)
    if "stat" in rejected:
        raise CorralPluginError(f"The stat module was specified in the module reject list file, {path}, but Ansible "
                                f"will not function without the stat module.  Please remove stat from the reject list.")
    return rejected
