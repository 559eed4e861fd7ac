"""Inventory plugin ``ini``: Ansible's INI inventory format.

- ``[group]`` lists hosts, ``[group:vars]`` sets group variables,
  ``[group:children]`` lists child groups (which may be declared later); lines
  before any section are hosts of ``ungrouped``.
- A host line is ``NAME[:PORT] key=value ...``; ``NAME`` may hold ranges
  (``web[01:50]``, ``db-[a:f]``, ``n[1:10:2]``).
- Values are typed as Ansible types them: a value that reads as a Python
  literal (``5``, ``True``, ``[1, 2]``, ``{'a': 1}``, ``'quoted'``) becomes that
  value, anything else stays a string.  ansible-core applies this to inline host
  variables and to ``[group:vars]`` alike, and so does corral.
- ``#`` and ``;`` start comment lines.

Bad lines raise :class:`corral.errors.CorralParserError` naming the file and line.
"""
from __future__ import annotations

import ast
import os
import re
import shlex
import warnings
from typing import Any

from corral.errors import CorralError, CorralParserError
from corral.inventory.addresses import expand_hostpattern
from corral.inventory.data import InventoryChanges
from corral.plugins import hookimpl
from corral.plugins.inventory import InventoryPlugin

__all__ = ["IniInventory", "parse_value"]

_SECTION = re.compile(r"^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$")
_GROUP_NAME = re.compile(r"^([^:\]\s]+)\s*(?:#.*)?$")
_NEEDS_SHLEX = frozenset("'\"#\\")
# values made only of these characters are literals only when they are numbers or keywords
_BARE = re.compile(r"^[\w.\-/:@]+$")
_NUMBER = re.compile(r"^[+-]?(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)$")
_KEYWORDS = frozenset({"True", "False", "None"})


def _coerce(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_coerce(item) for item in value]
    if isinstance(value, dict):
        return {_coerce(k): _coerce(v) for k, v in value.items()}
    if value is ...:
        return "..."
    if isinstance(value, complex):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return value


def parse_value(text: str) -> Any:
    """Type an INI value: a Python literal becomes its value, anything else
    stays the string (tuples and sets become lists)."""
    if text.isdigit() and (len(text) == 1 or text[0] != "0"):
        return int(text)
    if _BARE.match(text) and text not in _KEYWORDS and not _NUMBER.match(text):
        return text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text
    return _coerce(value)


class _Parser:
    """One parse of one file (parsers are shared, so state lives here)."""

    def __init__(self, inventory: Any, path: str) -> None:
        self.changes = InventoryChanges(inventory)
        self.path = path
        self.line_no = 0

    def error(self, message: str) -> CorralParserError:
        return CorralParserError(message, position=(self.path, self.line_no, 1))

    def parse(self, lines: list[str]) -> None:
        changes = self.changes
        pending: dict[str, dict[str, Any]] = {}
        group, state = "ungrouped", "hosts"
        for self.line_no, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if line[0] == "[":
                match = _SECTION.match(line)
                if match:
                    group, state = match.group(1), match.group(2) or "hosts"
                    # the section's name is checked here, then again as the group is added (as Ansible does)
                    group = changes.inventory.safe_group_name(group)
                    if state not in ("hosts", "children", "vars"):
                        raise self.error(f"Section [{group}:{state}] has unknown type: {state}")
                    if not changes.has_group(group):
                        if state == "vars" and group not in pending:
                            pending[group] = {"line": self.line_no, "state": "vars", "name": group}
                        changes.add_group(group)
                    if group in pending and state != "vars":
                        if pending[group]["state"] == "children":
                            self._add_pending_children(group, pending)
                        elif pending[group]["state"] == "vars":
                            del pending[group]
                    continue
                if line.endswith("]"):
                    raise self.error(f"Invalid section entry: '{line}'. Please make sure that there are no "
                                     f"spaces in the section entry, and that there are no other invalid characters")
                if "]" not in line:
                    # ansible-core refuses the file too; a host named '[db' would silently move
                    # the hosts below into the previous group
                    raise self.error(f"Invalid section entry: '{line}'. The section header has no closing ']'")
            if state == "hosts":
                self._host_line(line, group)
            elif state == "vars":
                if "=" not in line:
                    raise self.error(f"Expected key=value, got: {line}")
                key, value = line.split("=", 1)
                changes.set_variable(group, key.strip(), parse_value(value.strip()))
            else:
                match = _GROUP_NAME.match(line)
                if not match:
                    raise self.error(f"Expected group name, got: {line}")
                child = match.group(1)
                if changes.has_group(child):
                    changes.add_child(group, child)
                elif child in pending:
                    pending[child]["parents"].append(group)
                else:
                    pending[child] = {"line": self.line_no, "state": "children", "name": child,
                                      "parents": [group]}
        for decl in pending.values():
            self.line_no = decl["line"]
            if decl["state"] == "vars":
                raise self.error(f"Section [{decl['name']}:vars] not valid for undefined group '{decl['name']}'.")
            raise self.error(f"Section [{decl['parents'][-1]}:children] includes undefined group '{decl['name']}'.")

    def _add_pending_children(self, group: str, pending: dict[str, dict[str, Any]]) -> None:
        for parent in pending[group]["parents"]:
            self.changes.add_child(parent, group)
            if parent in pending and pending[parent]["state"] == "children":
                self._add_pending_children(parent, pending)
        del pending[group]

    def _host_line(self, line: str, group: str) -> None:
        if _NEEDS_SHLEX.isdisjoint(line):
            tokens = line.split()
        else:
            try:
                tokens = shlex.split(line, comments=True)
            except ValueError as exc:
                raise self.error(f"Error parsing host definition '{line}': {exc}") from None
            if not tokens:
                return
        pattern = tokens[0]
        try:
            names, port = expand_hostpattern(pattern)
        except CorralError as exc:
            raise self.error(str(exc.message)) from None
        if pattern.endswith(":") and port is None:
            raise self.error(f"Invalid host pattern '{pattern}' supplied, ending in ':' is not allowed, "
                             f"this character is reserved to provide a port.")
        if "---" in pattern and any(name.strip() == "---" for name in names):
            raise self.error(f"Invalid host pattern '{pattern}' supplied, '---' is normally a sign this is a YAML file.")
        variables = []
        for token in tokens[1:]:
            if "=" not in token:
                raise self.error(f"Expected key=value host variable assignment, got: {token}")
            key, value = token.split("=", 1)
            variables.append((key, parse_value(value)))
        changes = self.changes
        for name in names:
            changes.add_host(name, group=group, port=port)
            if variables:
                changes.set_variables(name, variables)


class IniInventory(InventoryPlugin):
    NAME = "ini"

    def verify_source(self, source: str) -> bool:
        # any file but TOML, as ansible-core's ini plugin (YAML files that fail as YAML are tried too)
        return os.path.isfile(source) and os.path.splitext(source)[1] != ".toml"

    def parse(self, inventory: Any, loader: Any, source: str, **options: Any) -> None:
        text, _ = loader.get_text_file_contents(source)
        parser = _Parser(inventory, source)
        parser.parse(text.splitlines())
        parser.changes.apply()


@hookimpl
def corral_inventory_plugins() -> list[InventoryPlugin]:
    return [IniInventory()]
