"""Two plugins that provide the same name: one rule decides (a plugin registered in
code over an installed one; among installed ones, the distribution first on
sys.path, then the name that sorts first), and the run warns naming both."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corral.plugins import hookimpl
from corral.plugins.manager import PluginManager
from corral.plugins.precedence import RULE

from .conftest import REPO, run

FIXTURES = REPO / "tests" / "kernel" / "fixtures"


@pytest.fixture(scope="module")
def clash_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """corral-clash-alpha and corral-clash-beta, both declaring the template plugin
    'clash' and the filter 'shout', pip-installed into one directory."""
    target = tmp_path_factory.mktemp("site")
    for name in ("corral-clash-alpha", "corral-clash-beta"):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                        str(FIXTURES / name)], check=True, capture_output=True)
    return target


def test_clashing_installed_plugins_are_reported_and_the_rule_decides(clash_site: Path, local_inventory: Path,
                                                                      write) -> None:
    playbook = write("site.yml", """
- hosts: all
  gather_facts: false
  tasks:
    - debug: msg="{{ 'Hi' | shout }} / {{ 1 | to_json }}"
""")
    result = run(["corral-playbook", "-i", str(local_inventory), str(playbook)],
                 env={"PYTHONPATH": str(clash_site)})
    assert result.returncode == 0, result.stderr
    # alpha sorts first in the one directory; beta's directory comes before site-packages
    assert '"msg": "HI! / beta\'s to_json"' in result.stdout
    err = " ".join(result.stderr.split())
    assert ("The template plugin 'clash' (corral.template) is provided by 'corral-clash-alpha' 1.0.0 "
            "(entry point template:clash = corral_clash_alpha) and by 'corral-clash-beta' 2.0.0 "
            "(entry point template:clash = corral_clash_beta); 'corral-clash-alpha' 1.0.0") in err
    assert "The filter 'shout' is provided by 'corral-clash-alpha' 1.0.0" in err
    assert "The filter 'to_json' is provided by 'corral-clash-beta' 2.0.0" in err
    assert "by 'corral-template-filters'" in err
    assert err.count(RULE) == 3


def test_corral_plugins_shows_which_clashing_plugin_is_not_used(clash_site: Path) -> None:
    result = run(["corral-plugins", "--json", "--kind", "template"], env={"PYTHONPATH": str(clash_site)})
    assert result.returncode == 0, result.stderr
    listed = {(item["name"], item["distribution"]): item for item in json.loads(result.stdout)}
    assert listed[("clash", "corral-clash-alpha")]["provides"] == {"filter": ["shout"]}
    assert listed[("clash", "corral-clash-beta")]["error"].startswith("not used")
    assert listed[("beta_filters", "corral-clash-beta")]["provides"] == {"filter": ["shout", "to_json"]}
    assert "The template plugin 'clash' (corral.template) is provided by" in result.stderr


class _LoudJson:
    @hookimpl
    def corral_template_filters(self) -> dict[str, object]:
        return {"to_json": lambda value: "registered in code"}


def test_a_plugin_registered_in_code_wins_over_an_installed_one() -> None:
    warnings: list[str] = []
    plugins = PluginManager(warn=warnings.append)
    plugins.register(_LoudJson(), name="loud")
    assert plugins.template_filters()["to_json"](1) == "registered in code"
    assert len(warnings) == 1
    assert warnings[0].startswith("The filter 'to_json' is provided by the plugin 'loud' registered in code "
                                  "and by 'corral-template-filters'")
