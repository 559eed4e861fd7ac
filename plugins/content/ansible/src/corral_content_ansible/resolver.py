"""The ``corral_resolve_content`` hook: Ansible content by name, for one run.

Names are resolved as ansible-core 2.21 resolves them:

- ``ns.coll.x``: the collection's plugin, after its ``meta/runtime.yml`` routing;
- ``ansible.builtin.x``: corral's own plugin (the kernel's answer, ``None`` here),
  unless ansible-core routes that builtin name to a collection (``timezone`` ->
  ``community.general.timezone``, :mod:`corral_content_ansible.routing`), which then
  must be installed;
- ``ansible.legacy.x``: the plugin folders (``library/``, ``filter_plugins/``, ...
  beside playbooks and roles, then configured: :mod:`corral_content_ansible.folders`),
  then as ``ansible.builtin.x``;
- a short name ``x`` used by a task (modules and actions): each collection of the
  ``collections`` keyword in scope, innermost first, then as ``ansible.legacy.x``;
  elsewhere (filters, tests, lookups, named plugins): as ``ansible.legacy.x``.

Modules are answered as :class:`~corral.plugins.module.ModuleSpec` (see
:mod:`corral_content_ansible.modules`); filters and tests as the functions their
``FilterModule``/``TestModule`` return; roles and playbooks as
:class:`~corral.plugins.content.ContentPath`; the other kinds are imported and handed
to :func:`corral_content_ansible.adapters.adapt`, which makes corral plugins of them;
a documentation fragment ``ns.coll.name`` (kind ``doc_fragment``) as the text of its
``ModuleDocFragment`` (:func:`corral_content_ansible.doc_fragments.collection_fragment_doc`).

A name not found is left to the installed plugins (``None``); when the resolver
knows why it is missing (a collection not installed, the collections searched) it
says so in ``context.not_found[name]``, which the kernel adds to its error.
"""
from __future__ import annotations

import functools
import importlib
import os
import types
from collections.abc import Callable
from typing import Any

from corral.errors import CorralPluginError
from corral.plugins import ContentContext, ContentPath, hookimpl

from corral_content_ansible import importer
from corral_content_ansible._ansible.release import __version__ as ANSIBLE_VERSION
from corral_content_ansible.collections import Collection, CollectionIndex, split_fqcn
from corral_content_ansible.folders import find_file, plugin_files, search_dirs
from corral_content_ansible.modules import MODULE_SUFFIXES, module_spec
from corral_content_ansible.paths import collection_roots, plugin_dirs
from corral_content_ansible.plugin_filters import rejected_modules
from corral_content_ansible.routing import BUILTIN, builtin_routes, route
from corral_content_ansible.settings import OPTIONS, content_settings

#: this layer's settings (``OPTIONS``): the ``--version`` of the CLIs shows its paths
__all__ = ["corral_content_names", "corral_resolve_content", "OPTIONS"]

LEGACY = "ansible.legacy"
#: the collection names of corral's own plugins
BUILTINS = (BUILTIN, "corral.builtin")
_STATE = "corral_content_ansible"

#: the folder under a collection's ``plugins/`` of each kind
_COLLECTION_FOLDER = {"module": "modules", "action": "action", "filter": "filter", "test": "test",
                      "lookup": "lookup", "callback": "callback", "connection": "connection", "become": "become",
                      "vars": "vars", "cache": "cache", "strategy": "strategy", "inventory": "inventory"}
#: the kinds chosen by name from configuration and variables (one plugin each)
_NAMED = frozenset({"callback", "connection", "become", "vars", "cache", "strategy", "inventory"})
#: the name of the class in a filter or test plugin file, and its method that lists them
_JINJA = {"filter": ("FilterModule", "filters"), "test": ("TestModule", "tests")}


class _RunState:
    """What one run's content is, computed once per ``context.version``."""

    def __init__(self, context: ContentContext) -> None:
        self.version = context.version
        self.context = context
        self.roots = collection_roots(context)
        self.index = CollectionIndex(self.roots)
        self.jinja: dict[str, dict[str, Any]] = {}
        self._dirs: dict[str, list[str]] = {}
        self._checked: set[str] = set()
        self.rejected = rejected_modules(context.config)
        importer.add_roots(self.roots)

    def route(self, kind: str, fqcn: str) -> str:
        return route(kind, fqcn, self.index, self.context.deprecate)

    def collection(self, fqcn: str) -> Collection | None:
        """The installed collection ``fqcn``; the first time it is used, one that does not
        support this Ansible version is a warning or an error
        (``collections_on_ansible_version_mismatch``), as in Ansible."""
        found = self.index.get(fqcn)
        if found is not None and fqcn not in self._checked:
            self._checked.add(fqcn)
            if not found.supports(ANSIBLE_VERSION):
                message = f"Collection {fqcn} does not support Ansible version {ANSIBLE_VERSION}"
                action = content_settings(self.context.config)["collections_on_ansible_version_mismatch"]
                if action == "error":
                    raise CorralPluginError(message)
                if action == "warning":
                    self.context.warn(message)
        return found

    def dirs(self, kind: str) -> list[str]:
        """The plugin folders searched for ``kind`` (:func:`~corral_content_ansible.folders.search_dirs`)."""
        if kind not in self._dirs:
            self._dirs[kind] = search_dirs(self.context, kind)
        return self._dirs[kind]


def _state(context: ContentContext) -> _RunState:
    with context.lock:
        state = context.cache.get(_STATE)
        if not isinstance(state, _RunState) or state.version != context.version:
            state = _RunState(context)
            context.cache[_STATE] = state
        return state


def _missing(context: ContentContext, name: str, text: str) -> None:
    with context.lock:
        context.not_found.setdefault(name, text)


def _install_hint(fqcn: str, state: _RunState) -> str:
    where = ", ".join(state.roots) or "none"
    return (f"The collection '{fqcn}' is not installed (collection roots searched: {where}); install it with "
            f"'corral-galaxy collection install {fqcn}'.")


# -- finding a plugin's file -----------------------------------------------------------------------


def _in_collection(state: _RunState, kind: str, fqcn: str, name: str) -> tuple[str, str] | None:
    """``(final FQCN, file)`` of the ``kind`` plugin ``fqcn`` after routing, or ``None``;
    notes a routing target whose collection is not installed."""
    final = state.route(kind, fqcn)
    collection_name, short = split_fqcn(final) or (BUILTIN, final)
    if collection_name in (LEGACY, *BUILTINS):
        return None
    collection = state.collection(collection_name)
    if collection is None:
        _missing(state.context, name, _install_hint(collection_name, state))
        return None
    suffixes = MODULE_SUFFIXES if kind == "module" else (".py",)
    path = collection.plugin_file(_COLLECTION_FOLDER[kind], short, suffixes)
    return (final, path) if path is not None else None


def _corral_provides(kind: str, short: str) -> bool:
    """Whether an installed corral distribution provides the named ``kind`` plugin
    ``short`` (entry point ``short`` in group ``corral.<kind>``)."""
    import importlib.metadata       # here: reading the metadata is start-up time a run may not need
    return any(point.name == short for point in importlib.metadata.entry_points(group=f"corral.{kind}"))


def _builtin(state: _RunState, kind: str, short: str, name: str) -> tuple[str, str] | None:
    """A builtin name ansible-core routes to a collection, found there (``None``
    otherwise: corral's own plugin, if any, answers).  A named plugin that corral
    provides itself (its ``json`` callback) is corral's, not the collection's."""
    if short not in builtin_routes(kind) or (kind in _NAMED and _corral_provides(kind, short)):
        return None
    return _in_collection(state, kind, f"{BUILTIN}.{short}", name)


def _in_folders(state: _RunState, kind: str, short: str) -> tuple[str, str] | None:
    """A plugin file ``short`` in the folders; a module may also be ``_short`` (the
    name Ansible gives deprecated modules)."""
    suffixes = MODULE_SUFFIXES if kind == "module" else (".py",)
    path = find_file(state.dirs(kind), short, suffixes)
    if path is None and kind == "module":
        path = find_file(state.dirs(kind), f"_{short}", suffixes)
    return (short, path) if path is not None else None


def _legacy(state: _RunState, kind: str, short: str, name: str) -> tuple[str, str] | None:
    return _in_folders(state, kind, short) or _builtin(state, kind, short, name)


def _find(state: _RunState, kind: str, name: str, collections: tuple[str, ...]) -> tuple[str, str] | None:
    """``(resolved name, file)`` of the ``kind`` plugin ``name`` (see the module docstring)."""
    split = split_fqcn(name)
    if split is not None:
        collection_name, short = split
        if collection_name in BUILTINS:
            return _builtin(state, kind, short, name)
        if collection_name == LEGACY:
            return _legacy(state, kind, short, name)
        if state.collection(collection_name) is None:
            _missing(state.context, name, _install_hint(collection_name, state))
            return None
        return _in_collection(state, kind, name, name)
    if "." in name:
        return None
    for collection_name in collections:
        if collection_name in BUILTINS:
            found = _builtin(state, kind, name, name)
        elif collection_name == LEGACY:
            found = _in_folders(state, kind, name)
        elif state.collection(collection_name) is not None:
            found = _in_collection(state, kind, f"{collection_name}.{name}", name)
        else:
            found = None
        if found is not None:
            return found
    found = _legacy(state, kind, name, name)
    if found is None and collections and kind == "module":
        searched = ", ".join(dict.fromkeys([*collections, LEGACY]))
        _missing(state.context, name, f"Searched the collections {searched}.")
    return found


# -- making corral objects of what was found ----------------------------------------------------


def _import(kind: str, resolved: str, path: str) -> types.ModuleType:
    """The plugin module at ``path``: a collection's under its package name
    (``ansible_collections.ns.coll.plugins.lookup.x``), a folder's as a file of its own."""
    split = split_fqcn(resolved)
    if split is not None and path.endswith(".py"):
        collection_name, short = split
        return importlib.import_module(f"ansible_collections.{collection_name}.plugins."
                                       f"{_COLLECTION_FOLDER[kind]}.{short}")
    return importer.load_file(path, f"ansible.plugins.{kind}")


def _adapt(kind: str, module: types.ModuleType, name: str) -> Any:
    """The corral object for an Ansible plugin module (``corral_content_ansible.adapters``)."""
    adapters = importlib.import_module("corral_content_ansible.adapters")
    adapt: Callable[[str, types.ModuleType, str], Any] = adapters.adapt
    return adapt(kind, module, name)


def _as_test(function: Callable[..., Any]) -> Callable[..., bool]:
    """A test plugin's function whose answer is a bool, as Ansible makes it (Jinja2's
    ``pass_context``-style markers are kept)."""
    @functools.wraps(function)
    def test(*args: Any, **kwargs: Any) -> bool:
        return bool(function(*args, **kwargs))
    return test


def _jinja_names(state: _RunState, kind: str, key: str,
                 files: list[tuple[str, Callable[[], types.ModuleType]]], warn: bool) -> dict[str, Any]:
    """The filters or tests of the plugin ``files`` (``(label, import it)`` pairs),
    merged (first wins), once per run.  A file that fails to load or to list its
    plugins is skipped, with Ansible's warning when ``warn``."""
    if key not in state.jinja:
        cls_name, method = _JINJA[kind]
        merged: dict[str, Any] = {}
        for label, load in files:
            try:
                cls = getattr(load(), cls_name, None)
                found = getattr(cls(), method)() if cls is not None else {}
            except Exception as exc:        # a broken plugin file must not hide the others
                if warn:
                    state.context.warn(f"Skipping {kind} plugins in {label}'; an error occurred while loading: {exc}")
                continue
            for item, function in (found or {}).items():
                merged.setdefault(item, _as_test(function) if kind == "test" else function)
        state.jinja[key] = merged
    return state.jinja[key]


def _jinja(state: _RunState, kind: str, name: str) -> Any:
    """A filter or test function by name."""
    split = split_fqcn(name)
    collection_name, short = split if split is not None else (LEGACY, name)
    if collection_name == LEGACY:
        paths = plugin_files(state.dirs(kind))
        found = _jinja_names(state, kind, f"{kind}:{paths}", [
            (path, functools.partial(importer.load_file, path, f"ansible.plugins.{kind}")) for path in paths], False)
        if short in found:
            return found[short]
    if collection_name in (LEGACY, *BUILTINS):
        if short not in builtin_routes(kind):
            return None
        name = f"{BUILTIN}.{short}"
    collection_name, short = split_fqcn(state.route(kind, name)) or (BUILTIN, name)
    collection = state.collection(collection_name) if collection_name not in (LEGACY, *BUILTINS) else None
    if collection is None:
        if collection_name not in (LEGACY, *BUILTINS):
            _missing(state.context, name, _install_hint(collection_name, state))
        return None
    folder = os.path.join(collection.path, "plugins", kind)
    stems = sorted(os.path.splitext(f)[0] for f in os.listdir(folder) if f.endswith(".py")
                   and not f.startswith("_")) if os.path.isdir(folder) else []
    stems.sort(key=lambda stem: stem != short)          # the file named like the plugin first
    package = f"ansible_collections.{collection_name}.plugins.{kind}"
    return _jinja_names(state, kind, f"{kind}:{collection_name}", [
        (f"{collection_name}.{stem}", functools.partial(importlib.import_module, f"{package}.{stem}"))
        for stem in stems], True).get(short)


def _role_or_playbook(state: _RunState, kind: str, name: str, collections: tuple[str, ...]) -> ContentPath | None:
    folder, suffixes = ("roles", ("",)) if kind == "role" else ("playbooks", (".yml", ".yaml", ""))
    split = split_fqcn(name)
    # a role's short name is searched in the collections in scope; a playbook is named in full
    candidates = [split] if split is not None else \
        [(c, name) for c in collections] if kind == "role" and "." not in name else []
    for collection_name, short in candidates:
        collection = state.collection(collection_name) if collection_name not in (LEGACY, *BUILTINS) else None
        if collection is None:
            if split is not None and collection_name not in (LEGACY, *BUILTINS):
                _missing(state.context, name, _install_hint(collection_name, state))
            continue
        path = collection.content_file(folder, short, suffixes)
        if path is not None and (os.path.isdir(path) if kind == "role" else os.path.isfile(path)):
            return ContentPath(path, collection_name)
    return None


@hookimpl
def corral_resolve_content(kind: str, name: str, collections: tuple[str, ...], context: ContentContext) -> Any:
    """Ansible content named ``name`` of ``kind`` for the run of ``context`` (see the
    module docstring), or ``None`` to leave it to the installed plugins."""
    state = _state(context)
    if kind in ("role", "playbook"):
        return _role_or_playbook(state, kind, name, collections)
    if kind in _JINJA:
        adapters = importlib.import_module("corral_content_ansible.adapters")
        return adapters.template_plugin(kind, name, _jinja(state, kind, name))
    if kind == "doc_fragment":
        return importlib.import_module("corral_content_ansible.doc_fragments").collection_fragment_doc(name)
    if kind not in _COLLECTION_FOLDER:
        return None
    if kind in ("module", "action") and (split_fqcn(name) or (BUILTIN, name))[1] in state.rejected \
            and (split_fqcn(name) or (BUILTIN, name))[0] in (LEGACY, *BUILTINS):
        raise CorralPluginError(f"couldn't resolve module/action '{name}'. This often indicates a misspelling, "
                                f"missing collection, or incorrect module path.")
    found = _find(state, kind, name, collections if kind in ("module", "action") else ())
    if found is None:
        return None
    resolved, path = found
    if kind == "module":
        split = split_fqcn(resolved)
        return module_spec(resolved, path, plugin_dirs(context, "module_utils"), state.roots,
                           split[0] if split is not None else None)
    try:
        module = _import(kind, resolved, path)
    except ImportError as exc:
        raise CorralPluginError(f"The {kind} plugin '{name}' ({path}) could not be loaded: {exc}") from exc
    return _adapt(kind, module, resolved)


@hookimpl
def corral_content_names(kind: str, context: ContentContext) -> list[str] | None:
    """The vars plugins of the run's ``vars_plugins/`` folders (beside playbooks and
    roles, then configured; their subfolders too), by file name: Ansible runs them
    unless they require enabling.  A collection's vars plugins run only when
    ``vars_plugins_enabled`` names them, so they are not listed."""
    if kind != "vars":
        return None
    return [os.path.splitext(os.path.basename(path))[0] for path in plugin_files(search_dirs(context, "vars"))]
