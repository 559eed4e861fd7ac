"""The ``sqlite`` vars plugin: host and group variables kept in a SQLite database
beside the inventory (or the playbook).

The database (``vars.sqlite`` by default) has one table::

    CREATE TABLE vars (kind TEXT, name TEXT, key TEXT, value TEXT)

``kind`` is ``host`` or ``group``, ``name`` the host's or group's name, ``value``
the variable's value as JSON.  Rows are read in ``rowid`` order, so a later row
for the same key wins.  The database is opened read-only and read once per
inventory.  Enable it with ``vars_plugins_enabled = host_group_vars, sqlite``.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from corral.errors import CorralParserError
from corral.inventory.host import Host
from corral.plugins import hookimpl
from corral.plugins.options import Option
from corral.plugins.vars import STAGES, VarsBase

__all__ = ["SqliteVars"]

_Table = dict[tuple[str, str], dict[str, Any]]


class SqliteVars(VarsBase):
    """Variables from ``<path>/<database>``."""

    OPTIONS = {
        "database": Option("database", "vars.sqlite", "str", env=("ANSIBLE_VARS_SQLITE_DATABASE",),
                           ini=(("vars_sqlite", "database"),),
                           description="The database file name, relative to the inventory's directory."),
        "stage": Option("stage", None, "str", choices=STAGES, env=("ANSIBLE_VARS_SQLITE_STAGE",),
                        ini=(("vars_sqlite", "stage"),), description="When the plugin runs."),
    }

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self._tables: dict[str, _Table] = {}
        self._lock = threading.Lock()

    def get_vars(self, loader: Any, path: str, entities: Sequence[Any]) -> dict[str, Any]:
        table = self._table(os.path.join(path, self.get_option("database")))
        data: dict[str, Any] = {}
        for entity in entities:
            data.update(table.get(("host" if isinstance(entity, Host) else "group", entity.name), {}))
        return data

    def _table(self, database: str) -> _Table:
        with self._lock:
            if database not in self._tables:
                self._tables[database] = _read(database) if os.path.isfile(database) else {}
            return self._tables[database]


def _read(database: str) -> _Table:
    table: _Table = {}
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            for kind, name, key, value in db.execute("SELECT kind, name, key, value FROM vars ORDER BY rowid"):
                table.setdefault((kind, name), {})[key] = json.loads(value)
    except (sqlite3.Error, json.JSONDecodeError) as exc:
        raise CorralParserError(f"Invalid vars database {database}: {exc}") from exc
    return table


@hookimpl
def corral_vars(name: str) -> type[SqliteVars] | None:
    return SqliteVars if name == "sqlite" else None
