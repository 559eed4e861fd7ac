"""The hook specifications are the plugin contract: each one is documented, in the
code and in the plugin author's guide."""
from __future__ import annotations

import inspect
from pathlib import Path

from corral import hookspecs

REPO = Path(__file__).resolve().parents[2]


def _hooks() -> list[str]:
    return [name for name, obj in vars(hookspecs).items()
            if inspect.isfunction(obj) and getattr(obj, "corral_spec", None) is not None]


def test_there_are_hooks_for_every_family() -> None:
    hooks = set(_hooks())
    for required in ("corral_inventory_plugins", "corral_connection", "corral_strategy", "corral_executor",
                     "corral_callback", "corral_template_filters", "corral_template_tests",
                     "corral_template_lookups", "corral_modules", "corral_actions", "corral_cli_commands",
                     "v2_runner_on_ok", "v2_playbook_on_stats"):
        assert required in hooks


def test_every_hook_has_a_docstring_contract() -> None:
    for name in _hooks():
        doc = inspect.getdoc(getattr(hookspecs, name))
        assert doc and len(doc) > 20, f"hook {name} has no contract docstring"


def test_every_hook_is_in_the_plugin_authors_guide() -> None:
    guide = (REPO / "docs" / "plugin-authors.md").read_text()
    missing = [name for name in _hooks() if f"`{name}" not in guide]
    assert not missing, f"docs/plugin-authors.md does not document: {missing}"


def test_hook_names_are_prefixed() -> None:
    for name in _hooks():
        assert name.startswith(("corral_", "v2_")), name
