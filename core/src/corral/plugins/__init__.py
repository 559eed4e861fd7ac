"""The public API for plugin authors: exactly the names in ``__all__``.

A plugin imports what it needs from here (``from corral.plugins import hookimpl,
ConnectionBase``) or from the module that defines it, which is named below and is
just as stable for these names.  The base classes and contracts of every kind live
in the modules of this package (``callback``, ``connection``, ``become``, ``vars``,
``action``, ``lookup``, ``inventory``, ``module``, ``strategy``, ``executor``,
``cache``); ``options`` is how every kind declares its settings, ``traits`` how
actions and modules describe themselves.  Everything else in the kernel
(``corral.executor``, ``corral.inventory``, ``corral.playbook``, ``corral.vars``,
``corral.template``, ``corral.parsing``, ``corral.utils``, the rest of
``corral.plugins.*``) is private: it may change in any release.  Besides this
package, public are ``corral.errors`` (the exceptions plugins raise and catch),
``corral.module_utils`` (the library modules use on the target), ``corral.api`` and
``corral.settings`` (the typed API), and the import paths of Ansible's API that
``docs/api.md`` lists.

The names are imported on first use (``from corral.plugins import hookimpl`` stays
cheap, and kernel modules may import their own ``corral.plugins.*`` modules without
import cycles); type checkers see them through the ``TYPE_CHECKING`` imports, which
``tests/kernel/test_public_api.py`` keeps equal to ``_SOURCES``.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from corral.hookspecs import hookimpl

if TYPE_CHECKING:
    from corral.config import SETTINGS as SETTINGS, Config as Config, boolean as boolean
    from corral.display import Display as Display, colorize as colorize, hostcolor as hostcolor
    from corral.executor.connections import ConnectionCache as ConnectionCache
    from corral.inventory.addresses import expand_hostpattern as expand_hostpattern, parse_address as parse_address
    from corral.inventory.data import InventoryChanges as InventoryChanges
    from corral.inventory.helpers import get_group_vars as get_group_vars
    from corral.inventory.host import Host as Host
    from corral.parsing.splitter import (COMMAND_KEYS as COMMAND_KEYS, RAW_PARAM_KEYS as RAW_PARAM_KEYS,
                                         parse_kv as parse_kv)
    from corral.parsing.vault import (VaultLib as VaultLib, VaultSecret as VaultSecret, is_encrypted as is_encrypted,
                                      is_vault_value as is_vault_value)
    from corral.parsing.yaml_loader import load_yaml as load_yaml, load_yaml_all as load_yaml_all
    from corral.plugins.action import (ActionBase as ActionBase, HostConnection as HostConnection,
                                       PlayContext as PlayContext)
    from corral.plugins.become import (BecomeBase as BecomeBase, BecomeCommand as BecomeCommand,
                                       BecomeHandshake as BecomeHandshake, become_options as become_options,
                                       build_become_command as build_become_command,
                                       run_become_handshake as run_become_handshake, scrub as scrub)
    from corral.plugins.cache import CacheBase as CacheBase
    from corral.plugins.callback import (DEFAULT_CALLBACK_OPTIONS as DEFAULT_CALLBACK_OPTIONS,
                                         MODULE_NO_JSON as MODULE_NO_JSON,
                                         RESULT_FORMAT_OPTIONS as RESULT_FORMAT_OPTIONS, CallbackBase as CallbackBase,
                                         CallbackOption as CallbackOption, plain_data as plain_data,
                                         strip_internal_keys as strip_internal_keys, open_host_file as open_host_file)
    from corral.plugins.connection import (Become as Become, ConnectionBase as ConnectionBase,
                                           ConnectionOptions as ConnectionOptions)
    from corral.plugins.content import (CONTENT_KINDS as CONTENT_KINDS, ContentContext as ContentContext,
                                        ContentPath as ContentPath)
    from corral.plugins.executor import (ExecRequest as ExecRequest, Executor as Executor,
                                         ExecutorSettings as ExecutorSettings, FetchRequest as FetchRequest,
                                         LaneExecutor as LaneExecutor, ModuleRequest as ModuleRequest,
                                         PutRequest as PutRequest, Request as Request, ResetRequest as ResetRequest,
                                         Traced as Traced, untraced as untraced, Reply as Reply,
                                         reply_of as reply_of, reply_value as reply_value)
    from corral.plugins.inventory import InventoryCheck as InventoryCheck, InventoryPlugin as InventoryPlugin
    from corral.plugins.lookup import LookupBase as LookupBase
    from corral.plugins.manager import PluginManager as PluginManager
    from corral.plugins.module import ModuleSpec as ModuleSpec, modules_in as modules_in
    from corral.plugins.options import (Option as Option, ResolvedOptions as ResolvedOptions,
                                        convert_value as convert_value, declared_options as declared_options,
                                        options_from_documentation as options_from_documentation,
                                        resolve_options as resolve_options)
    from corral.plugins.portable import PortablePlugins as PortablePlugins
    from corral.plugins.strategy import (HostRun as HostRun, Step as Step, Strategy as Strategy,
                                         StrategyContext as StrategyContext)
    from corral.plugins.traits import (FACTS_HOST as FACTS_HOST, FACTS_INCLUDED_VARIABLES as FACTS_INCLUDED_VARIABLES,
                                       FACTS_VARIABLES as FACTS_VARIABLES, ActionTraits as ActionTraits)
    from corral.plugins.vars import STAGES as STAGES, VarsBase as VarsBase
    from corral.results import TaskResult as TaskResult
    from corral.stats import AggregateStats as AggregateStats
    from corral.template import is_whole_template as is_whole_template
    from corral.template.plugin_helpers import strict as strict, volatile as volatile
    from corral.utils import private_tmp as private_tmp
    from corral.utils.unsafe import wrap_unsafe as wrap_unsafe

#: public name -> the module that defines it
_SOURCES: dict[str, str] = {
    # hooks, loading, settings and options
    "PluginManager": "corral.plugins.manager", "Option": "corral.plugins.options",
    "ResolvedOptions": "corral.plugins.options", "convert_value": "corral.plugins.options",
    "declared_options": "corral.plugins.options", "options_from_documentation": "corral.plugins.options",
    "resolve_options": "corral.plugins.options", "Config": "corral.config", "SETTINGS": "corral.config",
    "boolean": "corral.config",
    # connections and privilege escalation
    "ConnectionBase": "corral.plugins.connection", "ConnectionOptions": "corral.plugins.connection",
    "Become": "corral.plugins.connection", "BecomeCommand": "corral.plugins.become",
    "BecomeHandshake": "corral.plugins.become", "build_become_command": "corral.plugins.become",
    "run_become_handshake": "corral.plugins.become", "scrub": "corral.plugins.become",
    "BecomeBase": "corral.plugins.become", "become_options": "corral.plugins.become",
    # executors and strategies
    "Executor": "corral.plugins.executor", "ExecutorSettings": "corral.plugins.executor",
    "Request": "corral.plugins.executor", "ExecRequest": "corral.plugins.executor",
    "ModuleRequest": "corral.plugins.executor", "PutRequest": "corral.plugins.executor",
    "FetchRequest": "corral.plugins.executor", "ResetRequest": "corral.plugins.executor",
    "Traced": "corral.plugins.executor", "untraced": "corral.plugins.executor",
    "Reply": "corral.plugins.executor", "reply_of": "corral.plugins.executor",
    "reply_value": "corral.plugins.executor",
    "LaneExecutor": "corral.plugins.executor", "PortablePlugins": "corral.plugins.portable",
    "ConnectionCache": "corral.executor.connections", "Strategy": "corral.plugins.strategy",
    "StrategyContext": "corral.plugins.strategy", "HostRun": "corral.plugins.strategy",
    "Step": "corral.plugins.strategy",
    # callbacks, results and statistics
    "CallbackBase": "corral.plugins.callback", "CallbackOption": "corral.plugins.callback",
    "DEFAULT_CALLBACK_OPTIONS": "corral.plugins.callback", "RESULT_FORMAT_OPTIONS": "corral.plugins.callback",
    "MODULE_NO_JSON": "corral.plugins.callback", "plain_data": "corral.plugins.callback",
    "strip_internal_keys": "corral.plugins.callback", "open_host_file": "corral.plugins.callback", "colorize": "corral.display", "hostcolor": "corral.display",
    "Display": "corral.display",
    "TaskResult": "corral.results", "AggregateStats": "corral.stats",
    # inventory
    "InventoryPlugin": "corral.plugins.inventory", "InventoryCheck": "corral.plugins.inventory",
    "InventoryChanges": "corral.inventory.data",
    "expand_hostpattern": "corral.inventory.addresses", "parse_address": "corral.inventory.addresses",
    "get_group_vars": "corral.inventory.helpers", "Host": "corral.inventory.host",
    # content found per run (plugin folders, collections)
    "CONTENT_KINDS": "corral.plugins.content", "ContentContext": "corral.plugins.content",
    "ContentPath": "corral.plugins.content",
    # vars plugins
    "VarsBase": "corral.plugins.vars", "STAGES": "corral.plugins.vars",
    # modules, actions, fact caches
    "ModuleSpec": "corral.plugins.module", "modules_in": "corral.plugins.module", "ActionBase": "corral.plugins.action",
    "HostConnection": "corral.plugins.action", "PlayContext": "corral.plugins.action", "private_tmp": "corral.utils",
    "CacheBase": "corral.plugins.cache", "ActionTraits": "corral.plugins.traits",
    "FACTS_HOST": "corral.plugins.traits", "FACTS_VARIABLES": "corral.plugins.traits",
    "FACTS_INCLUDED_VARIABLES": "corral.plugins.traits", "COMMAND_KEYS": "corral.parsing.splitter",
    "RAW_PARAM_KEYS": "corral.parsing.splitter",
    # templating: filters, tests, lookups
    "LookupBase": "corral.plugins.lookup", "strict": "corral.template.plugin_helpers",
    "volatile": "corral.template.plugin_helpers", "is_whole_template": "corral.template",
    "wrap_unsafe": "corral.utils.unsafe", "load_yaml": "corral.parsing.yaml_loader",
    "load_yaml_all": "corral.parsing.yaml_loader", "is_encrypted": "corral.parsing.vault",
    "is_vault_value": "corral.parsing.vault", "VaultLib": "corral.parsing.vault", "VaultSecret": "corral.parsing.vault",
    "parse_kv": "corral.parsing.splitter",
}

__all__ = ["hookimpl", *_SOURCES]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'corral.plugins' has no attribute {name!r}")
    module = importlib.import_module(source)
    value = getattr(module, name) if hasattr(module, name) else importlib.import_module(f"{source}.{name}")
    globals()[name] = value
    return value
