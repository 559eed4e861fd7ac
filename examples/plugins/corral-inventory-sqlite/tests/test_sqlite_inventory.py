"""The plugin through corral's public API: a database becomes hosts, groups and
variables, from a YAML configuration or from the database file itself."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral_inventory_sqlite import SCHEMA


def _database(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        db.execute("INSERT INTO groups VALUES ('web', NULL, ?)", (json.dumps({"port": 8080}),))
        db.execute("INSERT INTO groups VALUES ('frontend', 'web', '{}')")
        db.execute("INSERT INTO hosts VALUES ('alpha', ?)", (json.dumps({"role": "primary"}),))
        db.execute("INSERT INTO hosts VALUES ('beta', '{}')")
        db.execute("INSERT INTO host_groups VALUES ('alpha', 'frontend')")
    return path


def test_a_configuration_names_the_database(tmp_path: Path) -> None:
    _database(tmp_path / "hosts.db")
    config = tmp_path / "inventory.yml"
    config.write_text("plugin: sqlite\ndatabase: hosts.db\n")
    inventory = InventoryManager(DataLoader(), sources=[str(config)])
    assert sorted(h.name for h in inventory.get_hosts("all")) == ["alpha", "beta"]
    assert [h.name for h in inventory.get_hosts("web")] == ["alpha"]
    alpha = inventory.get_host("alpha")
    assert alpha is not None and alpha.get_vars()["role"] == "primary"
    assert inventory.groups["web"].get_vars() == {"port": 8080}


def test_the_database_itself_once_enabled(tmp_path: Path) -> None:
    database = _database(tmp_path / "hosts.db")
    inventory = InventoryManager(DataLoader(), sources=[str(database)], enable_plugins=["sqlite"])
    assert [h.name for h in inventory.get_hosts("frontend")] == ["alpha"]
