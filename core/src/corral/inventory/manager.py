"""``InventoryManager``: loads inventory sources through the inventory plugins and
answers host patterns.  Seed API path: ``corral.inventory.manager.InventoryManager``.
"""
from __future__ import annotations

import fnmatch
import os
import re
import threading
from typing import Any, Callable, Iterable, Sequence

from corral.display import format_source_context
from corral.errors import CorralError, CorralOptionsError
from corral.inventory.data import LOCALHOST_NAMES, InventoryData
from corral.inventory.group import Group
from corral.inventory.group_names import group_name_mode
from corral.inventory.helpers import sort_groups
from corral.inventory.host import Host
from corral.inventory.patterns import (apply_subscript, is_plain, order_patterns, split_host_pattern,
                                       split_subscript)
from corral.inventory.slicing import HostSlice
from corral.inventory.vars_plugins import VarsPlugins
from corral.plugins.inventory import DEFAULT_ENABLED_PLUGINS
from corral.vars.combine import combine_layers

__all__ = ["InventoryManager", "DEFAULT_ENABLED_PLUGINS", "IGNORED_ENTRY", "HOST_ORDERS"]


_IGNORED_EXTENSIONS = (".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst",
                       ".orig", ".cfg", ".retry")
#: directory entries that are not inventory sources (hidden, vars folders, ignored extensions)
IGNORED_ENTRY = re.compile(r"^\.|^host_vars$|^group_vars$|^vars_plugins$|(?:"
                           + "|".join(re.escape(ext) for ext in _IGNORED_EXTENSIONS) + r")$")
#: the system-wide inventory file, the default source
_SYSTEM_INVENTORY = "/etc/ansible/hosts"
#: the values of a play's ``order`` keyword
HOST_ORDERS = ("inventory", "sorted", "reverse_sorted", "reverse_inventory", "shuffle")


class InventoryManager:
    """The inventory of one run.

    ``sources`` are ``-i`` values: paths (files or directories), host lists
    (``"a,b,"``) or plugin configs; each goes to the first enabled inventory plugin
    that accepts it.  A source no plugin can parse becomes a warning (in
    ``warnings``, and passed to ``warn``), and the other sources still load; with
    ``any_unparsed_failed`` it is an error instead, and with ``unparsed_failed`` so is
    having parsed no source at all (Ansible's ``[inventory] any_unparsed_is_failed`` and
    ``unparsed_is_failed``).
    ``plugins`` is the run's :class:`corral.plugins.manager.PluginManager`;
    ``config`` the run's :class:`corral.config.Config`, for the vars plugins
    (``vars_plugins_enabled`` and their options; read from the environment and the
    working directory when ``None``).
    Thread-safe: the caches belong to this object and are guarded by its lock.
    """

    def __init__(self, loader: Any, sources: str | Sequence[str] | None = None,
                 plugins: Any = None, enable_plugins: Sequence[str] | None = None,
                 warn: Callable[[str], None] | None = None, parse: bool = True, *,
                 unparsed_failed: bool = False, any_unparsed_failed: bool = False, config: Any = None) -> None:
        if plugins is None:
            from corral.plugins.manager import PluginManager
            plugins = PluginManager(warn=warn)
        self._loader = loader
        self._plugins = plugins
        if config is not None and plugins.content.config is None:
            plugins.content.configure(config)
        self._enabled = list(enable_plugins) if enable_plugins is not None else list(DEFAULT_ENABLED_PLUGINS)
        if sources is None:
            self._sources: list[str] = []
        elif isinstance(sources, str):
            self._sources = [sources]
        else:
            self._sources = list(sources)
        self._warn = warn
        self.warnings: list[str] = []
        #: what is shown at ``-vvvv`` about the inventory (invalid group names...)
        self.details: list[str] = []
        #: the warnings and details in the order they arose, as ``("warning" | "detail" | "trace",
        #: text)``: details are shown at ``-vvvv``, traces (which parser took a source) at ``-vvv``
        self.messages: list[tuple[str, str]] = []
        if config is None:
            from corral.config import Config
            config = Config()
        self._group_name_mode = group_name_mode(config.get("transform_invalid_group_chars"))
        self._unparsed_failed = unparsed_failed
        self._any_unparsed_failed = any_unparsed_failed
        self._lock = threading.RLock()
        self._merge_hashes = config is not None and str(config.get("hash_behaviour")).lower() == "merge"
        self._inventory = InventoryData(self._group_name_mode)
        self._inventory.merge_hashes = self._merge_hashes
        self._subset: list[str] | None = None
        #: the hosts of the inventory, at the time of slicing, outside the run's slice
        self._outside_slice: frozenset[str] = frozenset()
        self._restriction: set[str] | None = None
        self._hosts_patterns_cache: dict[Any, list[Host]] = {}
        self._pattern_cache: dict[str, list[Host]] = {}
        self._regex_cache: dict[str, re.Pattern[str]] = {}
        self._vars_cache: dict[tuple[str, str | None, str], dict[str, Any]] = {}
        # what a host's groups give it (their inventory vars, then the vars plugins'), by
        # (its groups' names in precedence order, playbook_dir, stage): hosts share groups
        self._group_layers_cache: dict[tuple[tuple[str, ...], str | None, str], dict[str, Any]] = {}
        self._vars_plugins = VarsPlugins(plugins, loader, config, self._warning)
        self._kept_changes: list[Callable[[], Any]] = []
        self._dirs_cache: dict[str | None, list[str]] = {}
        self._absolute: dict[str, str] = {}     # playbook_dir -> os.path.abspath(playbook_dir)
        if parse:
            self.parse_sources(cache=True)

    # -- the data ------------------------------------------------------------

    @property
    def localhost(self) -> Host | None:
        return self._inventory.localhost

    @property
    def groups(self) -> dict[str, Group]:
        return self._inventory.groups

    @property
    def hosts(self) -> dict[str, Host]:
        return self._inventory.hosts

    @property
    def sources(self) -> list[str]:
        return list(self._sources)

    @property
    def inventory(self) -> InventoryData:
        return self._inventory

    def get_host(self, hostname: str) -> Host | None:
        """The host ``hostname`` (the implicit localhost for a localhost name)."""
        with self._lock:
            return self._inventory.get_host(hostname)

    def reconcile_inventory(self) -> None:
        """Re-apply the inventory rules (``all``/``ungrouped``) after changing hosts
        or groups directly (as the ``add_host``/``group_by`` actions do), and drop
        the caches."""
        with self._lock:
            self._inventory.reconcile_inventory()
            self.clear_caches()

    def clear_caches(self) -> None:
        """Forget resolved patterns and inventory variables (call after changing
        ``Host.vars``/``Group.vars`` or memberships directly)."""
        with self._lock:
            self._changed()

    def get_groups_dict(self) -> dict[str, list[str]]:
        """``{group: [host names]}`` for every group, ``all`` and ``ungrouped`` included."""
        with self._lock:
            return self._inventory.get_groups_dict()

    def add_host(self, host: str, group: str | None = None, port: int | str | None = None) -> str:
        with self._lock:
            result = self._inventory.add_host(host, group, port)
            self._changed()
            return result

    def add_group(self, group: str) -> str:
        with self._lock:
            result = self._inventory.add_group(group)
            self._changed()
            return result

    def add_child(self, group: str, child: str) -> bool:
        with self._lock:
            result = self._inventory.add_child(group, child)
            self._changed()
            return result

    def set_variable(self, entity: str, key: str, value: Any) -> None:
        with self._lock:
            self._inventory.set_variable(entity, key, value)
            self._vars_cache.clear()
            self._group_layers_cache.clear()

    def _changed(self) -> None:
        self.clear_pattern_cache()
        self._vars_cache.clear()
        self._group_layers_cache.clear()
        self._dirs_cache.clear()

    # -- warnings --------------------------------------------------------------

    def set_warning_handler(self, warn: Callable[[str], None] | None) -> None:
        """Pass the warnings from now on (a host pattern that matches nothing...) to
        ``warn`` as they arise, as well as to ``warnings``."""
        self._warn = warn

    def _warning(self, message: str) -> None:
        self.warnings.append(message)
        self.messages.append(("warning", message))
        if self._warn is not None:
            self._warn(message)

    # -- loading ---------------------------------------------------------------

    def refresh_inventory(self) -> None:
        """Forget everything and parse the sources again; then apply again the
        changes a run made (:meth:`keep_after_refresh`: ``add_host``, ``group_by``)."""
        with self._lock:
            self.clear_pattern_cache()
            self._vars_cache.clear()
            self._group_layers_cache.clear()
            self._vars_plugins.clear()
            self._dirs_cache.clear()
            self._inventory = InventoryData(self._group_name_mode)
            self._inventory.merge_hashes = self._merge_hashes
            self.parse_sources(cache=False)
            for change in list(self._kept_changes):
                change()
            self.clear_pattern_cache()

    def keep_after_refresh(self, change: Callable[[], Any]) -> None:
        """Remember ``change`` (a run's change to the inventory, already applied) to apply
        it again after :meth:`refresh_inventory`, in the order they were made."""
        with self._lock:
            self._kept_changes.append(change)

    def parse_sources(self, cache: bool = False) -> bool:
        """Parse every source; return whether at least one was parsed."""
        with self._lock:
            parsed = False
            setting_up = ("detail", "setting up inventory plugins")    # ansible-core's -vvvv line, once
            if self._sources and setting_up not in self.messages:
                self.messages.append(setting_up)
            parsers, options = self._parsers(cache) if self._sources else ([], {})
            for index, source in enumerate(self._sources):
                if not source:
                    continue
                if "," not in source:
                    source = os.path.abspath(os.path.expanduser(source))
                    self._sources[index] = source
                if self._parse_source(source, parsers, options):
                    parsed = True
            if parsed:
                self._inventory.reconcile_inventory()
                self._apply_inventory_stage()
            elif self._sources and self._unparsed_failed:
                raise CorralError("No inventory was parsed, please check your configuration and options.")
            elif self._sources:
                self._warning("No inventory was parsed, only implicit localhost is available")
            for kind, text in self._inventory.notes:
                if kind == "detail":
                    self.details.append(text)
                    self.messages.append((kind, text))
                elif text not in self.warnings:
                    self._warning(text)
            self._inventory.notes = []
            for message in self._inventory.warnings:
                self._warning(message)
            self._inventory.warnings = []
            self._changed()
            return parsed

    def parse_source(self, source: str, cache: bool = False) -> bool:
        """Parse one more source into this inventory (then reconcile)."""
        with self._lock:
            parsers, options = self._parsers(cache)
            parsed = self._parse_source(source, parsers, options)
            if parsed:
                self._sources.append(source)
                self._inventory.reconcile_inventory()
                self._changed()
            return parsed

    def _parsers(self, cache: bool) -> tuple[list[Any], dict[str, Any]]:
        """The enabled parsers in order, and the options every parse receives."""
        parsers = self._plugins.inventory_plugins(self._enabled)
        if not parsers:
            installed = ", ".join(self._plugins.names("inventory")) or "none"
            self._warning(f"No enabled inventory plugin is installed (enabled: {', '.join(self._enabled)}; "
                          f"installed: {installed}). Install corral-inventory-ini and the other "
                          f"standard inventory plugins.")
        options = {"cache": cache, "plugins": self._plugins,
                   "parsers": {p.NAME: p for p in self._plugins.inventory_plugins()},
                   "vars_plugins": self._parsed_sources_vars}
        return parsers, options

    def _parsed_sources_vars(self, entities: Sequence[Host | Group]) -> dict[str, Any]:
        """What the vars plugins give ``entities`` beside the sources parsed so far
        (what ``constructed`` with ``use_vars_plugins`` reads)."""
        result: dict[str, Any] = {}
        for base in _source_dirs(self._inventory.processed_sources):
            result.update(self._vars_plugins.get_vars(base, entities, "all"))
        return result

    def _apply_inventory_stage(self) -> None:
        """Merge what the vars plugins that run at the ``inventory`` stage give each
        group and host into its inventory variables, as Ansible does after parsing."""
        if not self._vars_plugins.runs_at("inventory"):
            return
        dirs = self._inventory_dirs()
        entities: list[Group | Host] = [*self._inventory.groups.values(), *self._inventory.hosts.values()]
        for entity in entities:
            for base in dirs:
                entity.vars.update(self._vars_plugins.get_vars(base, [entity], "inventory"))

    def _parse_source(self, source: str, parsers: list[Any], options: dict[str, Any]) -> bool:
        if os.path.isdir(source):
            parsed = False
            for entry in sorted(os.listdir(source)):
                if IGNORED_ENTRY.search(entry):
                    continue
                if self._parse_source(os.path.join(source, entry), parsers, options):
                    parsed = True
            return parsed
        inventory = self._inventory
        inventory.current_source = source
        failures: list[tuple[str, Exception]] = []
        try:
            for parser in parsers:
                try:
                    wants = bool(parser.verify_source(source))
                except Exception:  # noqa: BLE001 - a broken verify means "not mine"
                    wants = False
                if not wants:
                    self.messages.append(("trace", f"{parser.NAME} declined parsing {source} as it did not "
                                                   f"pass its verify_file() method"))
                    continue
                try:
                    parser.parse(inventory, self._loader, source, **options)
                except Exception as exc:  # noqa: BLE001 - any parser failure is reported per source
                    failures.append((parser.NAME, exc))
                    continue
                inventory.processed_sources.append(source)
                self.messages.append(("trace", f"Parsed {source} inventory source with {parser.NAME} plugin"))
                return True
        finally:
            inventory.current_source = None
        if self._any_unparsed_failed:
            # fatal: the reasons go with the error (the warnings of a run that stops are never shown)
            reasons = [f"\n * Failed to parse {source} with {name} plugin: {exc}" for name, exc in failures]
            raise CorralError(f"Completely failed to parse inventory source {source}"
                              + "".join(reasons + self._not_enabled(source)))
        for name, failure in failures:
            self._warning(_parse_failure(source, name, failure))
        for reason in self._not_enabled(source):
            self._warning(reason)
        if source != _SYSTEM_INVENTORY or os.path.exists(source):
            # as Ansible: the system-wide default inventory may be absent without a word
            self._warning(f"Unable to parse {source} as an inventory source")
        return False

    def _not_enabled(self, source: str) -> list[str]:
        """For a source no enabled parser took: the installed parsers that are not
        enabled and would have (the one a YAML source names with ``plugin:``, else
        those whose ``verify_source`` accepts it), and how to enable them."""
        parsers = [p for p in self._plugins.inventory_plugins() if p.NAME not in self._enabled]
        named = self._named_parser(source)
        if named is not None:
            parsers = [p for p in parsers if named == p.NAME or named.endswith(f".{p.NAME}")]
        found = []
        for parser in parsers:
            try:
                if parser.verify_source(source):
                    found.append(parser.NAME)
            except Exception:  # noqa: BLE001 - a broken verify means "not mine"
                continue
        return [f"\n * The installed inventory plugin '{name}' could parse {source} but is not enabled: add it "
                f"to [inventory] enable_plugins (CORRAL_INVENTORY_ENABLED), or enable 'auto' and name it with "
                f"'plugin: {name}' in a YAML source" for name in found]

    def _named_parser(self, source: str) -> str | None:
        """The ``plugin:`` a YAML source names, if it is a plugin configuration."""
        if not source.endswith((".yml", ".yaml")) or not os.path.isfile(source):
            return None
        try:
            config = self._loader.load_from_file(source, cache=False)
        except Exception:  # noqa: BLE001 - not YAML: not a plugin configuration
            return None
        name = config.get("plugin") if isinstance(config, dict) else None
        return name if isinstance(name, str) else None

    # -- patterns --------------------------------------------------------------

    def clear_pattern_cache(self) -> None:
        with self._lock:
            self._hosts_patterns_cache = {}
            self._pattern_cache = {}

    def get_hosts(self, pattern: str | Sequence[str] = "all", ignore_limits: bool = False,
                  ignore_restrictions: bool = False, order: str | None = None) -> list[Host]:
        """Hosts matching ``pattern``, after ``--limit`` and restrictions (unless
        ignored), each once, in inventory order or ``order`` (``sorted``,
        ``reverse_sorted``, ``reverse_inventory``, ``shuffle``)."""
        if order not in (None, *HOST_ORDERS):
            raise CorralOptionsError(f"Invalid 'order' specified for inventory hosts: {order}")
        key = (pattern if isinstance(pattern, str) else tuple(pattern), ignore_limits, ignore_restrictions)
        with self._lock:
            hosts = self._hosts_patterns_cache.get(key)
            if hosts is None:
                hosts = self._evaluate_patterns(split_host_pattern(pattern))
                if not ignore_limits and self._subset:
                    allowed = {h.name for h in self._evaluate_patterns(self._subset)}
                    hosts = [h for h in hosts if h.name in allowed]
                if not ignore_limits and self._outside_slice:
                    hosts = [h for h in hosts if h.name not in self._outside_slice]
                if not ignore_restrictions and self._restriction:  # empty: no restriction, as in Ansible
                    hosts = [h for h in hosts if h.name in self._restriction]
                self._hosts_patterns_cache[key] = hosts
        if order in ("sorted", "reverse_sorted"):
            return sorted(hosts, key=lambda h: h.name, reverse=order == "reverse_sorted")
        if order == "reverse_inventory":
            return hosts[::-1]
        result = list(hosts)
        if order == "shuffle":
            import random
            random.shuffle(result)
        return result

    def list_hosts(self, pattern: str | Sequence[str] = "all") -> list[Host]:
        """``get_hosts(pattern)``: the matching ``Host`` objects (Ansible's name;
        the old ``corral.inventory.Inventory.list_hosts`` returns names)."""
        return self.get_hosts(pattern)

    def list_groups(self) -> list[str]:
        return sorted(self._inventory.groups)

    def _evaluate_patterns(self, terms: list[str]) -> list[Host]:
        """Hosts of the terms: plain ones added in order, then ``&`` ones
        intersected, then ``!`` ones removed; each host once."""
        selected: dict[str, Host] = {}
        inventory_hosts = self._inventory.hosts
        for term in order_patterns(terms):
            if term in inventory_hosts:
                selected.setdefault(term, inventory_hosts[term])
                continue
            matched = self._match_one_pattern(term)
            if term[0] == "!":
                for host in matched:
                    selected.pop(host.name, None)
            elif term[0] == "&":
                kept = {h.name for h in matched}
                selected = {name: host for name, host in selected.items() if name in kept}
            else:
                for host in matched:
                    selected.setdefault(host.name, host)
        return list(selected.values())

    def _match_one_pattern(self, term: str) -> list[Host]:
        bare = term[1:] if term[0] in "&!" else term
        cached = self._pattern_cache.get(bare)
        if cached is None:
            name, subscript = split_subscript(bare)
            cached = apply_subscript(self._enumerate_matches(name), subscript)
            self._pattern_cache[bare] = cached
        return cached

    def _regex(self, term: str) -> re.Pattern[str]:
        compiled = self._regex_cache.get(term)
        if compiled is None:
            try:
                compiled = re.compile(term[1:] if term[0] == "~" else fnmatch.translate(term))
            except re.error as exc:
                raise CorralError(f"Invalid host list pattern: {term}: {exc}") from exc
            self._regex_cache[term] = compiled
        return compiled

    def _match_names(self, names: Iterable[str], term: str) -> list[str]:
        if is_plain(term):
            return [term] if term in names else []
        match = self._regex(term).match
        return [name for name in names if match(name)]

    def _enumerate_matches(self, term: str) -> list[Host]:
        inventory = self._inventory
        results: list[Host] = []
        groups = self._match_names(inventory.groups, term)
        for name in groups:
            results.extend(inventory.groups[name].get_hosts())
        if not groups or not is_plain(term):
            for name in self._match_names(inventory.hosts, term):
                results.append(inventory.hosts[name])
        if not results and term in LOCALHOST_NAMES:
            implicit = inventory.get_host(term)
            if implicit is not None:
                results.append(implicit)
        if not results and not groups and term != "all":
            message = f"Could not match supplied host pattern, ignoring: {term}"
            if message not in self.warnings:
                self._warning(message)
        return results

    # -- limits and restrictions ---------------------------------------------

    def subset(self, subset_pattern: str | Sequence[str] | None) -> None:
        """Limit every later ``get_hosts`` to ``subset_pattern`` (``--limit``);
        a ``@file`` term reads one pattern per line from the file."""
        with self._lock:
            if subset_pattern is None:
                self._subset = None
            else:
                terms: list[str] = []
                for term in split_host_pattern(subset_pattern):
                    if term.startswith("@"):
                        path = term[1:]
                        if not os.path.exists(path):
                            raise CorralError(f"Unable to find limit file {path}")
                        if not os.path.isfile(path):
                            raise CorralError(f'Limit starting with "@" must be a file, not a directory: {path}')
                        with open(path, encoding="utf-8") as handle:
                            terms.extend(line.strip() for line in handle.read().split("\n") if line.strip())
                    else:
                        terms.append(term)
                self._subset = terms
            self._hosts_patterns_cache = {}

    def slice(self, host_slice: HostSlice | None) -> list[Host]:
        """Keep only ``host_slice`` of the hosts (``--slice``; ``None``: no
        slicing) and return its hosts.  It is cut from the hosts left by
        :meth:`subset` (call that first), and like the limit it applies to every
        later ``get_hosts`` unless ``ignore_limits``.  Only hosts in the inventory at
        this call are sliced: the implicit localhost and hosts added later
        (``add_host``) belong to every slice's run that targets them."""
        with self._lock:
            self._outside_slice = frozenset()
            self._hosts_patterns_cache = {}
            if host_slice is None:
                return []
            selected = host_slice.select(h.name for h in self.get_hosts("all", ignore_restrictions=True))
            self._outside_slice = frozenset(self._inventory.hosts).difference(selected)
            self._hosts_patterns_cache = {}
            return [self._inventory.hosts[name] for name in selected]

    def restrict_to_hosts(self, restriction: Host | str | Iterable[Host | str] | None) -> None:
        """Consider only these hosts (the play's remaining hosts) until
        :meth:`remove_restriction`."""
        with self._lock:
            if restriction is None:
                self._restriction = None
            else:
                if isinstance(restriction, (Host, str)):
                    restriction = [restriction]
                self._restriction = {h.name if isinstance(h, Host) else h for h in restriction}
            self._hosts_patterns_cache = {}

    def remove_restriction(self) -> None:
        self.restrict_to_hosts(None)

    # -- variables ---------------------------------------------------------------

    def _inventory_dirs(self) -> list[str]:
        return _source_dirs(self._sources)

    def get_group_plugin_vars(self, group: Group, playbook_dir: str | None = None) -> dict[str, Any]:
        """What the vars plugins (``group_vars`` files with ``host_group_vars``) give
        ``group`` beside each inventory source, then beside ``playbook_dir``, at the
        ``all`` stage (``corral-inventory``)."""
        result: dict[str, Any] = {}
        for base in self._vars_dirs(playbook_dir):
            result.update(self._vars_plugins.get_vars(base, [group], "all"))
        return result

    def get_host_plugin_vars(self, host: Host, playbook_dir: str | None = None) -> dict[str, Any]:
        """What the vars plugins (``host_vars`` files with ``host_group_vars``) give
        ``host`` beside each inventory source, then beside ``playbook_dir``, at the
        ``all`` stage (``corral-inventory``)."""
        result: dict[str, Any] = {}
        for base in self._vars_dirs(playbook_dir):
            result.update(self._vars_plugins.get_vars(base, [host], "all"))
        return result

    def _vars_dirs(self, playbook_dir: str | None) -> list[str]:
        """Directories the vars plugins read, in precedence order: each inventory
        source's, then ``playbook_dir`` (cached)."""
        dirs = self._dirs_cache.get(playbook_dir)
        if dirs is None:
            dirs = self._inventory_dirs()
            if playbook_dir:
                dirs.append(os.path.abspath(playbook_dir))
            self._dirs_cache[playbook_dir] = dirs
        return dirs

    def get_inventory_vars(self, host: Host | str, playbook_dir: str | None = None,
                           stage: str = "task") -> dict[str, Any]:
        """The variables of ``host`` that come from the inventory, in Ansible's
        order (later wins): ``all``'s inventory vars; the host's other groups'
        inventory vars (by depth, ``ansible_group_priority``, name); what the vars
        plugins give ``all`` (``group_vars/all``) beside each inventory source, then
        beside ``playbook_dir``; what they give the other groups likewise, groups in
        the same order; the host's own inventory vars (with
        ``inventory_file``/``inventory_dir``); what they give the host
        (``host_vars/<host>``) beside each source, then beside ``playbook_dir``.
        ``stage`` is the vars plugins' stage (``task``; ``all`` for ``corral-inventory``).

        Cached per (host, playbook_dir, stage); returns a new top-level dict each call
        whose nested values are shared (copy before changing them).
        """
        if isinstance(host, str):
            found = self.get_host(host)
            if found is None:
                raise CorralError(f"Unknown host: {host}")
            host = found
        absolute = None
        if playbook_dir:
            absolute = self._absolute.get(playbook_dir)
            if absolute is None:
                absolute = os.path.abspath(playbook_dir)
                if os.path.isabs(playbook_dir):     # a relative one depends on the working directory
                    self._absolute[playbook_dir] = absolute
        key = (host.name, absolute, stage)
        with self._lock:
            cached = self._vars_cache.get(key)
            if cached is None:
                cached = self._compute_inventory_vars(host, key[1], stage)
                self._vars_cache[key] = cached
            return dict(cached)

    def _compute_inventory_vars(self, host: Host, playbook_dir: str | None, stage: str) -> dict[str, Any]:
        groups = sort_groups(g for g in host.groups if g.name != "all")
        dirs = self._vars_dirs(playbook_dir)
        collect = self._vars_plugins.collector(stage)
        merge = self._inventory.merge_hashes
        key = (tuple(group.name for group in groups), playbook_dir, stage)
        from_groups = self._group_layers_cache.get(key)
        if from_groups is None:
            all_group = self._inventory.groups["all"]
            layers: list[dict[str, Any]] = [all_group.vars, *(group.vars for group in groups)]
            layers.extend(collect(base, [all_group]) for base in dirs)
            layers.extend(collect(base, groups) for base in dirs)
            from_groups = self._group_layers_cache[key] = combine_layers(layers, merge)
        # the same left fold as over every layer at once: the groups' part, then the host's
        layers = [from_groups, host.vars]
        layers.extend(collect(base, [host]) for base in dirs)
        result = combine_layers(layers, merge)
        result.setdefault("inventory_file", None)
        result.setdefault("inventory_dir", None)
        return result


def _source_dirs(sources: Sequence[str]) -> list[str]:
    """The directories of inventory ``sources`` (a directory source is its own;
    host lists such as ``"a,b,"`` have none)."""
    dirs = []
    for source in sources:
        if not source or ("," in source and not os.path.exists(source)):
            continue
        dirs.append(source if os.path.isdir(source) else os.path.dirname(source))
    return dirs


def _parse_failure(source: str, plugin: str, error: Exception) -> str:
    """The warning about ``plugin`` failing to parse ``source``, in ansible-core 2.21's
    layout (the failure, then its cause with its origin); the origin is the line and
    column the error names, with the source lines, when it names one."""
    detail = error.message if isinstance(error, CorralError) else str(error)
    position = getattr(error, "position", None)
    origin = format_source_context(*position) if position else \
        f"Origin: <inventory plugin '{plugin}' with source '{source}'>"
    return (f"Failed to parse inventory with '{plugin}' plugin: {detail}\n\nFailed to parse inventory with "
            f"'{plugin}' plugin.\n\n<<< caused by >>>\n\n{detail}\n{origin}")
