"""The options of the Ansible-content layer, declared as Ansible documents them.

Each is read from the run's configuration (``[defaults]`` of corral.cfg, then
ansible.cfg) and the environment (``CORRAL_X`` beside ``ANSIBLE_X``), with Ansible's
precedence (:func:`corral.plugins.options.resolve_options`); ``corral-config`` and
``corral-doc`` show them like any plugin's.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from corral.plugins.options import Option, ResolvedOptions, resolve_options

__all__ = ["OPTIONS", "PLUGIN_FOLDERS", "content_settings"]

#: plugin kind -> (folder beside playbooks and roles, config key, environment variable)
PLUGIN_FOLDERS: dict[str, tuple[str, str, str]] = {
    "module": ("library", "library", "ANSIBLE_LIBRARY"),
    "module_utils": ("module_utils", "module_utils", "ANSIBLE_MODULE_UTILS"),
    "action": ("action_plugins", "action_plugins", "ANSIBLE_ACTION_PLUGINS"),
    "filter": ("filter_plugins", "filter_plugins", "ANSIBLE_FILTER_PLUGINS"),
    "test": ("test_plugins", "test_plugins", "ANSIBLE_TEST_PLUGINS"),
    "lookup": ("lookup_plugins", "lookup_plugins", "ANSIBLE_LOOKUP_PLUGINS"),
    "callback": ("callback_plugins", "callback_plugins", "ANSIBLE_CALLBACK_PLUGINS"),
    "connection": ("connection_plugins", "connection_plugins", "ANSIBLE_CONNECTION_PLUGINS"),
    "inventory": ("inventory_plugins", "inventory_plugins", "ANSIBLE_INVENTORY_PLUGINS"),
    "vars": ("vars_plugins", "vars_plugins", "ANSIBLE_VARS_PLUGINS"),
    "become": ("become_plugins", "become_plugins", "ANSIBLE_BECOME_PLUGINS"),
    "cache": ("cache_plugins", "cache_plugins", "ANSIBLE_CACHE_PLUGINS"),
    "strategy": ("strategy_plugins", "strategy_plugins", "ANSIBLE_STRATEGY_PLUGINS"),
    "doc_fragments": ("doc_fragments", "doc_fragment_plugins", "ANSIBLE_DOC_FRAGMENT_PLUGINS"),
}

_HOME = os.path.expanduser("~/.ansible")

OPTIONS: dict[str, Option] = {
    "collections_path": Option(
        "collections_path", type="pathspec",
        default=f"{_HOME}/collections:/usr/share/ansible/collections",
        description="Colon-separated directories where collections are installed (each holds an "
                    "ansible_collections/ folder); the first is where corral-galaxy installs.",
        env=("ANSIBLE_COLLECTIONS_PATHS", "ANSIBLE_COLLECTIONS_PATH"),
        ini=(("defaults", "collections_paths"), ("defaults", "collections_path"))),
    "collections_scan_sys_path": Option(
        "collections_scan_sys_path", type="bool", default=True,
        description="Also find collections in ansible_collections packages on Python's sys.path "
                    "(where pip install ansible puts them).",
        env=("ANSIBLE_COLLECTIONS_SCAN_SYS_PATH",), ini=(("defaults", "collections_scan_sys_path"),)),
    "collections_on_ansible_version_mismatch": Option(
        "collections_on_ansible_version_mismatch", type="str", default="warning",
        choices=("error", "warning", "ignore"),
        description="What to do when a collection's meta/runtime.yml requires another Ansible version.",
        env=("ANSIBLE_COLLECTIONS_ON_ANSIBLE_VERSION_MISMATCH",),
        ini=(("defaults", "collections_on_ansible_version_mismatch"),)),
    "plugin_filters_cfg": Option(
        "plugin_filters_cfg", type="str", default=None,
        description="A YAML file (filter_version: '1.0') whose module_rejectlist names modules that may not "
                    "be used; relative to the configuration file.",
        env=("ANSIBLE_PLUGIN_FILTERS_CFG",), ini=(("defaults", "plugin_filters_cfg"),)),
    # the defaults are Ansible's: ~/.ansible/plugins/<kind> (modules for modules)
    **{key: Option(key, type="pathspec", default=":".join(f"{root}/plugins/{'modules' if kind == 'module' else kind}"
                                                          for root in (_HOME, "/usr/share/ansible")),
                   description=f"Colon-separated directories searched for {kind} plugins beside the ones "
                               f"next to playbooks and roles ({folder}/).",
                   env=(env,), ini=(("defaults", key),))
       for kind, (folder, key, env) in PLUGIN_FOLDERS.items()},
}


def content_settings(config: Any, env: Mapping[str, str] | None = None) -> ResolvedOptions:
    """The options' values for a run configured by ``config`` (a
    :class:`corral.config.Config`, or ``None``: the environment and the defaults)."""
    environment = env if env is not None else (config.env if config is not None else os.environ)
    return resolve_options(OPTIONS, plugin="content plugin 'ansible'", env=environment, ini=config)
