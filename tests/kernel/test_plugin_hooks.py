"""``docs/plugin-hooks.md`` documents every hook specification with its exact
signature, each parameter and the return value, and every hook's example in
``hook_examples.py`` runs (datasette's ``test_plugin_hooks_are_documented``)."""
from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import REPO


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


hook_docs = _load(REPO / "scripts" / "hook_docs.py", "corral_hook_docs")
HOOKS = hook_docs.hooks()
EXAMPLES = hook_docs.load_examples()
DOCS = (REPO / "docs" / "plugin-hooks.md").read_text()


def test_plugin_hooks_are_documented() -> None:
    missing = [hook.signature for hook in HOOKS if f"### `{hook.signature}`" not in DOCS]
    assert not missing, f"docs/plugin-hooks.md lacks (or has another signature for): {missing}; " \
                        f"run scripts/hook_docs.py"


def test_every_parameter_and_return_value_is_described() -> None:
    undocumented = [f"{hook.name}({name})" for hook in HOOKS for name, _ in hook.parameters if name not in hook.params]
    unknown = [f"{hook.name}({name})" for hook in HOOKS for name in hook.params if name not in dict(hook.parameters)]
    no_return = [hook.name for hook in HOOKS
                 if inspect.signature(hook.function).return_annotation != "None" and not hook.returns]
    assert not undocumented, f"hookspecs without a ':param NAME:' line for: {undocumented}"
    assert not unknown, f"':param NAME:' lines naming no parameter: {unknown}"
    assert not no_return, f"hookspecs returning a value without a ':returns:' line: {no_return}"
    assert all(hook.text for hook in HOOKS), "a hookspec says nothing about when it is called"


def test_the_docs_are_generated_from_the_current_hookspecs_and_examples() -> None:
    assert DOCS == hook_docs.render(), "docs/plugin-hooks.md is out of date: run scripts/hook_docs.py"


def test_every_hook_has_an_example() -> None:
    lacking = [hook.name for hook in HOOKS if not hasattr(EXAMPLES, f"example_{hook.name}")]
    names = {hook.name for hook in HOOKS}
    stray = [name for name in dir(EXAMPLES) if name.startswith("example_") and name[8:] not in names]
    assert not lacking, f"hooks without an example_<hook> in tests/kernel/hook_examples.py: {lacking}"
    assert not stray, f"examples for hooks that do not exist: {stray}"


@pytest.mark.parametrize("hook", [hook.name for hook in HOOKS if hasattr(EXAMPLES, f"example_{hook.name}")])
def test_the_example_runs(hook: str, tmp_path: Path) -> None:
    getattr(EXAMPLES, f"example_{hook}")(tmp_path)
