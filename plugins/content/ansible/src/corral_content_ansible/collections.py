"""Installed collections: where one is, its version and its ``meta/runtime.yml``.

A collection ``ns.name`` is the directory ``<root>/ansible_collections/ns/name`` of the
first collection root (:func:`corral_content_ansible.paths.collection_roots`) that has
it.  Its plugins live in ``plugins/<folder>/`` (``modules``, ``action``, ``filter``,
...), its roles in ``roles/``, its playbooks in ``playbooks/``.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
from collections.abc import Iterable
from typing import Any

import yaml

__all__ = ["Collection", "CollectionIndex", "FQCN", "split_fqcn"]

#: ``namespace.collection.name`` (the name may hold more dots: ``ns.coll.sub.plugin``)
FQCN = re.compile(r"^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.(\w[\w.]*)$")


def split_fqcn(name: str) -> tuple[str, str] | None:
    """``("ns.coll", "plugin")`` for a fully qualified name, else ``None``."""
    match = FQCN.match(name)
    return (f"{match.group(1)}.{match.group(2)}", match.group(3)) if match else None


@dataclasses.dataclass(frozen=True)
class Collection:
    """One installed collection: ``namespace``, ``name`` and its directory ``path``."""

    namespace: str
    name: str
    path: str

    @property
    def fqcn(self) -> str:
        return f"{self.namespace}.{self.name}"

    @functools.cached_property
    def runtime(self) -> dict[str, Any]:
        """``meta/runtime.yml`` (``{}`` when absent or not a mapping)."""
        for file in ("runtime.yml", "runtime.yaml"):
            path = os.path.join(self.path, "meta", file)
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as handle:
                    data = yaml.safe_load(handle)
                return data if isinstance(data, dict) else {}
        return {}

    @functools.cached_property
    def version(self) -> str | None:
        """The version in ``MANIFEST.json`` (an installed build) or ``galaxy.yml`` (a
        source tree), or ``None``."""
        manifest = os.path.join(self.path, "MANIFEST.json")
        if os.path.isfile(manifest):
            with open(manifest, encoding="utf-8") as handle:
                info = (json.load(handle) or {}).get("collection_info") or {}
            return str(info["version"]) if info.get("version") is not None else None
        galaxy = os.path.join(self.path, "galaxy.yml")
        if os.path.isfile(galaxy):
            with open(galaxy, encoding="utf-8") as handle:
                data = yaml.safe_load(handle) or {}
            return str(data["version"]) if isinstance(data, dict) and data.get("version") is not None else None
        return None

    def supports(self, version: str) -> bool:
        """Whether ``requires_ansible`` of ``meta/runtime.yml`` (``'>=2.15,<3'``;
        absent: any) admits the Ansible ``version``."""
        spec = self.runtime.get("requires_ansible")
        return spec is None or all(_admits(clause.strip(), version) for clause in str(spec).split(",")
                                   if clause.strip())

    def routing(self, section: str, name: str) -> dict[str, Any]:
        """The ``plugin_routing.<section>.<name>`` entry of ``meta/runtime.yml`` (``{}``)."""
        entry = ((self.runtime.get("plugin_routing") or {}).get(section) or {}).get(name)
        return entry if isinstance(entry, dict) else {}

    def plugin_file(self, folder: str, name: str, suffixes: Iterable[str] = (".py",)) -> str | None:
        """The file of plugin ``name`` in ``plugins/<folder>/`` (a dotted name is in a
        subfolder: ``sub.name`` is ``plugins/<folder>/sub/name.py``), or ``None``."""
        base = os.path.join(self.path, "plugins", folder, *name.split("."))
        for suffix in suffixes:
            if os.path.isfile(base + suffix):
                return base + suffix
        return None

    def content_file(self, folder: str, name: str, suffixes: Iterable[str] = ("",)) -> str | None:
        """``<folder>/<name><suffix>`` of the collection (a role directory, a playbook),
        the first that exists, or ``None``."""
        for suffix in suffixes:
            path = os.path.join(self.path, folder, *name.split(".")) + suffix
            if os.path.exists(path):
                return path
        return None


_OPERATORS = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, "==": lambda a, b: a == b,
              "!=": lambda a, b: a != b, ">": lambda a, b: a > b, "<": lambda a, b: a < b}


def _numbers(version: str) -> tuple[int, ...]:
    """``2.15.0rc1`` -> ``(2, 15, 0)``: the leading number of each dotted part, padded to three."""
    parts = [int(match.group()) if (match := re.match(r"\d+", part)) else 0 for part in version.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def _admits(clause: str, version: str) -> bool:
    """Whether one clause of a version specifier (``>=2.15``, ``<3.0``, ``2.16``) admits ``version``."""
    operator = next((op for op in sorted(_OPERATORS, key=len, reverse=True) if clause.startswith(op)), "==")
    wanted = clause[len(operator):].strip() if clause.startswith(operator) else clause
    return bool(_OPERATORS[operator](_numbers(version), _numbers(wanted)))


class CollectionIndex:
    """The collections of one run's collection roots, found on demand and remembered."""

    def __init__(self, roots: Iterable[str]) -> None:
        self.roots = tuple(roots)
        self._found: dict[str, Collection | None] = {}

    def get(self, fqcn: str) -> Collection | None:
        """The installed collection ``ns.name`` from the first root that has it, or ``None``."""
        if fqcn not in self._found:
            namespace, _, name = fqcn.partition(".")
            self._found[fqcn] = None
            for root in self.roots:
                path = os.path.join(root, "ansible_collections", namespace, name)
                if os.path.isdir(path):
                    self._found[fqcn] = Collection(namespace, name, path)
                    break
        return self._found[fqcn]

    def all(self) -> list[Collection]:
        """Every installed collection, each once (the first root that has it wins)."""
        seen: dict[str, Collection] = {}
        for root in self.roots:
            base = os.path.join(root, "ansible_collections")
            for namespace in sorted(os.listdir(base)) if os.path.isdir(base) else []:
                folder = os.path.join(base, namespace)
                for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
                    fqcn = f"{namespace}.{name}"
                    if fqcn not in seen and namespace.isidentifier() and name.isidentifier() \
                            and os.path.isdir(os.path.join(folder, name)):
                        seen[fqcn] = self.get(fqcn) or Collection(namespace, name, os.path.join(folder, name))
        return list(seen.values())
