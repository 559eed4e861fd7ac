"""Which Python files a module payload carries beside the module: its imports, found
in the module spec's ``python_roots``, followed recursively.

A root is a ``(package prefix, directory)`` pair: ``("ansible", ".../_ansible")``
makes ``ansible.module_utils.basic`` the file ``.../_ansible/module_utils/basic.py``;
``("ansible.module_utils", "<playbook>/module_utils")`` serves a playbook's own
``module_utils``; ``("", ".../collections")`` serves ``ansible_collections.*``.  The
first root that has a file for a name wins, so list the more specific ones first.
Imports that no root has (the standard library, ``corral.module_utils``, which
every payload carries) are left to the target.  An import written as text
(``importlib.import_module("x")``) cannot be followed: list such a module in a
parent's imports.
"""
from __future__ import annotations

import ast
import os
from collections.abc import Iterable

__all__ = ["Roots", "bundled_sources"]

#: ``(package prefix, directory)`` pairs, most specific first
Roots = tuple[tuple[str, str], ...]


def bundled_sources(source: str, filename: str, roots: Roots, package: str = "") -> dict[str, list[object]]:
    """``{module name: [is_package, source]}`` of every module ``source`` imports
    (directly or through the modules it imports) that one of ``roots`` has, with
    their parent packages (an empty package for a directory without
    ``__init__.py``, as a namespace package).  ``package`` is the package the
    module runs in: its relative imports (``from ..module_utils import x``) start there."""
    found: dict[str, list[object]] = {}
    pending = [(name, False) for name in _imported_names(source, filename, package, True)]
    while pending:
        name, _ = pending.pop()
        for prefix in _prefixes(name):
            if prefix in found:
                continue
            located = _locate(prefix, roots)
            if located is None:
                continue
            path, is_package = located
            if path is None:
                found[prefix] = [True, ""]
                continue
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            found[prefix] = [is_package, text]
            pending.extend((child, False) for child in _imported_names(text, path, prefix, is_package))
    return found


def _prefixes(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:index]) for index in range(1, len(parts) + 1)]


def _locate(name: str, roots: Roots) -> tuple[str | None, bool] | None:
    """``(file, is_package)`` for ``name`` in the first root that has it; ``(None,
    True)`` for a directory without ``__init__.py``; ``None`` when no root has it."""
    for prefix, directory in roots:
        if prefix and name != prefix and not name.startswith(prefix + "."):
            continue
        rest = name[len(prefix):].lstrip(".") if prefix else name
        base = os.path.join(directory, *rest.split(".")) if rest else directory
        if rest and os.path.isfile(base + ".py"):
            return base + ".py", False
        if os.path.isfile(os.path.join(base, "__init__.py")):
            return os.path.join(base, "__init__.py"), True
        if os.path.isdir(base) and rest:
            return None, True
    return None


def _imported_names(source: str, filename: str, module: str, is_package: bool) -> Iterable[str]:
    """The absolute names ``source`` (the module ``module``) imports, including
    ``from X import y`` as both ``X`` and ``X.y`` (``y`` may be a submodule)."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError:
        return []
    package = module if is_package else module.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".") if package else []
                if node.level - 1 > len(parts):
                    continue
                parent = ".".join(parts[:len(parts) - (node.level - 1)])
                base = f"{parent}.{base}".strip(".") if base else parent
            if not base:
                continue
            names.append(base)
            names.extend(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return names
