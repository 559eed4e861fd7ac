"""The options corral documents for the modules of issue #14 are ansible-core's: the same names,
types, aliases, choices, defaults and required flags as ``ansible-doc -j`` lists (recorded by
``oracle/record_option_specs.py`` into ``oracle/option_specs.json``); and every documented option
is in the module's argument spec, with the same aliases (read from the ``AnsibleModule(argument_spec=
{...})`` literal of its source, plus the common file options of ``add_file_common_args``), so that no
option is documented and refused, or accepted undocumented."""
from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from corral.plugins.manager import PluginManager
from corral.plugins.module import FILES_FRAGMENT

from .oracle.record_option_specs import normalized

EXPECTED = json.loads((Path(__file__).resolve().parent / "oracle" / "option_specs.json").read_text())
PLUGINS = PluginManager()
MODULES = PLUGINS.modules()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_documented_options_match_ansible_core(name: str) -> None:
    assert name in MODULES, f"{name} is not installed"
    ours = normalized(PLUGINS.module_documentation(MODULES[name]).get("options") or {})
    assert ours == EXPECTED[name]


def _assigned(path: Path) -> dict[str, ast.expr]:
    """The values of the names a module assigns: ``NAME = ...``, ``NAME: T = ...``."""
    tree = ast.parse(path.read_text())
    found: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = node.value
    return found


def _imported(path: Path, roots: tuple[tuple[str, str], ...]) -> dict[str, ast.expr]:
    """The values of the names the module imports (``from pkg.mod import NAME``) from its payload
    roots (``ModuleSpec.python_roots``: shared code such as ``corral_dnf.cli``)."""
    found: dict[str, ast.expr] = {}
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom) or node.module is None:
            continue
        for prefix, directory in roots:
            if node.module.startswith(prefix + "."):
                source = Path(directory, *node.module[len(prefix) + 1:].split(".")).with_suffix(".py")
                assigned = _assigned(source)
                found.update({alias.name: assigned[alias.name] for alias in node.names if alias.name in assigned})
    return found


def _literal(node: ast.expr, names: dict[str, ast.expr]) -> Any:
    """The value of a literal in which a name stands for the value it is given and ``{**NAME, ...}``
    unpacks one."""
    if isinstance(node, ast.Name):
        return _literal(names[node.id], names)
    if isinstance(node, ast.Dict) and None in node.keys:
        merged: dict[str, Any] = {}
        for key, value in zip(node.keys, node.values):
            if key is None:
                merged.update(_literal(value, names))
            else:
                merged[ast.literal_eval(key)] = ast.literal_eval(value)
        return merged
    return ast.literal_eval(node)


def _argument_spec(path: str, roots: tuple[tuple[str, str], ...] = ()) -> dict[str, Any] | None:
    """The ``argument_spec`` dict literal given to ``AnsibleModule`` in the source at ``path`` (a
    name assigned or imported from the payload ``roots`` one is followed, ``**NAME`` unpacked), or
    ``None`` for a module without one."""
    names = {**_imported(Path(path), roots), **_assigned(Path(path))}
    for node in ast.walk(ast.parse(Path(path).read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "AnsibleModule":
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            spec = _literal(keywords["argument_spec"], names)
            common = keywords.get("add_file_common_args")
            if isinstance(common, ast.Constant) and common.value:
                spec.update({name: {"aliases": option.get("aliases", [])}
                             for name, option in FILES_FRAGMENT["options"].items()})
            return spec
    return None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_argument_spec_accepts_the_documented_options(name: str) -> None:
    spec = _argument_spec(MODULES[name].path, MODULES[name].python_roots)
    documented = PLUGINS.module_documentation(MODULES[name]).get("options") or {}
    if spec is None:    # documentation of a keyword or of a controller-side action
        assert MODULES[name].doc.get("module") == name or name in PluginManager().actions()
        return
    assert {option: sorted(value.get("aliases", [])) for option, value in spec.items()} == \
        {option: sorted(value.get("aliases", []) or []) for option, value in documented.items()}


def test_corral_doc_lists_every_ansible_builtin_name() -> None:
    recorded = json.loads((Path(__file__).resolve().parent / "oracle" / "builtin_names.json").read_text())
    listed = set(MODULES) | set(PluginManager().actions())
    assert sorted(set(recorded) - listed) == []
