"""Vars plugins of ``vars_plugins/`` folders and collections run as in Ansible
(expectations observed with ansible-core 2.21): a folder's plugin runs without
being enabled unless it sets ``REQUIRES_ENABLED = True``; a collection's runs only
when ``vars_plugins_enabled`` names it by FQCN; ``stage`` decides when it runs."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .test_ansible_controller_plugins import CLI

PLUGIN = """\
from ansible.plugins.vars import BaseVarsPlugin


class VarsModule(BaseVarsPlugin):
{extra}
    def get_vars(self, loader, path, entities, cache=True):
        super().get_vars(loader, path, entities)
        return {{"from_{name}": "yes"}}
"""

STAGED = """\
DOCUMENTATION = '''
name: staged
short_description: counts its calls
extends_documentation_fragment: [vars_plugin_staging]
options:
  stage:
    ini: [{key: stage, section: vars_staged}]
    env: [{name: ACME_STAGED_STAGE}]
'''
import os
from ansible.plugins.vars import BaseVarsPlugin


class VarsModule(BaseVarsPlugin):
    def get_vars(self, loader, path, entities, cache=True):
        super().get_vars(loader, path, entities)
        with open(os.environ["ACME_STAGED_LOG"], "a") as log:
            log.write("called\\n")
        return {"from_staged": self.get_option("stage") or "none"}
"""


def _project(tmp_path: Path) -> None:
    folder = tmp_path / "vars_plugins"
    folder.mkdir()
    (folder / "adjacent.py").write_text(PLUGIN.format(name="adjacent", extra=""))
    (folder / "needs.py").write_text(PLUGIN.format(name="needs", extra="    REQUIRES_ENABLED = True\n"))
    collection = tmp_path / "colls" / "ansible_collections" / "acme" / "vp"
    (collection / "plugins" / "vars").mkdir(parents=True)
    (collection / "galaxy.yml").write_text("namespace: acme\nname: vp\nversion: 1.0.0\n")
    (collection / "plugins" / "vars" / "coll.py").write_text(PLUGIN.format(name="coll", extra=""))
    (tmp_path / "hosts").write_text("h1 ansible_connection=local\n")
    (tmp_path / "site.yml").write_text(
        "- hosts: all\n  gather_facts: false\n  tasks:\n"
        "    - debug: msg=\"{{ from_adjacent | default('no') }} {{ from_needs | default('no') }}"
        " {{ from_coll | default('no') }}\"\n")


def _msg(tmp_path: Path, **env: str) -> str:
    proc = subprocess.run([CLI, "-i", "hosts", "site.yml"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120, env={**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "colls"),
                                            **env})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (line,) = [line for line in proc.stdout.splitlines() if '"msg"' in line]
    return line.split('"msg": ')[1].strip('"')


def test_a_folder_plugin_runs_unless_it_requires_enabling(tmp_path: Path) -> None:
    _project(tmp_path)
    assert _msg(tmp_path) == "yes no no"


@pytest.mark.parametrize("variable", ["ANSIBLE_VARS_ENABLED", "ANSIBLE_VARS_PLUGINS_ENABLED"])
def test_enabled_plugins_by_name_and_collection_plugins_by_fqcn(tmp_path: Path, variable: str) -> None:
    _project(tmp_path)
    assert _msg(tmp_path, **{variable: "host_group_vars,needs,acme.vp.coll"}) == "yes yes yes"


@pytest.mark.parametrize(("stage", "shown", "calls"), [("", "none", 6), ("inventory", "inventory", 3),
                                                        ("task", "task", 6)])
def test_the_stage_option_of_a_folder_plugin(tmp_path: Path, stage: str, shown: str, calls: int) -> None:
    (tmp_path / "vars_plugins").mkdir()
    (tmp_path / "vars_plugins" / "staged.py").write_text(STAGED)
    (tmp_path / "hosts").write_text("h1 ansible_connection=local\n")
    (tmp_path / "site.yml").write_text(
        "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=\"{{ from_staged | default('no') }}\"\n")
    log = tmp_path / "calls.log"
    env = {"ACME_STAGED_LOG": str(log), **({"ACME_STAGED_STAGE": stage} if stage else {})}
    proc = subprocess.run([CLI, "-i", "hosts", "site.yml"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120, env={**os.environ, **env})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f'"msg": "{shown}"' in proc.stdout
    assert len(log.read_text().splitlines()) == calls      # as many calls as ansible-core 2.21 makes
