"""Inventory plugin ``sqlite``: hosts, groups and variables from a SQLite database.

A source is either a plugin configuration, a YAML file::

    plugin: sqlite
    database: hosts.db          # relative to this file's folder

or the database file itself (``-i hosts.db``; then ``sqlite`` must be in
``[inventory] enable_plugins``: a configuration goes through ``auto``, enabled by
default).  The database has three tables (:data:`SCHEMA`): ``hosts`` (name and a
JSON object of variables), ``groups`` (name, optional parent group, JSON
variables) and ``host_groups`` (which host is in which group).
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
from typing import Any

from corral.errors import CorralParserError
from corral.inventory.data import InventoryChanges
from corral.plugins import hookimpl
from corral.plugins.inventory import InventoryPlugin
from corral.plugins.options import Option, resolve_options

__all__ = ["SCHEMA", "SqliteInventory"]

SCHEMA = """
CREATE TABLE hosts (name TEXT PRIMARY KEY, vars TEXT NOT NULL DEFAULT '{}');
CREATE TABLE groups (name TEXT PRIMARY KEY, parent TEXT REFERENCES groups(name), vars TEXT NOT NULL DEFAULT '{}');
CREATE TABLE host_groups (host TEXT NOT NULL REFERENCES hosts(name), grp TEXT NOT NULL REFERENCES groups(name));
"""

_MAGIC = b"SQLite format 3\x00"
_CONFIG = re.compile(r"^plugin:\s*['\"]?(?:[\w.]+\.)?sqlite['\"]?\s*$", re.MULTILINE)


class SqliteInventory(InventoryPlugin):
    NAME = "sqlite"
    OPTIONS = {
        "database": Option("database", type="path", required=True, env=("CORRAL_SQLITE_INVENTORY_DB",),
                           description="The SQLite database file (relative to the configuration's folder)."),
    }

    def verify_source(self, source: str) -> bool:
        if not os.path.isfile(source):
            return False
        with open(source, "rb") as stream:
            head = stream.read(4096)
        if head.startswith(_MAGIC):
            return True
        return source.endswith((".yml", ".yaml")) and bool(_CONFIG.search(head.decode("utf-8", "replace")))

    def parse(self, inventory: Any, loader: Any, source: str, **options: Any) -> None:
        database = source if _is_database(source) else self._configured_database(loader, source)
        try:
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
                hosts = db.execute("SELECT name, vars FROM hosts ORDER BY rowid").fetchall()
                groups = db.execute("SELECT name, parent, vars FROM groups ORDER BY rowid").fetchall()
                members = db.execute("SELECT host, grp FROM host_groups ORDER BY rowid").fetchall()
        except sqlite3.Error as exc:
            raise CorralParserError(f"Cannot read the inventory database {database}: {exc}") from None
        changes = InventoryChanges(inventory)
        for name, _parent, _vars in groups:
            changes.add_group(name)
        for name, parent, variables in groups:
            if parent:
                changes.add_child(parent, name)
            for key, value in _variables(variables, f"group {name}").items():
                changes.set_variable(name, key, value)
        for name, variables in hosts:
            changes.add_host(name)
            for key, value in _variables(variables, f"host {name}").items():
                changes.set_variable(name, key, value)
        for host, group in members:
            changes.add_child(group, host)
        changes.apply()

    def _configured_database(self, loader: Any, source: str) -> str:
        config = loader.load_from_file(source, cache=False)
        if not isinstance(config, dict):
            raise CorralParserError(f"{source} is not a sqlite inventory configuration")
        settings = {key: value for key, value in config.items() if key != "plugin"}
        if isinstance(settings.get("database"), str):
            settings["database"] = os.path.join(os.path.dirname(source), settings["database"])
        resolved = resolve_options(self.OPTIONS, plugin=f"inventory plugin '{self.NAME}'", direct=settings)
        return str(resolved["database"])


def _is_database(path: str) -> bool:
    with open(path, "rb") as stream:
        return stream.read(len(_MAGIC)) == _MAGIC


def _variables(text: str, owner: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError as exc:
        raise CorralParserError(f"The variables of {owner} are not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise CorralParserError(f"The variables of {owner} must be a JSON object")
    return value


@hookimpl
def corral_inventory_plugins() -> list[InventoryPlugin]:
    return [SqliteInventory()]
