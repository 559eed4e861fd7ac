"""``corral-plugins new KIND NAME`` (corral-cli-scaffold): every kind it writes installs
and passes its own test as generated, in one fresh virtual environment."""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from corral_cli_scaffold import KINDS, ScaffoldError, generate
from pytest_corral import Venv

REPO = Path(__file__).resolve().parents[3]
#: what the generated tests use: the kernel, the kit, and the plugins their plays need
CHECKOUT = ("core", "plugins/testing/pytest-corral", "plugins/cli/scaffold", "plugins/connection/local",
            "plugins/strategy/linear", "plugins/executor/forking", "plugins/inventory/yaml",
            "plugins/modules/commands", "plugins/modules/controller", "plugins/modules/files")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def kit_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """One fresh environment for the session: corral-core, pytest-corral, the scaffold
    and the standard plugins the generated tests need, installed from this checkout."""
    venv = Venv.create(tmp_path_factory.mktemp("kit") / "venv")
    venv.install(*(REPO / path for path in CHECKOUT), "pytest>=8")
    return venv


@pytest.fixture(scope="session")
def generated(kit_venv: Venv, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A distribution of every kind, written by the installed ``corral-plugins new`` and
    installed, all in one pip call."""
    directory = tmp_path_factory.mktemp("generated")
    roots = {}
    for kind in KINDS:
        proc = kit_venv.run("corral-plugins", "new", kind, f"my_{kind}", "--dir", str(directory))
        assert proc.returncode == 0, proc.stderr
        roots[kind] = directory / f"corral-{kind}-my-{kind}"
        assert f"Wrote {roots[kind]}" in proc.stdout
    kit_venv.install(*roots.values())
    return roots


def test_there_is_a_template_for_every_plugin_kind() -> None:
    assert set(KINDS) >= {"connection", "strategy", "executor", "callback", "inventory", "module", "cache",
                          "filter", "test", "lookup", "cli", "become", "vars"}


def test_each_distribution_has_metadata_code_a_test_and_a_readme(generated: dict[str, Path]) -> None:
    for kind, root in generated.items():
        project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
        assert project["name"] == f"corral-{kind}-my-{kind}"
        assert project["license"] == "MIT"
        assert project["dependencies"] == ["corral-core"]
        [(group, points)] = project["entry-points"].items()
        assert points == {f"my_{kind}": f"corral_{kind}_my_{kind}"}
        assert (root / "src" / f"corral_{kind}_my_{kind}" / "__init__.py").is_file()
        assert (root / "tests" / f"test_my_{kind}.py").is_file()
        readme = (root / "README.md").read_text()
        assert f"# corral-{kind}-my-{kind}" in readme and "## Use" in readme and "$" not in readme


def test_the_installed_distributions_are_listed_as_plugins(kit_venv: Venv, generated: dict[str, Path]) -> None:
    proc = kit_venv.run("corral-plugins", "--json")
    assert proc.returncode == 0, proc.stderr
    listed = {row["name"]: row["distribution"] for row in json.loads(proc.stdout)}
    for kind in generated:
        assert listed[f"my_{kind}"] == f"corral-{kind}-my-{kind}"


def test_each_generated_distribution_passes_its_own_test(kit_venv: Venv, generated: dict[str, Path]) -> None:
    proc = kit_venv.run("python", "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "--import-mode=importlib",
                        *(str(root / "tests") for root in generated.values()), timeout=600)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    passed = re.findall(r"^PASSED \S*/test_my_(\w+)\.py::", proc.stdout, re.M)
    assert set(passed) == set(generated), proc.stdout[-3000:]


def test_a_bad_kind_name_or_existing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="unknown plugin kind 'widget'"):
        generate("widget", "x", tmp_path)
    with pytest.raises(ScaffoldError, match="'My-Plugin' is not a plugin name"):
        generate("callback", "My-Plugin", tmp_path)
    generate("callback", "twice", tmp_path)
    with pytest.raises(ScaffoldError, match="exists already"):
        generate("callback", "twice", tmp_path)
