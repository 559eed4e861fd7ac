"""What a module plugin declares: a name and the Python source that runs on the target."""
from __future__ import annotations

import ast
import dataclasses
import functools
from pathlib import Path
from typing import Any

import yaml

__all__ = ["ModuleSpec", "modules_in", "normalize_module_name", "MODULE_PREFIXES"]

#: collection prefixes under which Ansible users name the standard modules
MODULE_PREFIXES = ("ansible.builtin.", "ansible.legacy.", "corral.builtin.")


def normalize_module_name(name: str) -> str:
    """Map ``ansible.builtin.copy`` (and the other standard prefixes) to ``copy``."""
    for prefix in MODULE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@dataclasses.dataclass(frozen=True)
class ModuleSpec:
    """A module: ``name`` as tasks use it, ``path`` of its self-contained source.

    The source is a Python 3 program that uses ``corral.module_utils`` and runs on
    the target.  Its documentation is read from the module-level string constants
    ``DOCUMENTATION``, ``EXAMPLES`` and ``RETURN`` (YAML), as in Ansible.
    """

    name: str
    path: str
    distribution: str = ""

    @functools.cached_property
    def doc(self) -> dict[str, Any]:
        """The parsed ``DOCUMENTATION`` (plus ``examples`` and ``returns``), or ``{}``."""
        with open(self.path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), self.path)
        found: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name) \
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                found[node.targets[0].id] = node.value.value
        doc = yaml.safe_load(found.get("DOCUMENTATION", "")) or {}
        doc["examples"] = found.get("EXAMPLES", "").strip()
        doc["returns"] = yaml.safe_load(found.get("RETURN", "")) or {}
        return doc

    @property
    def summary(self) -> str:
        """One line about the module (``short_description``)."""
        return str(self.doc.get("short_description", ""))


def modules_in(directory: str | Path, distribution: str = "") -> list[ModuleSpec]:
    """A module for every ``*.py`` file of ``directory`` (named after the file, in name
    order; files starting with ``_`` are helpers, not modules): what a module
    distribution's ``corral_modules`` usually returns."""
    return [ModuleSpec(path.stem, str(path), distribution)
            for path in sorted(Path(directory).glob("*.py")) if not path.name.startswith("_")]
