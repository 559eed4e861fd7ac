"""What an action or a module says about itself, so that the kernel treats a
third-party action exactly as it treats a standard one.

The kernel keeps no list of plugin action names: everything it does differently for
``debug``, ``set_fact``, ``command`` or ``add_host`` it reads from :class:`ActionTraits`,
which :func:`traits_of` builds from the action class's attributes (``FREE_FORM_KEYS``,
``NEEDS_CONNECTION``, ... on :class:`corral.plugins.action.ActionBase`) or, for a
module without an action, from the fields of its :class:`corral.plugins.module.ModuleSpec`.
``PluginManager.action_traits(name)`` answers for a run.

:data:`LANGUAGE_TRAITS` is the one exception, and it holds no plugin: ``include_tasks``,
``import_tasks``, ``include_role``, ``import_role``, ``import_playbook``, ``include`` and
``meta`` are words of the playbook language, not actions.  The loader expands the
imports, the play iterator expands the includes and runs ``meta`` itself; no plugin can
provide or replace them, as in Ansible, so their traits are the kernel's.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from corral.parsing.splitter import RAW_PARAM_KEYS

__all__ = ["ActionTraits", "traits_of", "LANGUAGE_TRAITS", "FACTS_HOST", "FACTS_VARIABLES",
           "FACTS_INCLUDED_VARIABLES", "FACTS_SCOPES"]

#: the result's ``ansible_facts`` are host facts (``ansible_facts.*``, the fact cache)
FACTS_HOST = "host"
#: they are host variables for the rest of the run (``set_fact``); a result with
#: ``_ansible_facts_cacheable`` also stores them as facts
FACTS_VARIABLES = "variables"
#: they are variables at the precedence of ``include_vars``
FACTS_INCLUDED_VARIABLES = "included_variables"
FACTS_SCOPES = (FACTS_HOST, FACTS_VARIABLES, FACTS_INCLUDED_VARIABLES)


@dataclasses.dataclass(frozen=True)
class ActionTraits:
    """How the kernel loads, runs and reports a task of one action or module.

    ``free_form_keys``: ``None`` when a string argument is ``key=value`` pairs; else
    the argument string is free-form text (``command: echo a=b``), only these option
    names are taken out of it and the rest, byte for byte, is ``_raw_params``.
    ``requires_args``: the ad-hoc CLI refuses the module without arguments.
    ``needs_connection``: ``False`` for an action that never reaches a host (no
    connection is opened; its failures read ``Action failed``, a module's ``Module
    failed``, as in Ansible).  ``untemplated_args``: arguments the executor passes
    untemplated (the action evaluates them itself: a condition, a variable name).
    ``bypass_host_loop``: under the linear strategy the task runs once, for the first
    host of the batch; the other hosts go on without a result.  ``facts``: how the
    result's ``ansible_facts`` apply (one of :data:`FACTS_SCOPES`); with a scope other
    than :data:`FACTS_HOST`, later loop items see what earlier ones set.
    ``gathers_facts``: a success marks the host's facts as gathered.
    ``changes_inventory``: the result's ``add_host`` and ``add_group`` keys change the
    run's inventory (in any other result they are host data).
    """

    free_form_keys: frozenset[str] | None = None
    requires_args: bool = False
    needs_connection: bool = True
    untemplated_args: frozenset[str] = frozenset()
    bypass_host_loop: bool = False
    facts: str = FACTS_HOST
    gathers_facts: bool = False
    changes_inventory: bool = False

    def __post_init__(self) -> None:
        if self.facts not in FACTS_SCOPES:
            raise ValueError(f"facts must be one of {', '.join(FACTS_SCOPES)}, not {self.facts!r}")


#: the playbook language's own task keywords (see the module docstring)
LANGUAGE_TRAITS: dict[str, ActionTraits] = {
    **{name: ActionTraits(free_form_keys=RAW_PARAM_KEYS, needs_connection=False)
       for name in ("include_tasks", "import_tasks", "import_playbook", "include", "meta")},
    **{name: ActionTraits(needs_connection=False) for name in ("include_role", "import_role")},
}


def traits_of(action: Any = None, module: Any = None) -> ActionTraits:
    """The traits declared by ``action`` (an ``ActionBase`` subclass), else by
    ``module`` (a ``ModuleSpec``), else the defaults (a module run on the target)."""
    if action is not None:
        return ActionTraits(
            free_form_keys=action.FREE_FORM_KEYS, requires_args=action.REQUIRES_ARGS,
            needs_connection=action.NEEDS_CONNECTION, untemplated_args=frozenset(action.UNTEMPLATED_ARGS),
            bypass_host_loop=action.BYPASS_HOST_LOOP, facts=action.FACTS,
            gathers_facts=action.GATHERS_FACTS, changes_inventory=action.CHANGES_INVENTORY)
    if module is not None:
        return ActionTraits(free_form_keys=module.free_form_keys, requires_args=module.requires_args,
                            gathers_facts=module.gathers_facts)
    return ActionTraits()
