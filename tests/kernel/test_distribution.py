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


def test_every_distribution_of_the_repository_is_mit_licensed() -> None:
    assert (REPO / "LICENSE").read_text().startswith("MIT License")
    projects = [path for path in REPO.rglob("pyproject.toml*")
                if not any(part.startswith(".") or part in ("build", "node_modules") for part in path.parts)]
    assert len(projects) > 30
    for path in projects:
        text = path.read_text()
        assert '\nlicense = "MIT"\n' in text, f"{path.relative_to(REPO)} declares no MIT licence"


def test_every_standard_plugin_chosen_by_name_says_which_distribution_provides_it() -> None:
    from corral.plugins.manager import STANDARD_DISTRIBUTIONS
    by_name = ("connection", "strategy", "executor", "callback", "cache", "inventory")
    expected = {(group.removeprefix("corral."), name): project["name"]
                for project in _local_distributions().values()
                for group, points in project.get("entry-points", {}).items()
                if group.removeprefix("corral.") in by_name for name in points}
    missing = {key: dist for key, dist in expected.items() if STANDARD_DISTRIBUTIONS.get(key) != dist}
    assert not missing, f"corral.plugins.manager.STANDARD_DISTRIBUTIONS lacks {missing}"
