"""Facts a managed host may not set.

A module's ``ansible_facts`` become host variables; those named like connection,
become or interpreter settings would let a host choose how the controller reaches
it (an ``ansible_python_interpreter`` run by the local connection, an ssh
``ProxyCommand``), so they are dropped, with Ansible's warning.  So are the
variables of installed connection and become plugins (``ansible_<name>_*``, as
Ansible does for connection plugins): a third-party plugin's settings are as
protected as the standard ones.  As in Ansible, the host's SSH keys
(``ansible_ssh_host_key_*_public``, which fact gathering reports) are kept without a
warning, and so are network devices named ``<plugin>_bridge``/``<plugin>_gwbridge``.  ``set_fact`` and
``include_vars`` are the playbook's own and may set them.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["is_restricted_fact", "remove_restricted_facts"]

_RESTRICTED = re.compile(
    r"^(?:ansible_(?:connection|host|port|user|password|pass|pipelining|timeout|shell_type|shell_executable"
    r"|module_compression|private_key_file|remote_tmp|remote_user|become|sudo|su|playbook_python|facts)"
    r"|ansible_(?:become|sudo|su|host_key)_\w+"
    r"|ansible_\w+_interpreter)$")
#: connection plugins' own variables (``ansible_<plugin>_*``) ...
_CONNECTION_PREFIXED = re.compile(r"^ansible_(?:ssh|paramiko|sftp|scp|local|winrm|psrp|docker)_\w+$")
#: ... except network devices so named by containers and VMs (``ansible_docker_gwbridge``), as in Ansible
_DEVICE_SUFFIXES = ("_bridge", "_gwbridge")
#: the host's SSH keys, which fact gathering reports: kept, without a warning, as Ansible keeps them
_KEPT_PREFIX = "ansible_ssh_host_key_"


def is_restricted_fact(name: Any, plugin_names: Iterable[str] = ()) -> bool:
    """Whether a module may not set the fact ``name``; ``plugin_names`` are the
    installed connection and become plugins, whose ``ansible_<name>_*`` are restricted."""
    if not isinstance(name, str) or name.startswith(_KEPT_PREFIX):
        return False
    if _RESTRICTED.match(name) is not None:
        return True
    if name.endswith(_DEVICE_SUFFIXES):
        return False
    return _CONNECTION_PREFIXED.match(name) is not None or any(name.startswith(f"ansible_{plugin}_")
                                                                 for plugin in plugin_names)


def remove_restricted_facts(facts: Mapping[str, Any], warn: Callable[[str], None],
                            plugin_names: Iterable[str] = ()) -> dict[str, Any]:
    """``facts`` without the restricted names (see :func:`is_restricted_fact`), each
    dropped one reported to ``warn``."""
    plugin_names = tuple(plugin_names)
    kept: dict[str, Any] = {}
    for name, value in facts.items():
        if is_restricted_fact(name, plugin_names):
            warn(f"Removed restricted key from module data: {name}")
        else:
            kept[name] = value
    return kept
