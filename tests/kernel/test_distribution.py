"""The standard distribution ``corral`` depends on exactly the distributions that
``requirements.txt`` installs from this checkout, each with its own entry points."""
from __future__ import annotations

import tomllib

from .conftest import REPO


def _local_distributions() -> dict[str, dict]:
    found = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        if line.startswith("-e ./"):
            with open(REPO / line[5:] / "pyproject.toml", "rb") as handle:
                project = tomllib.load(handle)["project"]
            found[project["name"]] = project
    return found


def test_the_standard_distribution_lists_every_local_distribution() -> None:
    with open(REPO / "pyproject.toml", "rb") as handle:
        top = tomllib.load(handle)["project"]
    assert top["name"] == "corral"
    assert set(top["dependencies"]) == set(_local_distributions())


def test_plugin_distributions_are_named_for_their_kind_and_declare_entry_points() -> None:
    for name, project in _local_distributions().items():
        if name == "corral-core":
            continue
        groups = project.get("entry-points", {})
        assert groups, f"{name} declares no entry points"
        for group in groups:
            assert group.startswith("corral.") or group == "pytest11", (name, group)
        assert any(dep.startswith("corral-core") for dep in project.get("dependencies", [])), name
