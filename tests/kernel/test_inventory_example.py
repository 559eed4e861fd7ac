"""The out-of-tree inventory example (examples/plugins/corral-inventory-sqlite),
installed from its folder: a YAML source with ``plugin: sqlite`` enables it through
``auto`` and a real play runs on its hosts; the database given as a source while the
plugin is not enabled is warned about, naming the plugin, until it is enabled."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, run

EXAMPLE = REPO / "examples" / "plugins" / "corral-inventory-sqlite"

PLAYBOOK = """
- hosts: web
  gather_facts: false
  tasks:
    - name: write where each host serves
      copy:
        content: "{{ inventory_hostname }} {{ role }} {{ port }}\\n"
        dest: "{{ out_dir }}/{{ inventory_hostname }}.txt"
"""


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                    str(EXAMPLE)], check=True, capture_output=True)
    return target


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """Two local hosts in group ``frontend`` (a child of ``web``), one outside it."""
    sys.path.insert(0, str(EXAMPLE / "src"))
    try:
        from corral_inventory_sqlite import SCHEMA
    finally:
        sys.path.remove(str(EXAMPLE / "src"))
    path = tmp_path / "hosts.db"
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        db.execute("INSERT INTO groups VALUES ('web', NULL, ?)", (json.dumps({"port": 8080}),))
        db.execute("INSERT INTO groups VALUES ('frontend', 'web', '{}')")
        for name, role in (("alpha", "primary"), ("beta", "replica"), ("gamma", "spare")):
            db.execute("INSERT INTO hosts VALUES (?, ?)", (name, json.dumps({**local, "role": role})))
        db.executemany("INSERT INTO host_groups VALUES (?, 'frontend')", [("alpha",), ("beta",)])
    return path


def _play(sqlite_site: Path, tmp_path: Path, source: Path, **env: str) -> subprocess.CompletedProcess:
    playbook = tmp_path / "site.yml"
    playbook.write_text(PLAYBOOK)
    return run(["corral-playbook", "-i", str(source), str(playbook), "-e", f"out_dir={tmp_path}"],
               env={"PYTHONPATH": str(sqlite_site), **env})


def test_a_plugin_source_runs_a_play_on_the_database_hosts(sqlite_site: Path, database: Path,
                                                           tmp_path: Path) -> None:
    config = tmp_path / "inventory.yml"
    config.write_text("plugin: sqlite\ndatabase: hosts.db\n")
    result = _play(sqlite_site, tmp_path, config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "alpha.txt").read_text() == "alpha primary 8080\n"
    assert (tmp_path / "beta.txt").read_text() == "beta replica 8080\n"
    assert not (tmp_path / "gamma.txt").exists()
    assert "[WARNING]" not in result.stderr, result.stderr


def test_the_database_source_is_warned_about_until_the_plugin_is_enabled(sqlite_site: Path, database: Path,
                                                                         tmp_path: Path) -> None:
    result = _play(sqlite_site, tmp_path, database)
    err = " ".join(result.stderr.split())
    assert f"The installed inventory plugin 'sqlite' could parse {database} but is not enabled" in err
    assert "enable_plugins (CORRAL_INVENTORY_ENABLED)" in err
    assert "skipping: no hosts matched" in result.stdout
    assert not (tmp_path / "alpha.txt").exists()
    enabled = _play(sqlite_site, tmp_path, database, CORRAL_INVENTORY_ENABLED="host_list,auto,yaml,ini,sqlite")
    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    assert (tmp_path / "alpha.txt").read_text() == "alpha primary 8080\n"


def test_the_example_is_listed_and_passes_its_own_tests(sqlite_site: Path) -> None:
    listing = run(["corral-plugins", "--json", "--kind", "inventory"], env={"PYTHONPATH": str(sqlite_site)})
    sqlite = next(item for item in json.loads(listing.stdout) if item["name"] == "sqlite")
    assert sqlite["distribution"] == "corral-inventory-sqlite"
    assert sqlite["provides"] == {"inventory parser": ["sqlite"]}
    assert sqlite["hooks"] == ["corral_inventory_plugins"]
    own = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
              cwd=EXAMPLE, env={"PYTHONPATH": str(sqlite_site)})
    assert own.returncode == 0, own.stdout + own.stderr
    assert "2 passed" in own.stdout
