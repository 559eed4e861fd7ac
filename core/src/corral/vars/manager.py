"""``VariableManager``: the variables a task sees on a host, in Ansible's precedence.

Lowest to highest: role defaults, inventory variables (group vars, group_vars files,
host vars, host_vars files: the inventory's ``get_inventory_vars``), facts, play
``vars``, ``vars_prompt``, ``vars_files``, role vars, block vars, task vars,
``include_vars``, ``set_fact``/registered variables, role parameters, include
parameters, extra vars; then the magic variables (``hostvars``, ``groups``,
``inventory_hostname``...).  Dicts in several layers are replaced, or merged with
``hash_behaviour=merge`` (then each view is one combined dict, not layers).

The result of :meth:`get_vars` is a read-only layered view (no copy of each layer):
building it per (host, task) costs one small dict of magic variables.  Facts and
registered results are stored marked unsafe so they are never templated again.
"""
from __future__ import annotations

import os
import sys
import threading
from collections import ChainMap
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any, Iterator, cast

from corral.playbook.search_path import task_search_path
from corral.utils.unsafe import UnsafeText, wrap_unsafe
from corral.vars.combine import combine_layers, combine_vars
from corral.utils.vars_view import VarsView

__all__ = ["VariableManager", "HostVars"]

CORRAL_VERSION = "2.19.0"


def _version_info() -> dict[str, Any]:
    from corral import __version__
    major, minor, revision = (CORRAL_VERSION.split(".") + ["0", "0"])[:3]
    return {"string": CORRAL_VERSION, "full": CORRAL_VERSION, "major": int(major), "minor": int(minor),
            "revision": int(revision), "corral": __version__}


class VariableManager:
    """Holds the run's variable state: extra vars, facts, ``set_fact`` and registered
    variables, ``include_vars``, per host.  Thread-safe for different hosts."""

    def __init__(self, loader: Any = None, inventory: Any = None, version_info: Any = None) -> None:
        self._loader = loader
        self._inventory = inventory
        self._extra_vars: dict[str, Any] = {}
        self._options_vars: dict[str, Any] = {}
        self._fact_cache: dict[str, dict[str, Any]] = {}
        self._fact_view: dict[str, dict[str, Any]] = {}
        #: per host, facts shown in ``ansible_facts`` but never as top-level variables (restricted names)
        self._hidden_facts: dict[str, set[str]] = {}
        self._nonpersistent: dict[str, dict[str, Any]] = {}
        self._include_vars: dict[str, dict[str, Any]] = {}
        self._play_layers: dict[tuple[str, str], tuple[dict[str, Any], ...]] = {}
        self._play_hosts: dict[str, dict[str, list[str]]] = {}
        self._lock = threading.RLock()
        self.roles_path: list[str] = []
        self.template_environment: Any = None
        #: where ``Read `vars_file` ...`` goes at ``-vvv`` (the run's display; ``None``: nowhere)
        self.display: Any = None
        self.fact_cache_plugin: Any = None
        #: ``hash_behaviour``: ``merge`` merges mappings found in several layers
        self.hash_behaviour = "replace"
        self._role_layers: dict[Any, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {}

    # -- configuration ---------------------------------------------------------------

    def set_inventory(self, inventory: Any) -> None:
        self._inventory = inventory

    @property
    def extra_vars(self) -> dict[str, Any]:
        return self._extra_vars

    @extra_vars.setter
    def extra_vars(self, value: dict[str, Any]) -> None:
        self._extra_vars = dict(value or {})

    @property
    def options_vars(self) -> dict[str, Any]:
        return self._options_vars

    @options_vars.setter
    def options_vars(self, value: dict[str, Any]) -> None:
        self._options_vars = dict(value or {})

    def set_play_hosts(self, play: Any, all_hosts: list[str], batch: list[str],
                       removed: Iterable[str] = ()) -> None:
        """Record the play's hosts: ``all_hosts`` in inventory order
        (``ansible_play_hosts_all``), the current ``batch`` in the play's ``order``,
        and the hosts ``removed`` from the play (failed or unreachable, here or in an
        earlier play): ``ansible_play_hosts`` and ``ansible_play_batch`` leave them out."""
        # host names are data, never templates (add_host may take one from a host's output)
        self._play_hosts[play._uuid] = {"all": wrap_unsafe(list(all_hosts)), "batch": wrap_unsafe(list(batch))}
        self.remove_play_hosts(play, removed)

    def remove_play_hosts(self, play: Any, removed: Iterable[str]) -> None:
        """Hosts that failed or became unreachable leave ``ansible_play_hosts`` and
        ``ansible_play_batch`` for the rest of the play."""
        entry = self._play_hosts.get(play._uuid)
        if entry is None:
            return
        gone = set(removed) | set(entry.get("removed", ()))
        entry["removed"] = wrap_unsafe(sorted(gone))
        entry["hosts"] = [h for h in entry["all"] if h not in gone]
        entry["active"] = [h for h in entry["batch"] if h not in gone]

    # -- per-host state -----------------------------------------------------------------

    def _name(self, host: Any) -> str:
        return host if isinstance(host, str) else host.name

    def set_host_facts(self, host: Any, facts: Mapping[str, Any], hidden: Iterable[str] = ()) -> None:
        """Merge gathered or cacheable facts into the host's facts.  They are kept
        under their own names (``ansible_system``, ``my_cached_fact``: the top-level
        variables) and shown in ``ansible_facts`` without the ``ansible_`` prefix.
        The ``hidden`` names (facts a module may not set as variables, see
        :mod:`corral.vars.restricted`) are shown in ``ansible_facts`` only, as in Ansible."""
        name = self._name(host)
        with self._lock:
            stored = self._fact_cache.setdefault(name, {})
            stored.update(wrap_unsafe(dict(facts)))
            shown = self._hidden_facts.setdefault(name, set())
            shown.difference_update(facts)
            shown.update(hidden)
            self._fact_view[name] = _deprefixed(stored)
        if self.fact_cache_plugin is not None:
            self.fact_cache_plugin.set(name, self._fact_cache[name])

    def _load_cached(self, name: str) -> None:
        if name not in self._fact_cache and self.fact_cache_plugin is not None:
            cached = self.fact_cache_plugin.get(name)
            if cached:
                with self._lock:
                    self._fact_cache[name] = wrap_unsafe(dict(cached))
                    self._fact_view[name] = _deprefixed(self._fact_cache[name])

    def get_host_facts(self, host: Any) -> dict[str, Any]:
        """The host's facts as ``ansible_facts`` shows them (no ``ansible_`` prefix)."""
        name = self._name(host)
        self._load_cached(name)
        return self._fact_view.get(name, {})

    def _fact_vars(self, name: str) -> dict[str, Any]:
        """The host's facts as top-level variables (their own names)."""
        self._load_cached(name)
        facts = self._fact_cache.get(name, {})
        hidden = self._hidden_facts.get(name)
        return {k: v for k, v in facts.items() if k not in hidden} if hidden else facts

    def clear_facts(self, host: Any) -> None:
        name = self._name(host)
        with self._lock:
            self._fact_cache.pop(name, None)
            self._fact_view.pop(name, None)
            self._hidden_facts.pop(name, None)
        if self.fact_cache_plugin is not None:
            self.fact_cache_plugin.delete(name)

    def set_nonpersistent_facts(self, host: Any, facts: Mapping[str, Any], unsafe: bool = False) -> None:
        """``set_fact`` (not cacheable): variables that last for the run."""
        name = self._name(host)
        with self._lock:
            self._nonpersistent.setdefault(name, {}).update(wrap_unsafe(dict(facts)) if unsafe else facts)

    def set_host_variable(self, host: Any, varname: str, value: Any) -> None:
        """A registered result (stored unsafe: it came from the target)."""
        name = self._name(host)
        with self._lock:
            self._nonpersistent.setdefault(name, {})[varname] = wrap_unsafe(value)

    def add_include_vars(self, host: Any, variables: Mapping[str, Any]) -> None:
        """Variables loaded by ``include_vars`` for ``host``."""
        name = self._name(host)
        with self._lock:
            self._include_vars.setdefault(name, {}).update(variables)

    # -- assembling ----------------------------------------------------------------------

    def _play_static_layers(self, play: Any, host: Any) -> tuple[dict[str, Any], ...]:
        """(role defaults, inventory vars, play vars, vars_files vars, role vars), cached per play and host."""
        key = (play._uuid if play is not None else "", self._name(host) if host is not None else "")
        cached = self._play_layers.get(key)
        if cached is not None:
            return cached
        defaults: dict[str, Any] = {}
        role_vars: dict[str, Any] = {}
        play_vars: dict[str, Any] = {}
        merge = self._merging
        if play is not None:
            for role in play.get_roles():
                for source in [*role.all_dependencies(), role]:
                    defaults = combine_vars(defaults, source.defaults, merge)
                    role_vars = combine_vars(role_vars, source.vars, merge)
            play_vars = play.get_vars()
            prompted = play.prompted_vars(self._extra_vars) if hasattr(play, "prompted_vars") else {}
            if prompted:
                play_vars.update(prompted)
        inventory_vars: dict[str, Any] = {}
        if host is not None and self._inventory is not None:
            playbook_dir = getattr(play, "_basedir", None) if play is not None else None
            getter = getattr(self._inventory, "get_inventory_vars", None)
            inventory_vars = getter(host, playbook_dir) if getter else dict(host.get_vars())
        files_vars = self._vars_files(play, host, combine_layers((defaults, inventory_vars, play_vars), merge)) \
            if play is not None else {}
        layers = (defaults, inventory_vars, play_vars, files_vars, role_vars)
        self._play_layers[key] = layers
        return layers

    def _vars_files(self, play: Any, host: Any, lower: dict[str, Any]) -> dict[str, Any]:
        entries = play.vars_files or []
        if isinstance(entries, str):
            entries = [entries]
        result: dict[str, Any] = {}
        if not entries:
            return result
        from corral.display import format_source_context
        from corral.errors import CorralParserError, CorralUndefinedVariable, position_of
        from corral.template import Templar
        facts = self.get_host_facts(host) if host else {}
        # the names may use the host's variables and facts (``vars/{{ inventory_hostname }}.yml``)
        templar = Templar(self._loader, ChainMap(self._magic_vars(play, host, None, facts), self._extra_vars, lower,
                                                 facts), environment=self.template_environment)
        basedir = getattr(play, "_basedir", None) or "."
        for entry in entries:
            candidates = entry if isinstance(entry, list) else [entry]
            try:
                for candidate in candidates:
                    path = str(templar.template(candidate))
                    path = path if os.path.isabs(path) else os.path.join(basedir, path)
                    if os.path.exists(path):
                        data = self._loader.load_from_file(path) or {}
                        if self.display is not None:
                            self.display.vvv(f"Read `vars_file` '{path}'.")
                        if not isinstance(data, dict):
                            raise CorralParserError(f"vars file {path} must contain a mapping")
                        result = combine_vars(result, data, self._merging)
                        break
            except CorralUndefinedVariable:
                # as ansible-core: an item naming a variable this host (or the play, with no
                # host) does not have is skipped, with a warning
                position = position_of(entry)
                where = f"\n{format_source_context(*position)}" if position else ""
                self._loader.warning(f"skipping vars_files item due to an undefined variable{where}")
            # a vars file that is not found is skipped, as ansible-core 2.21 does
        return result

    def get_vars(self, play: Any = None, host: Any = None, task: Any = None,
                 include_hostvars: bool = True, include_delegate_to: bool = False,
                 extra_layers: tuple[Mapping[str, Any], ...] = ()) -> ChainMap:
        """The variables ``task`` sees on ``host`` in ``play`` (each may be None).

        ``extra_layers`` go between task vars and include_vars (the executor passes
        loop variables and include parameters there)."""
        defaults, inventory_vars, play_vars, files_vars, role_vars = self._play_static_layers(play, host)
        name = self._name(host) if host is not None else None
        facts = self.get_host_facts(host) if host is not None else {}
        fact_layer: Mapping[str, Any] = self._fact_vars(name) if name else {}
        task_layers: list[Mapping[str, Any]] = []
        role = getattr(task, "_role", None) if task is not None else None
        role_defaults, role_own, role_params = self._role_task_layers(role) if role is not None else ({}, {}, {})
        if task is not None:
            task_layers = list(task.all_vars())
        magic = self._magic_vars(play, host, task, facts)
        layers: list[Mapping[str, Any]] = [
            magic,
            self._extra_vars,
            *extra_layers,
            role_params,
            self._nonpersistent.get(name, {}) if name else {},
            self._include_vars.get(name, {}) if name else {},
            *reversed(task_layers),
            role_own,
            role_vars,
            files_vars,
            play_vars,
            fact_layer,
            inventory_vars,
            role_defaults,
            defaults,
        ]
        if self._merging:
            layers = [layers[0], combine_layers(reversed(layers[1:]), merge=True)]
        # a ChainMap writes to its first map only (``magic``, a new dict); the others are read
        chain = ChainMap(*cast("list[MutableMapping[str, Any]]", layers))
        if play is not None or task is not None:
            magic["vars"] = VarsView(chain)
        return chain

    @property
    def _merging(self) -> bool:
        return str(self.hash_behaviour).lower() == "merge"

    def _role_task_layers(self, role: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """(defaults, vars, parameters) a task of ``role`` sees, as ansible-core
        combines them: the defaults of the role's dependencies, of the roles above it
        (its dependency chain) and its own; the vars of the roles above it, of its
        dependencies and its own; the parameters of the roles above it and its own."""
        cached = self._role_layers.get(role)
        if cached is not None:
            return cached
        merge = self._merging
        chain = role.dep_chain()
        below = role.all_dependencies()
        layers = (combine_layers([*(d.defaults for d in below), *(p.defaults for p in chain), role.defaults], merge),
                  combine_layers([*(p.vars for p in chain), *(d.vars for d in below), role.vars], merge),
                  combine_layers([*(p.params for p in chain), role.params], merge))
        self._role_layers[role] = layers
        return layers

    def _magic_vars(self, play: Any, host: Any, task: Any, facts: dict[str, Any]) -> dict[str, Any]:
        magic: dict[str, Any] = dict(self._options_vars)
        magic["ansible_version"] = _version_info()
        magic["omit"] = _omit_token()
        magic["ansible_playbook_python"] = sys.executable
        magic["ansible_facts"] = facts
        if self._inventory is not None:
            magic["groups"] = self._inventory.get_groups_dict()
            magic["hostvars"] = HostVars(self, play)
        if host is not None:
            magic["inventory_hostname"] = UnsafeText(host.name)
            magic["inventory_hostname_short"] = UnsafeText(host.name.split(".")[0])
            magic["group_names"] = wrap_unsafe(sorted(g.name for g in host.get_groups() if g.name != "all"))
        if play is not None:
            magic["playbook_dir"] = os.path.abspath(getattr(play, "_basedir", ".") or ".")
            magic["ansible_play_name"] = play.get_name()
            magic["ansible_play_role_names"] = play.role_names()
            magic["role_names"] = magic["ansible_play_role_names"]
            magic["ansible_dependent_role_names"] = play.dependent_role_names()
            magic["ansible_role_names"] = list(dict.fromkeys(
                [*magic["ansible_play_role_names"], *magic["ansible_dependent_role_names"]]))
            entry = self._play_hosts.get(play._uuid)
            if entry is not None:
                magic["ansible_play_hosts_all"] = entry["all"]
                magic["ansible_play_hosts"] = entry["hosts"]
                magic["ansible_play_batch"] = entry["active"]
                magic["play_hosts"] = entry["active"]
        role = getattr(task, "_role", None) if task is not None else None
        if role is not None:
            magic["role_name"] = role.get_name().rpartition(".")[2] if role.collection else role.get_name()
            magic["role_path"] = role.path
            magic["ansible_role_name"] = role.get_name()
        if task is not None:
            magic["ansible_search_path"] = _search_path(task, magic.get("playbook_dir"))
        return magic

    def clear_play_cache(self, play: Any = None) -> None:
        """Forget cached play layers (after ``refresh_inventory`` or ``add_host``)."""
        with self._lock:
            if play is None:
                self._play_layers.clear()
            else:
                for key in [k for k in self._play_layers if k[0] == play._uuid]:
                    del self._play_layers[key]


def _search_path(task: Any, playbook_dir: str | None) -> list[str]:
    """``ansible_search_path``: the task's own search path, then the playbook's
    directory (once)."""
    found = task_search_path(task)
    if playbook_dir and os.path.abspath(playbook_dir) not in found:
        found.append(os.path.abspath(playbook_dir))
    return found


def _deprefixed(facts: Mapping[str, Any]) -> dict[str, Any]:
    """``facts`` as ``ansible_facts`` shows them: without the ``ansible_`` prefix.  A
    fact's name is host data: the shortened name stays marked unsafe (slicing a
    string drops the mark), or a key holding a template would be rendered."""
    return {(UnsafeText(k[8:]) if k.startswith("ansible_") and len(k) > 8 else k): v for k, v in facts.items()}


def _omit_token() -> str:
    from corral.template import OMIT_TOKEN
    return OMIT_TOKEN


class HostVars(Mapping):
    """``hostvars``: every inventory host's variables, computed when used."""

    def __init__(self, manager: VariableManager, play: Any) -> None:
        self._manager = manager
        self._play = play

    def __getitem__(self, name: str) -> Any:
        host = self._manager._inventory.get_host(name)
        if host is None:
            from corral.template import CorralUndefined
            return CorralUndefined(hint=f"hostvars['{name}'] is undefined: no such host")
        return HostVarsVars(self._manager, self._manager.get_vars(None, host, include_hostvars=False))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._manager._inventory.get_host(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(h.name for h in self._manager._inventory.get_hosts("all", ignore_restrictions=True))

    def __len__(self) -> int:
        return len(self._manager._inventory.hosts)


class HostVarsVars(Mapping):
    """One host's variables as ``hostvars[host]``: rendered when read."""

    def __init__(self, manager: VariableManager, variables: Mapping[str, Any]) -> None:
        self._manager = manager
        self._vars = variables
        self._templar: Any = None

    def __getitem__(self, key: str) -> Any:
        value = self._vars[key]
        if self._templar is None:
            from corral.template import Templar
            self._templar = Templar(self._manager._loader, self._vars,
                                    environment=self._manager.template_environment)
        return self._templar.template(value)

    def __contains__(self, key: object) -> bool:
        return key in self._vars

    def __iter__(self) -> Iterator[str]:
        return iter(self._vars)

    def __len__(self) -> int:
        return len(self._vars)
