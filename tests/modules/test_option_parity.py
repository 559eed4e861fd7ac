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


def _argument_spec(path: str) -> dict[str, Any] | None:
    """The ``argument_spec`` dict literal given to ``AnsibleModule`` in the source at ``path`` (a
    name assigned one is followed), or ``None`` for a module without one."""
    tree = ast.parse(Path(path).read_text())
    assigned = {node.targets[0].id: node.value for node in ast.walk(tree)
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "AnsibleModule":
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            value = keywords["argument_spec"]
            if isinstance(value, ast.Name):
                value = assigned[value.id]
            spec = ast.literal_eval(value)
            common = keywords.get("add_file_common_args")
            if isinstance(common, ast.Constant) and common.value:
                spec.update({name: {"aliases": option.get("aliases", [])}
                             for name, option in FILES_FRAGMENT["options"].items()})
            return spec
    return None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_argument_spec_accepts_the_documented_options(name: str) -> None:
    spec = _argument_spec(MODULES[name].path)
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
