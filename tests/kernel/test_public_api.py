"""The public plugin API is exactly ``corral.plugins.__all__``, and the standard and
example plugins use nothing else of the kernel (as a third-party plugin would)."""
from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import corral.plugins

REPO = Path(__file__).resolve().parents[2]

#: kernel modules that are public as a whole (besides corral.plugins)
PUBLIC_MODULES = ("corral.errors", "corral.hookspecs", "corral.module_utils", "corral.api", "corral.events",
                  "corral.settings", "corral.results", "corral.stats")
#: Ansible's API under corral's import root (docs/api.md): public at these paths
SEED_API = {("corral.parsing.dataloader", "DataLoader"), ("corral.vars", "VariableManager"),
            ("corral.vars.manager", "VariableManager"), ("corral.inventory", "Inventory"),
            ("corral.inventory.manager", "InventoryManager"), ("corral.playbook.play", "Play"),
            ("corral.executor.task_queue_manager", "TaskQueueManager"), ("corral.plugins.callback", "CallbackBase"),
            ("corral.executor.task_result", "TaskResult"), ("corral.executor.stats", "AggregateStats"),
            ("corral.runner", "Runner")}


def _typed_imports() -> dict[str, str]:
    """The names ``corral.plugins`` imports under ``TYPE_CHECKING``, with their modules."""
    tree = ast.parse(inspect.getsource(corral.plugins))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    names: dict[str, str] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names:
            assert alias.asname == alias.name, f"{alias.name} must be re-exported as itself"
            names[alias.name] = node.module
    return names


def test_every_public_name_is_the_object_its_module_defines() -> None:
    sources = corral.plugins._SOURCES
    assert corral.plugins.__all__ == ["hookimpl", *sources]
    for name, module in sources.items():
        defined = importlib.import_module(module)
        expected = getattr(defined, name, None) or importlib.import_module(f"{module}.{name}")
        assert getattr(corral.plugins, name) is expected, name


def test_type_checkers_see_the_same_names_as_the_runtime() -> None:
    assert _typed_imports() == corral.plugins._SOURCES


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        corral.plugins.ActionBse  # noqa: B018 - a misspelt name
    except AttributeError as exc:
        assert "ActionBse" in str(exc)
    else:
        raise AssertionError("corral.plugins.ActionBse resolved")


def _kernel_imports(path: Path) -> list[tuple[str, str]]:
    """``(module, name)`` for each kernel name ``path`` imports (``name`` is ``*``
    for ``import corral.x``)."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and (node.module == "corral" or node.module.startswith("corral.")):
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "*") for alias in node.names if alias.name.startswith("corral.")]
    return found


def _public(module: str, name: str) -> bool:
    if module == "corral.plugins":
        return name in corral.plugins.__all__
    if any(module == public or module.startswith(public + ".") for public in PUBLIC_MODULES):
        return True
    if (module, name) in SEED_API:
        return True
    return corral.plugins._SOURCES.get(name) == module


#: corral's implementation of Ansible's Python API, imported as ``ansible`` by content
#: written for Ansible: like the seed API, it gives the kernel's own objects Ansible's names
FACADES = ("plugins/content/ansible/src/corral_content_ansible/_ansible/",)


def test_the_standard_and_example_plugins_use_only_the_public_api() -> None:
    sources = [path for path in [*REPO.glob("plugins/*/*/src/**/*.py"), *REPO.glob("examples/plugins/*/src/**/*.py")]
               if not str(path.relative_to(REPO)).startswith(FACADES)]
    private = [f"{path.relative_to(REPO)}: {module}.{name}" for path in sorted(sources)
               for module, name in _kernel_imports(path) if not _public(module, name)]
    assert not private, "plugins import private kernel names:\n" + "\n".join(private)
