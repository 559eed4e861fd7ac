"""Finding plugins (stevedore) and calling them (pluggy), one manager per run.

stevedore reads the entry points of each kind's group (``corral.<kind>``) and loads
the ones a run needs: the one strategy, executor or stdout callback named by
configuration (DriverManager-style, by name), the enabled callbacks in their order,
every inventory, module and template plugin.  Each loaded object is registered on
this manager's own pluggy ``PluginManager``; nothing is kept in module-level
registries, so several runs in one process do not see each other's plugins.

A plugin that fails to import is recorded (``load_errors``) and reported as a warning
naming the plugin and its distribution; unrelated plugins and runs go on.
"""
from __future__ import annotations

import dataclasses
import functools
import difflib
import importlib.metadata
import inspect
import os
import threading
from typing import Any, Callable, Iterable

import pluggy
from stevedore import ExtensionManager

from corral import hookspecs
from corral.errors import CorralPluginError

__all__ = ["KINDS", "PluginInfo", "PluginManager", "STANDARD_DISTRIBUTIONS"]

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
}

#: which distribution provides each standard plugin, for "install X" messages
STANDARD_DISTRIBUTIONS: dict[tuple[str, str], str] = {
    ("connection", "local"): "corral-connection-local",
    ("connection", "ssh"): "corral-connection-ssh",
    ("connection", "paramiko"): "corral-connection-ssh",
    ("strategy", "linear"): "corral-strategy-linear",
    ("strategy", "free"): "corral-strategy-free",
    ("executor", "forking"): "corral-executor-forking",
    ("cache", "memory"): "corral-cache-memory",
    ("cache", "jsonfile"): "corral-cache-jsonfile",
    ("callback", "default"): "corral-callback-default",
    ("callback", "json"): "corral-callback-json",
    ("callback", "minimal"): "corral-callback-minimal",
    ("callback", "oneline"): "corral-callback-oneline",
    ("callback", "tree"): "corral-callback-tree",
    ("inventory", "host_list"): "corral-inventory-host-list",
    ("inventory", "ini"): "corral-inventory-ini",
    ("inventory", "yaml"): "corral-inventory-yaml",
    ("inventory", "script"): "corral-inventory-script",
    ("inventory", "constructed"): "corral-inventory-constructed",
    ("inventory", "auto"): "corral-inventory-auto",
    ("inventory", "toml"): "corral-inventory-toml",
}

_V2_PREFIX = "v2_"


@dataclasses.dataclass(frozen=True)
class PluginInfo:
    """One installed plugin: its kind, name, entry point and distribution."""

    kind: str
    name: str
    target: str
    distribution: str
    version: str


@functools.lru_cache(maxsize=1)
def _distributions_by_module() -> dict[str, tuple[str, str]]:
    """Map top-level import names to (distribution, version); read once per process."""
    found: dict[str, tuple[str, str]] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        tops = (dist.read_text("top_level.txt") or "").split()
        for ep in dist.entry_points:
            if ep.group.startswith("corral."):
                tops.append(ep.value.split(":")[0].split(".")[0])
        for top in tops:
            found.setdefault(top, (name, dist.version))
    return found


def distribution_of(target: str) -> tuple[str, str]:
    """Return (distribution, version) that provides the entry point ``target``."""
    top = target.split(":")[0].split(".")[0]
    return _distributions_by_module().get(top, ("unknown", ""))


def _provider_hint(kind: str, name: str) -> str:
    dist = STANDARD_DISTRIBUTIONS.get((kind, name))
    if dist:
        return f" It is provided by the distribution '{dist}' (pip install {dist})."
    return f" Install a distribution that declares a '{KINDS[kind]}' entry point named '{name}'."


class _CorralPluggy(pluggy.PluginManager):
    """pluggy manager that also treats the ``v2_*`` methods of callback objects as
    hook implementations, so an Ansible-style ``CallbackBase`` registers as written."""

    def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
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
        self._warn = warn or (lambda message: None)
        self._loaded: dict[tuple[str, str], object] = {}
        self._all_loaded: set[str] = set()
        self.load_errors: dict[tuple[str, str], str] = {}
        self._lock = threading.RLock()
        self._memo: dict[str, Any] = {}

    # -- discovery ---------------------------------------------------------

    def _allowed(self, kind: str, name: str) -> bool:
        return self._allow is None or name in self._allow or f"{kind}:{name}" in self._allow

    def _entry_points(self, kind: str) -> list[importlib.metadata.EntryPoint]:
        points = ExtensionManager.list_entry_points(_Namespace(KINDS[kind]))  # type: ignore[arg-type]
        return [ep for ep in points if self._allowed(kind, ep.name)]

    def installed(self, kind: str) -> list[PluginInfo]:
        """List the installed plugins of ``kind`` (loading none of them)."""
        infos = []
        for ep in self._entry_points(kind):
            dist, version = distribution_of(ep.value)
            infos.append(PluginInfo(kind, ep.name, ep.value, dist, version))
        return sorted(infos, key=lambda info: info.name)

    def names(self, kind: str) -> list[str]:
        """Names of the installed plugins of ``kind`` (looked up once per manager:
        the executor asks for every task on every host)."""
        key = f"names:{kind}"
        with self._lock:
            if key not in self._memo:
                self._memo[key] = sorted(ep.name for ep in self._entry_points(kind))
            return list(self._memo[key])

    # -- loading -------------------------------------------------------------

    def _load_entry_point(self, kind: str, ep: importlib.metadata.EntryPoint) -> object | None:
        key = (kind, ep.name)
        if key in self._loaded:
            return self._loaded[key]
        if key in self.load_errors:
            return None
        try:
            plugin = ep.load()
            self._register_checked(plugin, f"{kind}:{ep.name}")
        except Exception as exc:  # noqa: BLE001 - any import error of third-party code
            dist, version = distribution_of(ep.value)
            message = (f"Failed to load {kind} plugin '{ep.name}' ({ep.value}) from distribution "
                       f"'{dist}' {version}: {type(exc).__name__}: {exc}")
            self.load_errors[key] = message
            self._warn(message)
            return None
        self._loaded[key] = plugin
        return plugin

    def load(self, kind: str, name: str) -> object:
        """Load and register the plugin ``name`` of ``kind``; raise a clear error if
        it is not installed or fails to load."""
        with self._lock:
            if (kind, name) in self._loaded:
                return self._loaded[(kind, name)]
            for ep in self._entry_points(kind):
                if ep.name == name:
                    plugin = self._load_entry_point(kind, ep)
                    if plugin is None:
                        raise CorralPluginError(self.load_errors[(kind, name)])
                    return plugin
            raise self.missing(kind, name)

    def load_all(self, kind: str) -> list[object]:
        """Load and register every installed plugin of ``kind`` (failures are warned)."""
        with self._lock:
            if kind not in self._all_loaded:
                for ep in self._entry_points(kind):
                    self._load_entry_point(kind, ep)
                self._all_loaded.add(kind)
            return [plugin for (k, _), plugin in self._loaded.items() if k == kind]

    def register(self, plugin: object, name: str | None = None) -> None:
        """Register an object carrying hook implementations (tests, embedding apps)."""
        with self._lock:
            self._register_checked(plugin, name)
            self._memo.clear()

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

    def _named_class(self, kind: str, name: str) -> Any:
        # memoized: the executor asks for the connection class of every task on every host
        key = f"class:{kind}:{name}"
        found = self._memo.get(key)
        if found is not None:
            return found
        hook = getattr(self.hook, f"corral_{kind}")
        found = hook(name=name)
        if found is None:
            self.load(kind, name)
            found = hook(name=name)
        if found is None:
            raise CorralPluginError(
                f"The {kind} plugin '{name}' is installed but did not provide '{name}' "
                f"through the corral_{kind} hook.")
        self._memo[key] = found
        return found

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

    def _merged(self, kind: str, hook_name: str) -> dict[str, Any]:
        with self._lock:
            if hook_name not in self._memo:
                self.load_all(kind)
                merged: dict[str, Any] = {}
                # pluggy returns results last-registered first; earlier plugins lose.
                for part in reversed(getattr(self.hook, hook_name)()):
                    merged.update(part or {})
                self._memo[hook_name] = merged
            return self._memo[hook_name]

    def modules(self) -> dict[str, Any]:
        """Installed modules by name: ``{name: ModuleSpec}``."""
        with self._lock:
            if "corral_modules" not in self._memo:
                self.load_all("module")
                found: dict[str, Any] = {}
                for part in reversed(self.hook.corral_modules()):
                    for spec in part or ():
                        found[spec.name] = spec
                self._memo["corral_modules"] = found
            return self._memo["corral_modules"]

    def actions(self) -> dict[str, Any]:
        """Controller-side actions by module name."""
        return self._merged("module", "corral_actions")

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
        with self._lock:
            self.load_all("inventory")
            parsers = [p for part in reversed(self.hook.corral_inventory_plugins()) for p in part or ()]
        if enabled is None:
            return parsers
        by_name = {p.NAME: p for p in parsers}
        return [by_name[name] for name in enabled if name in by_name]

    # -- callbacks -----------------------------------------------------------

    def register_callback(self, callback: object, name: str, warn: Callable[[str], None]) -> None:
        """Register a callback object so that its ``v2_*`` methods receive events.

        Each method is wrapped so that an exception becomes a warning naming the
        callback and the event, and every other callback still gets the event.
        """
        self.register(_GuardedCallback(callback, name, warn), name=f"callback-instance:{name}:{id(callback)}")

    def emit(self, event: str, **kwargs: Any) -> None:
        """Send the callback event ``event`` to every registered callback."""
        getattr(self.hook, event)(**kwargs)


class _Namespace:
    """Just enough of an ExtensionManager for stevedore's cached entry point listing."""

    ENTRY_POINT_CACHE = ExtensionManager.ENTRY_POINT_CACHE

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace


class _GuardedCallback:
    """Exposes a callback's ``v2_*`` methods with their exact signatures, so pluggy
    passes every argument, and turns their exceptions into warnings."""

    _corral_callback = True

    def __init__(self, callback: object, name: str, warn: Callable[[str], None]) -> None:
        self.callback = callback
        for attr in dir(callback):
            if attr.startswith(_V2_PREFIX) and hasattr(hookspecs, attr):
                method = getattr(callback, attr)
                if callable(method):
                    setattr(self, attr, _guard(method, attr, name, warn))


def _guard(method: Callable[..., Any], event: str, name: str, warn: Callable[[str], None]) -> Callable[..., Any]:
    """Wrap ``method`` to take the hookspec's arguments and pass on as many as the
    method accepts, positionally (as Ansible calls callbacks)."""
    spec_params = list(inspect.signature(getattr(hookspecs, event)).parameters)
    try:
        own = list(inspect.signature(method).parameters.values())
    except (TypeError, ValueError):
        own = []
    if any(p.kind is p.VAR_POSITIONAL for p in own) or not own:
        count = len(spec_params)
    else:
        count = sum(1 for p in own if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))

    def call(args: tuple[Any, ...]) -> None:
        try:
            method(*args[:count])
        except Exception as exc:  # noqa: BLE001 - a callback must not break the run
            warn(f"Failure using method ({event}) in callback plugin ({name}): {type(exc).__name__}: {exc}")

    # pluggy reads parameter names from the function's code object: build a
    # function whose parameters are exactly the hookspec's.
    params = ", ".join(spec_params)
    namespace: dict[str, Any] = {"_call": call}
    exec(f"def {event}({params}):\n    _call(({params}{',' if spec_params else ''}))\n", namespace)  # noqa: S102
    guarded = namespace[event]
    return guarded
