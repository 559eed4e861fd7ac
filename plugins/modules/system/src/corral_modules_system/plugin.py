"""Hook implementations: the modules and actions of this distribution, and the documentation
fragment dnf and dnf5 share."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from corral.plugins import hookimpl
from corral.plugins.module import ModuleSpec, doc_fragments_in, modules_in
from corral_modules_system.actions import PackageAction, ServiceAction
from corral_modules_system.gather_facts_action import GatherFactsAction
from corral_modules_system.reboot_action import RebootAction
from corral_modules_system.wait_for_connection_action import WaitForConnectionAction

_DIR = Path(__file__).resolve().parent / "modules"
_DISTRIBUTION = "corral-modules-system"


#: where modules find the code they share, carried in their payloads: dnf and dnf5's
#: (``corral_dnf.cli``), user and group's (``corral_accounts.local``)
_SHARED_ROOTS = {"dnf": (("corral_dnf", str(_DIR / "_dnf")),), "dnf5": (("corral_dnf", str(_DIR / "_dnf")),),
                 "user": (("corral_accounts", str(_DIR / "_accounts")),),
                 "group": (("corral_accounts", str(_DIR / "_accounts")),)}
#: names that run another module's file, as ansible-core routes them (alias -> module)
_ALIASES = {"systemd": "systemd_service", "yum": "dnf"}


@hookimpl
def corral_modules() -> list[ModuleSpec]:
    """Every ``modules/*.py`` file is a module of that name (and each alias of ``_ALIASES`` one
    more name for its file); ``setup`` gathers facts; dnf and dnf5, user and group carry their shared code."""
    specs = [dataclasses.replace(spec, gathers_facts=True) if spec.name == "setup"
             else dataclasses.replace(spec, python_roots=_SHARED_ROOTS[spec.name]) if spec.name in _SHARED_ROOTS
             else spec for spec in modules_in(_DIR, _DISTRIBUTION)]
    by_name = {spec.name: spec for spec in specs}
    return specs + [dataclasses.replace(by_name[target], name=alias) for alias, target in _ALIASES.items()]


@hookimpl
def corral_module_doc_fragments() -> dict[str, str]:
    """``dnf``: the options of dnf and dnf5 (both run ``corral_dnf.cli``)."""
    return doc_fragments_in(_DIR.parent / "doc_fragments")


@hookimpl
def corral_actions() -> dict[str, Any]:
    """service and package choose the module that fits the target; wait_for_connection retries the
    connection itself; gather_facts runs setup; reboot reboots and waits for the host."""
    return {"service": ServiceAction, "package": PackageAction, "wait_for_connection": WaitForConnectionAction,
            "gather_facts": GatherFactsAction, "reboot": RebootAction}
