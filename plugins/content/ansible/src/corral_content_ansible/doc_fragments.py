"""Documentation fragments: the options a plugin's ``DOCUMENTATION`` gets from
``extends_documentation_fragment``.

Ansible's own fragments that controller plugins extend (``constructed``,
``inventory_cache``, the callback ones) are declared here as corral's options, with
the sources Ansible documents for them; a collection's fragment
(``community.general.proxmox``, ``ns.coll.name.SUBSET``) is read from its
``plugins/doc_fragments/<name>.py`` (``ModuleDocFragment.DOCUMENTATION``, or the
upper-cased attribute for a subset).  :data:`FRAGMENTS` is the lazy mapping
:func:`corral.plugins.options.options_from_documentation` reads; a module's
documentation gets a collection's fragment through the resolver (content kind
``doc_fragment``: :func:`collection_fragment_doc`).
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Any

from corral.plugins.callback import DEFAULT_CALLBACK_OPTIONS, RESULT_FORMAT_OPTIONS
from corral.plugins.options import Option, options_from_documentation

__all__ = ["FRAGMENTS", "collection_fragment_doc", "CONSTRUCTED_OPTIONS", "INVENTORY_CACHE_OPTIONS"]

#: the options of Ansible's ``constructed`` fragment (Constructable inventory plugins)
CONSTRUCTED_OPTIONS: dict[str, Option] = {o.name: o for o in (
    Option("strict", False, "bool", description="Fail on template errors in compose, groups and keyed_groups."),
    Option("compose", {}, "dict", description="Host variables made from Jinja2 expressions."),
    Option("groups", {}, "dict", description="Groups whose members are the hosts a condition is true for."),
    Option("keyed_groups", [], "list", description="Groups named from the values of host variables."),
    Option("leading_separator", True, "bool", description="Start a keyed group name with the separator "
                                                          "when it has no prefix."),
    Option("use_extra_vars", False, "bool", env=("ANSIBLE_INVENTORY_USE_EXTRA_VARS",),
           ini=(("inventory_plugins", "use_extra_vars"),), description="Templates see the extra vars."),
)}

#: the options of Ansible's ``inventory_cache`` fragment (Cacheable inventory plugins)
INVENTORY_CACHE_OPTIONS: dict[str, Option] = {o.name: o for o in (
    Option("cache", False, "bool", env=("ANSIBLE_INVENTORY_CACHE",), ini=(("inventory", "cache"),),
           description="Cache the source's data."),
    Option("cache_plugin", "memory", "str", env=("ANSIBLE_CACHE_PLUGIN", "ANSIBLE_INVENTORY_CACHE_PLUGIN"),
           ini=(("defaults", "fact_caching"), ("inventory", "cache_plugin")),
           description="The cache plugin that keeps the data."),
    Option("cache_timeout", 3600, "int", env=("ANSIBLE_CACHE_PLUGIN_TIMEOUT", "ANSIBLE_INVENTORY_CACHE_TIMEOUT"),
           ini=(("defaults", "fact_caching_timeout"), ("inventory", "cache_timeout")),
           description="Seconds the cached data stays valid."),
    Option("cache_connection", None, "str",
           env=("ANSIBLE_CACHE_PLUGIN_CONNECTION", "ANSIBLE_INVENTORY_CACHE_CONNECTION"),
           ini=(("defaults", "fact_caching_connection"), ("inventory", "cache_connection")),
           description="Where the cache plugin keeps data (a directory for jsonfile)."),
    Option("cache_prefix", "ansible_inventory_", "str",
           env=("ANSIBLE_CACHE_PLUGIN_PREFIX", "ANSIBLE_INVENTORY_CACHE_PLUGIN_PREFIX"),
           ini=(("defaults", "fact_caching_prefix"), ("inventory", "cache_prefix")),
           description="The prefix of the cache's keys."),
)}

_BUILTIN: dict[str, dict[str, Option]] = {
    "constructed": CONSTRUCTED_OPTIONS,
    "inventory_cache": INVENTORY_CACHE_OPTIONS,
    "default_callback": dict(DEFAULT_CALLBACK_OPTIONS),
    "result_format_callback": dict(RESULT_FORMAT_OPTIONS),
}


def collection_fragment_doc(name: str) -> str | None:
    """The ``DOCUMENTATION`` text of the collection's fragment ``ns.coll.name`` (the
    upper-cased attribute for ``ns.coll.name.subset``), as Ansible reads it from
    ``plugins/doc_fragments/<name>.py``; ``None`` when there is none."""
    parts = name.split(".")
    if len(parts) < 3:
        return None
    namespace, collection, fragment = parts[0], parts[1], parts[2]
    attribute = parts[3].upper() if len(parts) > 3 else "DOCUMENTATION"
    try:
        module = importlib.import_module(f"ansible_collections.{namespace}.{collection}.plugins.doc_fragments."
                                         f"{fragment}")
    except ImportError:
        return None
    doc = getattr(getattr(module, "ModuleDocFragment", None), attribute, None)
    return doc if isinstance(doc, str) else None


def _collection_fragment(name: str) -> dict[str, Option]:
    doc = collection_fragment_doc(name)
    return options_from_documentation(doc, FRAGMENTS) if doc is not None else {}


class _Fragments(Mapping[str, Mapping[str, Option]]):
    """Fragment name -> its options, found on first use (builtin or collection)."""

    def __init__(self) -> None:
        self._found: dict[str, dict[str, Option]] = {}

    def __getitem__(self, name: str) -> Mapping[str, Option]:
        if name not in self._found:
            short = name[len("ansible.builtin."):] if name.startswith("ansible.builtin.") else name
            self._found[name] = _BUILTIN.get(short) or _collection_fragment(name)
        return self._found[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def __bool__(self) -> bool:  # every name may be a fragment, even before one is found
        return True


FRAGMENTS = _Fragments()
