"""Finding plugins (stevedore) and calling them (pluggy), one manager per run.

The entry points of each kind's group (``corral.<kind>``), listed by stevedore once
per environment and cached (:mod:`corral.plugins.discovery`, by stevedore's rule),
name the plugins; the manager loads the ones a run needs: the one strategy, executor or stdout callback named by
configuration (DriverManager-style, by name), the enabled callbacks in their order,
every inventory, module and template plugin.  Each loaded object is registered on
this manager's own pluggy ``PluginManager``; nothing is kept in module-level
registries, so several runs in one process do not see each other's plugins.

A plugin that fails to import is recorded (``load_errors``) and reported as a warning
naming the plugin and its distribution; unrelated plugins and runs go on.

When two plugins provide the same name (an entry point name, a module, filter or
inventory parser name, a connection type), :mod:`corral.plugins.precedence`
decides which one is used, whatever the load order, and the run warns once.
Plugins registered in code are carried to executors' other processes by
:mod:`corral.plugins.portable`.
"""
from __future__ import annotations

import dataclasses
import inspect
import os
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterable

import pluggy

from corral import hookspecs
from corral.errors import CorralPluginError
from corral.plugins import discovery, portable, precedence
from corral.plugins.content import ContentContext
from corral.plugins.module import FILES_FRAGMENT, ModuleSpec, fragment_options, normalize_module_name
from corral.plugins.precedence import Candidate
from corral.plugins.traits import LANGUAGE_TRAITS, ActionTraits, traits_of

if TYPE_CHECKING:
    from corral.plugins.inventory import InventoryCheck

__all__ = ["KINDS", "PluginDescription", "PluginInfo", "PluginManager", "STANDARD_DISTRIBUTIONS"]

#: plugin kinds and their entry point groups
KINDS: dict[str, str] = {
    "inventory": "corral.inventory",
    "connection": "corral.connection",
    "strategy": "corral.strategy",
    "executor": "corral.executor",
    "callback": "corral.callback",
    "module": "corral.module",
    "template": "corral.template",
    "cli": "corral.cli",
    "cache": "corral.cache",
    "become": "corral.become",
    "vars": "corral.vars",
    "content": "corral.content",
}

#: which distribution provides each standard plugin, for "install X" messages
STANDARD_DISTRIBUTIONS: dict[tuple[str, str], str] = {
    ("connection", "local"): "corral-connection-local",
    ("connection", "ssh"): "corral-connection-ssh",
    ("connection", "paramiko"): "corral-connection-ssh",
    ("strategy", "linear"): "corral-strategy-linear",
    ("strategy", "free"): "corral-strategy-free",
    ("strategy", "host_pinned"): "corral-strategy-free",
    ("executor", "forking"): "corral-executor-forking",
    ("executor", "inline"): "corral-executor-inline",
    ("executor", "ray"): "corral-executor-ray",        # not in the standard distribution: pip install it
    ("cache", "memory"): "corral-cache-memory",
    ("cache", "jsonfile"): "corral-cache-jsonfile",
    ("callback", "default"): "corral-callback-default",
    ("callback", "json"): "corral-callback-json",
    ("callback", "junit"): "corral-callback-junit",
    ("callback", "live"): "corral-callback-live",
    ("callback", "log_plays"): "corral-callback-log-plays",
    ("callback", "profile_roles"): "corral-callback-profile",
    ("callback", "profile_tasks"): "corral-callback-profile",
    ("callback", "timer"): "corral-callback-profile",
    ("callback", "minimal"): "corral-callback-minimal",
    ("callback", "records"): "corral-callback-records",
    ("callback", "oneline"): "corral-callback-oneline",
    ("callback", "tree"): "corral-callback-tree",
    ("callback", "awx_display"): "corral-runner",
    ("inventory", "host_list"): "corral-inventory-host-list",
    ("inventory", "ini"): "corral-inventory-ini",
    ("inventory", "yaml"): "corral-inventory-yaml",
    ("inventory", "script"): "corral-inventory-script",
    ("inventory", "constructed"): "corral-inventory-constructed",
    ("inventory", "auto"): "corral-inventory-auto",
    ("inventory", "toml"): "corral-inventory-toml",
    ("become", "sudo"): "corral-become-sudo",
    ("become", "su"): "corral-become-su",
    ("become", "runuser"): "corral-become-runuser",
    ("vars", "host_group_vars"): "corral-vars-host-group-vars",
}

_V2_PREFIX = "v2_"

#: kinds whose plugins are chosen by name through a firstresult ``corral_<kind>(name)`` hook
NAMED_KINDS = ("connection", "strategy", "executor", "cache", "callback")

#: hooks whose answers are pooled by name, and what one name of each is called in messages
POOLED_HOOKS: dict[str, str] = {
    "corral_modules": "module",
    "corral_actions": "action",
    "corral_module_doc_fragments": "documentation fragment",
    "corral_template_filters": "filter",
    "corral_template_tests": "test",
    "corral_template_lookups": "lookup",
    "corral_inventory_plugins": "inventory parser",
}


def _named_items(hook_name: str, answer: Any) -> list[tuple[str, Any]]:
    """The ``(name, value)`` pairs of one plugin's answer to the pooled hook ``hook_name``."""
    if not answer:
        return []
    if hook_name == "corral_modules":
        return [(spec.name, spec) for spec in answer]
    if hook_name == "corral_inventory_plugins":
        return [(parser.NAME, parser) for parser in answer]
    return list(answer.items())


@dataclasses.dataclass(frozen=True)
class PluginInfo:
    """One installed plugin: its kind, name, entry point and distribution."""

    kind: str
    name: str
    target: str
    distribution: str
    version: str


@dataclasses.dataclass(frozen=True)
class PluginDescription:
    """An installed plugin, loaded: the hooks it implements and the names it
    provides by category (``{"connection": ["ssh", "paramiko"], "filter": [...]}``),
    or the ``error`` that kept it from loading."""

    info: PluginInfo
    hooks: tuple[str, ...] = ()
    provides: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    error: str | None = None


def _provider_hint(kind: str, name: str) -> str:
    dist = STANDARD_DISTRIBUTIONS.get((kind, name))
    if dist:
        return f" It is provided by the distribution '{dist}' (pip install {dist})."
    return f" Install a distribution that declares a '{KINDS[kind]}' entry point named '{name}'."


class _CorralPluggy(pluggy.PluginManager):
    """pluggy manager that also treats the ``v2_*`` methods of callback objects as
    hook implementations, so an Ansible-style ``CallbackBase`` registers as written.
    Dunder names (``__init__``, ``__eq__``...) are never hook implementations: they
    are not looked at (most of an object's ``dir()``, each a static lookup)."""

    def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
        if name.startswith("__"):
            return None
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is None and name.startswith(_V2_PREFIX) and hasattr(hookspecs, name) \
                and getattr(plugin, "_corral_callback", False):
            return {}
        return opts


class PluginManager:
    """The plugins of one run.

    ``allow`` (or the ``CORRAL_LOAD_PLUGINS`` variable, comma-separated
    ``kind:name`` or ``name`` entries) restricts which installed plugins may load;
    ``warn`` receives load failures as messages.
    """

    def __init__(self, *, allow: Iterable[str] | None = None,
                 warn: Callable[[str], None] | None = None) -> None:
        self.hooks = _CorralPluggy(hookspecs.PROJECT)
        self.hooks.add_hookspecs(hookspecs)
        self.hook = self.hooks.hook
        env_allow = os.environ.get("CORRAL_LOAD_PLUGINS")
        if allow is None and env_allow is not None:
            allow = [item.strip() for item in env_allow.split(",") if item.strip()]
        self._allow = set(allow) if allow is not None else None
        self._warn = warn
        self._unsent: list[str] = []        # warnings from before anyone listened (warn_to)
        self._loaded: dict[tuple[str, str], object] = {}
        self._all_loaded: set[str] = set()
        self.load_errors: dict[tuple[str, str], str] = {}
        self._lock = threading.RLock()
        self._memo: dict[str, Any] = {}
        self._origins: dict[str, precedence.Origin] = {}     # pluggy plugin name -> origin
        self._in_code: list[tuple[object, str | None]] = []   # register()ed plugins, in order
        self._warned: set[str] = set()
        #: the run's content beyond installed plugins (playbook and role folders, collections)
        self.content = ContentContext(warn=self._warn_once)
        self._found: dict[tuple[str, str, tuple[str, ...]], Any] = {}
        self._found_version = -1

    # -- discovery ---------------------------------------------------------

    def _allowed(self, kind: str, name: str) -> bool:
        return self._allow is None or name in self._allow or f"{kind}:{name}" in self._allow

    def _entry_points(self, kind: str) -> list[discovery.EntryPointRecord]:
        return [ep for ep in discovery.entry_points(KINDS[kind]) if self._allowed(kind, ep.name)]

    def _info(self, kind: str, ep: discovery.EntryPointRecord) -> PluginInfo:
        return PluginInfo(kind, ep.name, ep.value, ep.distribution, ep.version)

    def _origin(self, kind: str, ep: discovery.EntryPointRecord) -> precedence.Origin:
        return precedence.installed(kind, ep.name, ep.value, ep.distribution, ep.version, path_index=ep.path_index)

    def _entry_point_named(self, kind: str, name: str) -> discovery.EntryPointRecord | None:
        """The entry point ``name`` of ``kind``; when several distributions declare
        it, the one :data:`precedence.RULE` picks (with a warning)."""
        found = [ep for ep in self._entry_points(kind) if ep.name == name]
        if len(found) < 2:
            return found[0] if found else None
        candidates = [Candidate(self._origin(kind, ep), ep) for ep in found]
        return precedence.choose(f"{kind} plugin '{name}' ({KINDS[kind]})", candidates, self._warn_once)

    def _warn_once(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self._send_warning(message)

    def _send_warning(self, message: str) -> None:
        if self._warn is None:
            self._unsent.append(message)
        else:
            self._warn(message)

    def warn_to(self, warn: Callable[[str], None]) -> None:
        """Send warnings (load failures, name clashes) to ``warn`` when the manager
        was made without a ``warn``: the run that uses it shows them, including the
        ones from before this call."""
        with self._lock:
            if self._warn is None:
                self._warn = warn
                for message in self._unsent:
                    warn(message)
                self._unsent.clear()

    def installed(self, kind: str) -> list[PluginInfo]:
        """List the installed plugins of ``kind`` (loading none of them)."""
        ranked = sorted(self._entry_points(kind), key=lambda ep: (ep.name, self._origin(kind, ep).rank))
        return [self._info(kind, ep) for ep in ranked]

    def names(self, kind: str) -> list[str]:
        """Names of the installed plugins of ``kind`` (looked up once per manager:
        the executor asks for every task on every host)."""
        key = f"names:{kind}"
        with self._lock:
            if key not in self._memo:
                self._memo[key] = sorted({ep.name for ep in self._entry_points(kind)})
            return list(self._memo[key])

    # -- loading -------------------------------------------------------------

    def _load_entry_point(self, kind: str, ep: discovery.EntryPointRecord) -> object | None:
        key = (kind, ep.name)
        if key in self._loaded:
            return self._loaded[key]
        if key in self.load_errors:
            return None
        info = self._info(kind, ep)
        try:
            plugin: object = ep.load()
            if not self.hooks.is_registered(plugin):   # one object may serve several names (ssh, paramiko)
                self._register_checked(plugin, f"{kind}:{ep.name}")
                self._origins[f"{kind}:{ep.name}"] = self._origin(kind, ep)
        except Exception as exc:  # noqa: BLE001 - any import error of third-party code
            message = (f"Failed to load {kind} plugin '{ep.name}' ({ep.value}) from distribution "
                       f"'{info.distribution}' {info.version}: {type(exc).__name__}: {exc}")
            self.load_errors[key] = message
            self._send_warning(message)
            return None
        self._loaded[key] = plugin
        return plugin

    def load(self, kind: str, name: str) -> object:
        """Load and register the plugin ``name`` of ``kind``; raise a clear error if
        it is not installed or fails to load."""
        with self._lock:
            if (kind, name) in self._loaded:
                return self._loaded[(kind, name)]
            ep = self._entry_point_named(kind, name)
            if ep is None:
                raise self.missing(kind, name)
            plugin = self._load_entry_point(kind, ep)
            if plugin is None:
                raise CorralPluginError(self.load_errors[(kind, name)])
            return plugin

    def load_all(self, kind: str) -> list[object]:
        """Load and register every installed plugin of ``kind`` (failures are warned)."""
        with self._lock:
            if kind not in self._all_loaded:
                for name in dict.fromkeys(ep.name for ep in self._entry_points(kind)):
                    ep = self._entry_point_named(kind, name)
                    if ep is not None:
                        self._load_entry_point(kind, ep)
                self._all_loaded.add(kind)
            return [plugin for (k, _), plugin in self._loaded.items() if k == kind]

    def register(self, plugin: object, name: str | None = None) -> None:
        """Register an object carrying hook implementations (tests, embedding apps).

        It wins over installed plugins that provide the same names
        (:data:`corral.plugins.precedence.RULE`), and reaches the executor's
        worker processes (:meth:`portable_plugins`)."""
        with self._lock:
            self._register_checked(plugin, name)
            self._in_code.append((plugin, name))
            self._origins[self.hooks.get_name(plugin) or ""] = precedence.in_code(name or _describe(plugin),
                                                                                 len(self._in_code))
            self._memo.clear()

    def portable_plugins(self) -> portable.PortablePlugins:
        """The plugins registered in code, as references another process can import
        (with this process's ``sys.path``).  One that cannot be imported by name there
        is left out when it implements no hook of
        :data:`corral.hookspecs.TASK_PROCESS_HOOKS` (the controller alone uses it),
        else it raises :class:`CorralPluginError`."""
        references = []
        with self._lock:
            for plugin, name in self._in_code:
                label = f"{name} ({_describe(plugin)})" if name else _describe(plugin)
                needed = any(caller.name in hookspecs.TASK_PROCESS_HOOKS
                             for caller in self.hooks.get_hookcallers(plugin) or ())
                try:
                    references.append((portable.reference_of(plugin, label), name))
                except CorralPluginError:
                    if needed:
                        raise
        return portable.PortablePlugins(tuple(references), tuple(sys.path))

    def _register_checked(self, plugin: object, name: str | None) -> None:
        """Register ``plugin``; a hook implementation that matches no hook
        specification (a typo such as ``corral_conection``) unregisters it again and
        raises :class:`CorralPluginError` naming the hook and the closest real one, so
        a misspelt hook fails loudly at load instead of never being called."""
        self.hooks.register(plugin, name=name)
        unknown = sorted(caller.name for caller in self.hooks.get_hookcallers(plugin) or []
                         if caller.spec is None)
        if not unknown:
            return
        self.hooks.unregister(plugin)
        import difflib
        known = [hook for hook in dir(hookspecs) if hook.startswith(("corral_", _V2_PREFIX))]
        hints = []
        for hook in unknown:
            close = difflib.get_close_matches(hook, known, n=1)
            hints.append(f"'{hook}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        label = name or type(plugin).__name__
        raise CorralPluginError(f"Plugin '{label}' implements unknown hook(s) {', '.join(hints)}: "
                                f"no hook specification has that name (see corral.hookspecs).")

    def missing(self, kind: str, name: str) -> CorralPluginError:
        """The error for a plugin that is not installed, listing what is."""
        installed = ", ".join(self.names(kind)) or "none"
        return CorralPluginError(
            f"No {kind} plugin named '{name}' is installed (installed {kind} plugins: {installed})."
            + _provider_hint(kind, name))

    # -- typed access to each kind ----------------------------------------

    def _answers(self, hook_name: str, plugin: object | None = None, **kwargs: Any) -> list[Candidate[Any]]:
        """Each registered plugin's (or only ``plugin``'s) answer to ``hook_name``,
        with its origin.  For the hooks that provide names, :data:`precedence.RULE`
        replaces pluggy's call order (``tryfirst``/``trylast``), and wrappers, which
        provide nothing, are left out."""
        answers = []
        for impl in getattr(self.hook, hook_name).get_hookimpls():
            if (plugin is not None and impl.plugin is not plugin) or impl.hookwrapper or impl.wrapper:
                continue
            origin = self._origins.get(impl.plugin_name) or precedence.in_code(impl.plugin_name, 0)
            answers.append(Candidate(origin, impl.function(*[kwargs[arg] for arg in impl.argnames])))
        return answers

    def _named_class(self, kind: str, name: str) -> Any:
        key = f"class:{kind}:{name}"
        with self._lock:
            if key not in self._memo and kind != "executor":
                found = self.find_content(kind, name)
                if found is not None:
                    return found
                name = normalize_module_name(name)
            if key not in self._memo:
                if self._entry_point_named(kind, name) is not None:
                    self.load(kind, name)
                found = [c for c in self._answers(f"corral_{kind}", name=name) if c.value is not None]
                if not found and self._entry_point_named(kind, name) is None:
                    raise self.missing(kind, name)
                if not found:
                    raise CorralPluginError(
                        f"The {kind} plugin '{name}' is installed but did not provide '{name}' "
                        f"through the corral_{kind} hook.")
                self._memo[key] = precedence.choose(f"{kind} '{name}'", found, self._warn_once)
            return self._memo[key]

    def find_content(self, kind: str, name: str, collections: Iterable[str] = ()) -> Any | None:
        """What the content plugins (``corral_resolve_content``) answer for ``name``
        of ``kind`` in this run's :attr:`content`, or ``None``; cached until the
        content changes (a playbook or role directory added)."""
        key = (kind, name, tuple(collections))
        with self._lock:
            if self._found_version != self.content.version:
                self._found.clear()
                self._found_version = self.content.version
            if key in self._found:
                return self._found[key]
            self.load_all("content")
            found = self.hook.corral_resolve_content(kind=kind, name=name, collections=key[2],
                                                     context=self.content)
            self._found[key] = found
            return found

    def content_names(self, kind: str) -> list[str]:
        """The names of ``kind`` the content plugins list for this run's :attr:`content`
        (``corral_content_names``), each once, in the order answered."""
        self.load_all("content")
        answers = self.hook.corral_content_names(kind=kind, context=self.content)
        return list(dict.fromkeys(name for answer in answers if answer for name in answer))

    def resolve(self, kind: str, name: str, collections: Iterable[str] = ()) -> Any | None:
        """``name`` of ``kind`` (``module``, ``action``, ``filter``, ``test``,
        ``lookup``) as a task or template uses it: found in the run's content first
        (:meth:`find_content`: plugin folders beside playbooks and roles win over
        installed plugins, as in Ansible), else among the installed plugins under its
        short name (``ansible.builtin.copy`` is ``copy``); ``None`` if nowhere."""
        found = self.find_content(kind, name, collections)
        if found is not None:
            return found
        installed = {"module": self.modules, "action": self.actions, "filter": self.template_filters,
                     "test": self.template_tests, "lookup": self.template_lookups}[kind]()
        return installed.get(normalize_module_name(name))

    def connection_class(self, name: str) -> Any:
        """The connection class for ``ansible_connection`` = ``name``."""
        return self._named_class("connection", name)

    def strategy_class(self, name: str) -> Any:
        """The strategy class named ``name``."""
        return self._named_class("strategy", name)

    def executor_class(self, name: str) -> Any:
        """The executor class named ``name``."""
        return self._named_class("executor", name)

    def cache_class(self, name: str) -> Any:
        """The fact cache class named ``name``."""
        return self._named_class("cache", name)

    def callback_class(self, name: str) -> Any:
        """The callback class named ``name``."""
        return self._named_class("callback", name)

    def become_class(self, name: str) -> Any:
        """The become plugin class for ``become_method`` = ``name``."""
        return self._named_class("become", name)

    def vars_class(self, name: str) -> Any:
        """The vars plugin class named ``name``."""
        return self._named_class("vars", name)

    def _merged(self, kind: str, hook_name: str) -> dict[str, Any]:
        """The pooled hook ``hook_name``'s names, each from the plugin that wins it."""
        with self._lock:
            if hook_name not in self._memo:
                self.load_all(kind)
                by_name: dict[str, list[Candidate[Any]]] = {}
                for answer in sorted(self._answers(hook_name), key=lambda a: a.origin.rank):
                    for item, value in _named_items(hook_name, answer.value):
                        by_name.setdefault(item, []).append(Candidate(answer.origin, value))
                what = POOLED_HOOKS[hook_name]
                self._memo[hook_name] = {item: precedence.choose(f"{what} '{item}'", found, self._warn_once)
                                         for item, found in by_name.items()}
            merged: dict[str, Any] = self._memo[hook_name]
            return merged

    def modules(self) -> dict[str, Any]:
        """Installed modules by name: ``{name: ModuleSpec}``."""
        return self._merged("module", "corral_modules")

    def actions(self) -> dict[str, Any]:
        """Controller-side actions by module name."""
        return self._merged("module", "corral_actions")

    def module_doc_fragment(self, name: str) -> dict[str, Any]:
        """The options of the documentation fragment ``name`` as a module's
        ``extends_documentation_fragment`` writes it: an installed plugin's
        (``corral_module_doc_fragments``, under its short name: ``ansible.builtin.url`` is
        ``url``; the kernel's ``files`` unless a plugin replaces it), else the run's
        content's (``corral_resolve_content``, kind ``doc_fragment``: a collection's
        ``ns.coll.name``), else ``{}``."""
        installed = {"files": FILES_FRAGMENT, **self._merged("module", "corral_module_doc_fragments")}
        declared = installed.get(normalize_module_name(name))
        if declared is None:
            declared = self.find_content("doc_fragment", name)
        return fragment_options(declared) if declared is not None else {}

    def module_documentation(self, spec: ModuleSpec) -> dict[str, Any]:
        """``spec``'s documentation with the options of the fragments it extends
        (:meth:`module_doc_fragment`), as ``corral-doc`` shows it."""
        return spec.documentation(self.module_doc_fragment)

    def action_traits(self, name: str, collections: Iterable[str] = ()) -> ActionTraits:
        """The traits of the action or module ``name`` (as a task writes it, with the
        ``collections`` in scope): declared by its action class, else by its
        ``ModuleSpec`` (:meth:`resolve`); the playbook language's own keywords have
        the kernel's (:data:`corral.plugins.traits.LANGUAGE_TRAITS`)."""
        language = LANGUAGE_TRAITS.get(normalize_module_name(name))
        if language is not None:
            return language
        return traits_of(self.resolve("action", name, collections), self.resolve("module", name, collections))

    def resolved_action(self, name: str, collections: Iterable[str] = ()) -> str:
        """The full name of the action or module a task names ``name`` (with the
        ``collections`` in scope), as Ansible's ``task.resolved_action`` gives it: a
        collection's module by its FQCN after routing, a module of a plugin folder by
        its short name, the language's keywords and corral's installed plugins as
        ``ansible.builtin.<name>``; ``name`` itself when nothing answers to it."""
        short = normalize_module_name(name)
        if short in LANGUAGE_TRAITS:
            return f"ansible.builtin.{short}"
        found = self.find_content("module", name, collections)
        if isinstance(found, ModuleSpec):
            return found.name
        if self.find_content("action", name, collections) is None and (short in self.modules()
                                                                       or short in self.actions()):
            return f"ansible.builtin.{short}"
        return name

    def template_filters(self) -> dict[str, Any]:
        """Jinja2 filters contributed by template plugins."""
        return self._merged("template", "corral_template_filters")

    def template_tests(self) -> dict[str, Any]:
        """Jinja2 tests contributed by template plugins."""
        return self._merged("template", "corral_template_tests")

    def template_lookups(self) -> dict[str, Any]:
        """Lookup classes contributed by template plugins."""
        return self._merged("template", "corral_template_lookups")

    def inventory_plugins(self, enabled: list[str] | None = None) -> list[Any]:
        """Inventory parsers, in the order of ``enabled`` (names) when given."""
        by_name = self._merged("inventory", "corral_inventory_plugins")
        if enabled is None:
            return list(by_name.values())
        found = []
        for name in enabled:
            parser = self.find_content("inventory", name) or by_name.get(normalize_module_name(name))
            if parser is not None:
                found.append(parser)
        return found

    def inventory_check(self, source: str) -> InventoryCheck | None:
        """The ``InventoryCheck`` of ``source`` by the first inventory plugin that
        checks sources of its kind (``corral_inventory_check``), or ``None``."""
        with self._lock:
            self.load_all("inventory")
        check: InventoryCheck | None = self.hook.corral_inventory_check(source=source)
        return check

    # -- callbacks -----------------------------------------------------------

    def register_callback(self, callback: object, name: str, warn: Callable[[str], None]) -> None:
        """Register a callback object so that its ``v2_*`` methods receive events.

        Each method is wrapped so that an exception becomes a warning naming the
        callback and the event, and every other callback still gets the event.
        """
        with self._lock:
            self._register_checked(_GuardedCallback(callback, name, warn),
                                   f"callback-instance:{name}:{id(callback)}")

    def emit(self, event: str, **kwargs: Any) -> None:
        """Send the callback event ``event`` to every registered callback."""
        getattr(self.hook, event)(**kwargs)

    # -- introspection -----------------------------------------------------

    def describe(self, kind: str) -> list[PluginDescription]:
        """Load every installed plugin of ``kind`` and describe it: the hooks it
        implements and the names it provides (``corral-plugins``)."""
        self.load_all(kind)
        described = []
        for info in self.installed(kind):
            chosen = self._entry_point_named(kind, info.name)
            plugin = self._loaded.get((kind, info.name))
            if chosen is not None and chosen.value != info.target:
                winner = self._info(kind, chosen).distribution
                described.append(PluginDescription(info, error=f"not used: '{winner}' declares the same name "
                                                               f"and wins ({precedence.RULE})"))
            elif plugin is None:
                described.append(PluginDescription(info, error=self.load_errors.get((kind, info.name))))
            else:
                hooks = tuple(sorted(caller.name for caller in self.hooks.get_hookcallers(plugin) or ()))
                described.append(PluginDescription(info, hooks, self._provided(plugin, hooks)))
        return described

    def _provided(self, plugin: object, hooks: tuple[str, ...]) -> dict[str, list[str]]:
        provides: dict[str, list[str]] = {}
        for hook_name in hooks:
            named_kind = hook_name.removeprefix("corral_")
            if named_kind in NAMED_KINDS:
                names = [name for name in self.names(named_kind)
                         if any(a.value is not None for a in self._answers(hook_name, plugin, name=name))]
                provides[named_kind] = names
            elif hook_name in POOLED_HOOKS:
                items = [item for answer in self._answers(hook_name, plugin)
                         for item, _ in _named_items(hook_name, answer.value)]
                provides[POOLED_HOOKS[hook_name]] = sorted(items)
        return provides


def _describe(plugin: object) -> str:
    """A readable name for a plugin object in messages."""
    if inspect.ismodule(plugin):
        return plugin.__name__
    qualname = getattr(plugin, "__qualname__", None)
    if isinstance(qualname, str):
        return f"{getattr(plugin, '__module__', '')}.{qualname}"
    return f"{type(plugin).__module__}.{type(plugin).__qualname__} instance"


class _GuardedCallback:
    """Exposes a callback's ``v2_*`` methods with their exact signatures, so pluggy
    passes every argument, and turns their exceptions into warnings.  A callback with
    ``v2_on_any`` gets every event there too, after the event's own method (as Ansible
    calls it)."""

    _corral_callback = True

    def __init__(self, callback: object, name: str, warn: Callable[[str], None]) -> None:
        self.callback = callback
        on_any = getattr(callback, "v2_on_any", None)
        on_any = on_any if callable(on_any) else None
        for attr in dir(hookspecs):
            if attr.startswith(_V2_PREFIX):
                method = getattr(callback, attr, None)
                method = method if callable(method) else None
                if method is not None or on_any is not None:
                    setattr(self, attr, _guard(method, on_any, attr, name, warn, callback))


def _guard(method: Callable[..., Any] | None, on_any: Callable[..., Any] | None, event: str, name: str,
           warn: Callable[[str], None], callback: object) -> Callable[..., Any]:
    """Wrap ``method`` (then ``on_any``) to take the hookspec's arguments and pass on as
    many as the method accepts, positionally (as Ansible calls callbacks).  A
    ``v2_runner_*`` event's result becomes the callback's ``_current_task_result``
    first (when it has one), so that ``_handle_exception`` called by the method
    itself shows the task's origin, as in Ansible."""
    tracks_result = event.startswith("v2_runner_") and hasattr(callback, "_current_task_result")
    spec_params = list(inspect.signature(getattr(hookspecs, event)).parameters)
    try:
        own = list(inspect.signature(method).parameters.values()) if method is not None else []
    except (TypeError, ValueError):
        own = []
    if any(p.kind is p.VAR_POSITIONAL for p in own) or not own:
        count = len(spec_params)
    else:
        count = sum(1 for p in own if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))

    def call(args: tuple[Any, ...]) -> None:
        if tracks_result and args:
            setattr(callback, "_current_task_result", args[0])
        for called, label, passed in ((method, event, args[:count]), (on_any, "v2_on_any", args)):
            if called is None:
                continue
            try:
                called(*passed)
            except Exception as exc:  # noqa: BLE001 - a callback must not break the run
                warn(f"Failure using method ({label}) in callback plugin ({name}): {type(exc).__name__}: {exc}")

    # pluggy reads parameter names from the function's code object: build a
    # function whose parameters are exactly the hookspec's.
    params = ", ".join(spec_params)
    namespace: dict[str, Any] = {"_call": call}
    exec(f"def {event}({params}):\n    _call(({params}{',' if spec_params else ''}))\n", namespace)  # noqa: S102
    guarded: Callable[..., Any] = namespace[event]
    return guarded
