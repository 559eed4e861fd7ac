"""Facts a managed host may not set.

A module's ``ansible_facts`` become host variables; those named like connection,
become or interpreter settings would let a host choose how the controller reaches
it (an ``ansible_python_interpreter`` run by the local connection, an ssh
``ProxyCommand``), so they are dropped, with Ansible's warning.  ``set_fact`` and
``include_vars`` are the playbook's own and may set them.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["is_restricted_fact", "remove_restricted_facts"]

_RESTRICTED = re.compile(
    r"^(?:ansible_(?:connection|host|port|user|password|pass|pipelining|timeout|shell_type|shell_executable"
    r"|module_compression|private_key_file|remote_tmp|remote_user|become|sudo|su)"
    r"|ansible_(?:ssh|paramiko|sftp|scp|become|sudo|su|local|winrm|psrp|docker|host_key)_\w+"
    r"|ansible_\w+_interpreter|discovered_interpreter_\w+)$")


def is_restricted_fact(name: Any) -> bool:
    """Whether a module may not set the fact ``name``."""
    return isinstance(name, str) and _RESTRICTED.match(name) is not None


def remove_restricted_facts(facts: Mapping[str, Any], warn: Callable[[str], None]) -> dict[str, Any]:
    """``facts`` without the restricted names, each dropped one reported to ``warn``."""
    kept: dict[str, Any] = {}
    for name, value in facts.items():
        if is_restricted_fact(name):
            warn(f"Removed restricted key from module data: {name}")
        else:
            kept[name] = value
    return kept
