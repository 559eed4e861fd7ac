"""The sqlite vars plugin reads a real database for hosts and groups."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from corral.errors import CorralParserError
from corral.inventory.group import Group
from corral.inventory.host import Host
from corral.parsing.dataloader import DataLoader
from corral.plugins.manager import PluginManager

from corral_vars_sqlite import SqliteVars


def _database(path: Path, rows: list[tuple[str, str, str, object]]) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE vars (kind TEXT, name TEXT, key TEXT, value TEXT)")
        db.executemany("INSERT INTO vars VALUES (?, ?, ?, ?)",
                       [(kind, name, key, json.dumps(value)) for kind, name, key, value in rows])


def test_the_entry_point_provides_the_plugin() -> None:
    assert PluginManager().vars_class("sqlite") is SqliteVars


def test_hosts_and_groups_get_their_rows_later_entities_winning(tmp_path: Path) -> None:
    _database(tmp_path / "vars.sqlite", [("group", "web", "port", 80), ("group", "web", "tier", "front"),
                                         ("host", "web1", "port", 8080), ("host", "web2", "port", 9090)])
    plugin = SqliteVars({"database": "vars.sqlite"})
    entities = [Group("web"), Host("web1")]
    assert plugin.get_vars(DataLoader(), str(tmp_path), entities) == {"port": 8080, "tier": "front"}
    assert plugin.get_vars(DataLoader(), str(tmp_path / "elsewhere"), entities) == {}


def test_a_broken_database_is_a_parser_error(tmp_path: Path) -> None:
    (tmp_path / "vars.sqlite").write_text("not a database")
    with pytest.raises(CorralParserError, match="Invalid vars database"):
        SqliteVars({"database": "vars.sqlite"}).get_vars(DataLoader(), str(tmp_path), [Host("web1")])
