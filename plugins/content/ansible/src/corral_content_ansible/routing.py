"""``meta/runtime.yml`` plugin routing: redirects, tombstones, deprecations.

A collection may say, per plugin kind and name, that a plugin moved (``redirect:
other.coll.name``), was removed (``tombstone:`` with ``warning_text`` and
``removal_version`` or ``removal_date``) or will be (``deprecation:``, same keys).
:func:`route` follows an FQCN through those entries as Ansible does: redirects are
followed (a loop is an error naming the path), a tombstone is an error with its
message, a deprecation is shown as the run shows deprecations
(``[DEPRECATION WARNING]: ...``).

``ansible.builtin`` is not a collection on disk under corral; its routing is the table
``builtin_routing.json`` (made by ``scripts/builtin-routing`` from what ansible-core
was observed to do): a short builtin name such as ``timezone`` leads to the
collection that holds that plugin now (``community.general.timezone``).
"""
from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from typing import Any

from corral.errors import CorralPluginError

from corral_content_ansible.collections import CollectionIndex, split_fqcn

__all__ = ["BUILTIN", "SECTIONS", "builtin_routes", "route"]

BUILTIN = "ansible.builtin"

#: the ``plugin_routing`` section of each content kind
SECTIONS = {"module": "modules", "action": "action", "filter": "filter", "test": "test", "lookup": "lookup",
            "callback": "callback", "connection": "connection", "become": "become", "vars": "vars",
            "cache": "cache", "strategy": "strategy", "inventory": "inventory"}

#: ``deprecate(message, removal_version, removal_date, collection)``
Deprecate = Callable[[str, "str | None", "str | None", str], None]

_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "builtin_routing.json")


@functools.cache
def _builtin_table() -> dict[str, dict[str, str]]:
    with open(_TABLE, encoding="utf-8") as handle:
        table: dict[str, dict[str, str]] = json.load(handle)
    return table


def builtin_routes(kind: str) -> dict[str, str]:
    """``{short name: FQCN}`` of the ``ansible.builtin`` names of ``kind`` that
    ansible-core routes to a collection (actions follow their modules)."""
    return _builtin_table().get("module" if kind == "action" else kind, {})


def _entry(kind: str, fqcn: str, index: CollectionIndex) -> dict[str, Any]:
    split = split_fqcn(fqcn)
    if split is None:
        return {}
    collection_name, short = split
    if collection_name == BUILTIN:
        target = builtin_routes(kind).get(short)
        return {"redirect": target} if target else {}
    collection = index.get(collection_name)
    if collection is None:
        return {}
    entry = collection.routing(SECTIONS[kind], short)
    if not entry and kind == "action":          # an action moves with its module
        entry = {k: v for k, v in collection.routing("modules", short).items() if k == "redirect"}
    return entry


def _removal(info: dict[str, Any], collection: str, past: bool) -> str:
    version, date = info.get("removal_version"), info.get("removal_date")
    when = f"version {version}" if version else f"a release after {date}" if date else ""
    if not when:
        return ""
    verb = "was removed" if past else "will be removed"
    return f" This feature {verb} from collection '{collection}' {when}."


def route(kind: str, fqcn: str, index: CollectionIndex, deprecate: Deprecate) -> str:
    """The FQCN that ``fqcn`` (a ``kind`` plugin) leads to after its collection's
    routing; raises :class:`CorralPluginError` for a tombstone or a redirect loop and
    calls ``deprecate(message, removal_version, removal_date, collection)`` for each
    deprecation on the way (``ContentContext.deprecate``)."""
    path = [fqcn]
    current = fqcn
    while True:
        entry = _entry(kind, current, index)
        collection = current.rsplit(".", 1)[0]
        what = "module" if kind == "module" else f"{kind} plugin"
        tombstone = entry.get("tombstone")
        if isinstance(tombstone, dict):
            text = str(tombstone.get("warning_text") or "").strip()
            raise CorralPluginError(f"The '{current}' {what} has been removed."
                                    + (f" {text}" if text else "") + _removal(tombstone, collection, True))
        deprecation = entry.get("deprecation")
        if isinstance(deprecation, dict):
            text = str(deprecation.get("warning_text") or "").strip()
            version, date = deprecation.get("removal_version"), deprecation.get("removal_date")
            deprecate(f"{current} has been deprecated." + (f" {text}" if text else ""),
                      None if version is None else str(version), None if date is None else str(date), collection)
        target = entry.get("redirect")
        if not isinstance(target, str) or not target:
            return current
        if split_fqcn(target) is None:          # a short redirect stays in the collection
            target = f"{collection}.{target}"
        if target in path:
            raise CorralPluginError(f"plugin redirect loop resolving {fqcn} (path: {path})")
        path.append(target)
        current = target
