"""The one place a run's objects are built from its :class:`corral.settings.RunSettings`.

:func:`assemble` gives the loader (base directory, duplicate key policy, vault
secrets), the run's own plugin manager, the inventory (with ``limit``, then
``host_slice``, applied) and the variable manager (extra variables, roles path).  The command line, the typed
API and the old ``Runner`` all call it; Ansible's seed API builds these objects
itself and hands them to the ``TaskQueueManager``.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from corral.config import Config
from corral.errors import CorralOptionsError
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral.plugins.manager import PluginManager
from corral.settings import ExtraVars, RunSettings
from corral.vars.manager import VariableManager

__all__ = ["RunObjects", "assemble", "parse_extra_vars"]

#: builds the inventory from the run's loader and plugins (the old API's own semantics)
InventoryFactory = Callable[[DataLoader, PluginManager], InventoryManager]


@dataclasses.dataclass
class RunObjects:
    """What a run is made of, before its ``TaskQueueManager``."""

    settings: RunSettings
    config: Config
    loader: DataLoader
    plugins: PluginManager
    inventory: InventoryManager
    variable_manager: VariableManager


def assemble(settings: RunSettings, config: Config, *, plugins: PluginManager | None = None,
             inventory: InventoryFactory | None = None) -> RunObjects:
    """Build the objects of a run configured by ``settings``.  ``plugins`` is the
    run's plugin manager (default: a new one).  ``inventory``, when given, builds the
    inventory instead of ``settings.inventory`` (the old ``Runner``'s ``host_list``
    semantics)."""
    from corral.parsing.vault import VaultSecret, secrets_from_options
    loader = DataLoader()
    loader.set_duplicate_key_policy(str(config.get("duplicate_dict_key")).lower())
    if settings.basedir:
        loader.set_basedir(settings.basedir)
    secrets = secrets_from_options(vault_ids=settings.vault_ids,
                                   vault_password_files=settings.vault_password_files,
                                   ask_vault_pass=settings.ask_vault_pass)
    secrets += [(label, VaultSecret(password)) for label, password in settings.vault_passwords]
    if secrets:
        loader.set_vault_secrets(secrets)
    plugins = plugins or PluginManager()
    plugins.content.configure(config)
    if settings.basedir:
        plugins.content.add_playbook_dir(settings.basedir)
    if inventory is not None:
        hosts = inventory(loader, plugins)
    else:
        hosts = InventoryManager(loader=loader, sources=list(settings.inventory), plugins=plugins,
                                 enable_plugins=config.get("inventory_enable_plugins"),
                                 unparsed_failed=bool(config.get("inventory_unparsed_failed")),
                                 any_unparsed_failed=bool(config.get("inventory_any_unparsed_failed")),
                                 config=config)
    variable_manager = VariableManager(loader=loader, inventory=hosts)
    variable_manager.extra_vars = parse_extra_vars(settings.extra_vars, loader)
    variable_manager.roles_path = config.get("roles_path")
    variable_manager.hash_behaviour = str(config.get("hash_behaviour"))
    if settings.limit:
        hosts.subset(settings.limit)
    if settings.host_slice is not None:
        hosts.slice(settings.host_slice)
    return RunObjects(settings, config, loader, plugins, hosts, variable_manager)


def parse_extra_vars(values: tuple[ExtraVars, ...], loader: DataLoader) -> dict[str, Any]:
    """Extra variables merged in order: mappings as they are; texts as ``-e`` reads
    them (``@file`` YAML/JSON, inline YAML/JSON, or ``key=value`` pairs)."""
    from corral.parsing.splitter import parse_kv
    result: dict[str, Any] = {}
    for value in values:
        if not isinstance(value, str):
            result.update(value)
            continue
        value = value.strip()
        if not value:
            continue
        if value.startswith("@"):
            data = loader.load_from_file(value[1:])
        elif value[0] in "[{":
            data = loader.load(value, file_name="<extra vars>")
        else:
            data = parse_kv(value)
            if "_raw_params" in data:
                raise CorralOptionsError(f"Invalid extra vars data supplied. '{value}' could not be made "
                                         f"into a dictionary")
        if not isinstance(data, dict):
            raise CorralOptionsError(f"Invalid extra vars data supplied. '{value}' could not be made into a "
                                     f"dictionary")
        result.update(data)
    return result
