"""The out-of-tree vars example (examples/plugins/corral-vars-sqlite), installed from
its folder, gives a real play and corral-inventory its variables once enabled."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plugins" / "corral-vars-sqlite"

PLAY = """
- hosts: web
  gather_facts: false
  tasks:
    - debug: msg="{{ inventory_hostname }}={{ tier }}-{{ port }}-{{ motd | default('none') }}"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An inventory with group_vars files and a vars.sqlite beside it, and a playbook."""
    inventory = tmp_path / "inventory"
    (inventory / "group_vars").mkdir(parents=True)
    (inventory / "hosts.ini").write_text("[web]\nweb1\nweb2\n\n[web:vars]\nansible_connection=local\n")
    (inventory / "group_vars" / "web.yml").write_text("tier: files\nport: 1\n")
    with sqlite3.connect(inventory / "vars.sqlite") as db:
        db.execute("CREATE TABLE vars (kind TEXT, name TEXT, key TEXT, value TEXT)")
        db.executemany("INSERT INTO vars VALUES (?, ?, ?, ?)",
                       [("group", "web", "port", json.dumps(80)),
                        ("host", "web1", "motd", json.dumps("hello from sqlite"))])
    (tmp_path / "site.yml").write_text(PLAY)
    return tmp_path


def test_the_enabled_plugin_gives_a_real_play_its_variables(run_with_site, project):
    result = run_with_site("corral-playbook", "-i", "inventory", "site.yml",
                           CORRAL_VARS_PLUGINS_ENABLED="host_group_vars,sqlite")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "web1=files-80-hello from sqlite" in result.stdout
    assert "web2=files-80-none" in result.stdout
    inventory = run_with_site("corral-inventory", "-i", "inventory", "--host", "web1",
                              ANSIBLE_VARS_PLUGINS_ENABLED="host_group_vars,sqlite")
    assert json.loads(inventory.stdout)["motd"] == "hello from sqlite"


def test_an_installed_plugin_that_requires_enabling_is_not_used_until_enabled(run_with_site, project):
    result = run_with_site("corral-playbook", "-i", "inventory", "site.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "web1=files-1-none" in result.stdout


def test_the_example_passes_its_own_tests(run_with_site):
    result = run_with_site("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
