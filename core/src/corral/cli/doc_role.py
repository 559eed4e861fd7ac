"""``corral-doc -t role``: roles documented from their argument specs, as ansible-doc.

A role's documentation is the ``argument_specs`` of its ``meta/argument_specs.yml``
(``.yaml``), else of its ``meta/main.yml``: one spec per entry point (``main``,
or the ``tasks_from`` name), each with ``short_description``, ``description``,
``author``, ``version_added`` and ``options``.  Roles are looked up in the
``--roles-path`` directories, then ``roles/`` beside ``--playbook-dir``, then the
configured ``roles_path``; ``--entry-point`` shows one entry point.

The layouts are ansible-doc 2.21's (without colour): ``-l`` lists each documented
role with its entry points (their names padded to the longest of all), ``-j`` prints the specs as JSON, and the text shows each
entry point with its options (``=`` marks a required one) wrapped at 70 columns.
A role that is not found, or has no spec for the entry point, prints nothing.
"""
from __future__ import annotations

import json
import os
import textwrap
from typing import Any, Iterable, TextIO

import yaml

__all__ = ["role_search_paths", "role_specs", "list_roles", "documented_roles", "document_roles"]

#: ansible-doc's text width for role documentation
_WIDTH = 70
_INDENT = " " * 10
#: keys of an option shown as its own line ("added in" and suboptions come after)
_SKIPPED_KEYS = ("description", "options", "required", "version_added", "suboptions")


def role_search_paths(roles_paths: Iterable[str], playbook_dir: str | None, configured: Iterable[str]) -> list[str]:
    """The directories searched for roles, in order (colon-separated entries split)."""
    found: list[str] = []
    entries = [part for value in roles_paths for part in value.split(os.pathsep) if part]
    if playbook_dir:
        entries.append(os.path.join(playbook_dir, "roles"))
    entries += list(configured)
    for entry in entries:
        path = os.path.abspath(os.path.expanduser(entry))
        if path not in found:
            found.append(path)
    return found


def role_specs(role_dir: str) -> dict[str, Any]:
    """The ``argument_specs`` of the role at ``role_dir`` (``{}`` when it has none)."""
    meta = os.path.join(role_dir, "meta")
    for file_name, key_inside in (("argument_specs.yml", True), ("argument_specs.yaml", True),
                                  ("main.yml", True), ("main.yaml", True)):
        path = os.path.join(meta, file_name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        specs = data.get("argument_specs") if key_inside and isinstance(data, dict) else None
        if isinstance(specs, dict):
            return specs
    return {}


def _roles(paths: list[str]) -> dict[str, str]:
    """Every role directory under ``paths`` (the first of each name wins)."""
    roles: dict[str, str] = {}
    for path in paths:
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            role_dir = os.path.join(path, name)
            if os.path.isdir(role_dir) and name not in roles:
                roles[name] = role_dir
    return roles


def list_roles(paths: list[str], out: TextIO, as_json: bool, entry_point: str | None = None) -> None:
    """``-l``: each role with argument specs and its entry points' short descriptions."""
    listed: dict[str, dict[str, str]] = {}
    for name, role_dir in sorted(_roles(paths).items()):
        specs = role_specs(role_dir)
        points = {point: str((spec or {}).get("short_description") or "")
                  for point, spec in specs.items() if entry_point in (None, point)}
        if points:
            listed[name] = points
    if as_json:
        out.write(json.dumps({name: {"description": "UNDOCUMENTED", "entry_points": points}
                              for name, points in listed.items()}, indent=4, sort_keys=True) + "\n")
        return
    width = max((len(point) for points in listed.values() for point in points), default=0)
    for name, points in listed.items():
        out.write(f"{name}:\n  specs:\n")
        for point, summary in points.items():
            out.write(f"    {point:<{width}}: {summary}\n")


def documented_roles(paths: list[str], names: Iterable[str] | None = None,
                     entry_point: str | None = None) -> dict[str, Any]:
    """``{role: {"collection", "entry_points", "path"}}`` for the roles ``names`` (default:
    every role) that have argument specs (for ``entry_point`` when it is given)."""
    roles = _roles(paths)
    collected: dict[str, Any] = {}
    for name in sorted(roles if names is None else names):
        if name not in roles:
            continue
        points = {point: spec for point, spec in role_specs(roles[name]).items() if entry_point in (None, point)}
        if points:
            collected[name] = {"collection": None, "entry_points": points, "path": roles[name]}
    return collected


def document_roles(paths: list[str], names: list[str], out: TextIO, as_json: bool,
                   entry_point: str | None = None) -> None:
    """The documentation of the roles ``names`` (JSON or ansible-doc's text)."""
    collected = documented_roles(paths, names, entry_point)
    texts = [_role_text(name, role["path"], role["entry_points"]) for name, role in collected.items()]
    if as_json:
        out.write(json.dumps(collected, indent=4, sort_keys=True, default=str) + "\n")
    elif texts:
        out.write("".join(texts))


def _role_text(name: str, path: str, points: dict[str, Any]) -> str:
    lines = [f"> ROLE: *{name}* ({path})", ""]
    for point, spec in points.items():
        spec = spec or {}
        lines += [f"ENTRY POINT: *{point}* - {spec.get('short_description') or ''}".rstrip(), ""]
        if spec.get("version_added"):
            lines += [f"ADDED IN: version {spec['version_added']}", ""]
        description = _paragraphs(spec.get("description"))
        if description:
            lines += [wrapped for text in description for wrapped in _wrap(text, _INDENT, _INDENT)] + [""]
        if spec.get("options"):
            lines += ["Options (= indicates it is required):", ""]
            lines += _options(spec["options"], "", top=True)
        author = spec.get("author")
        if author:
            lines += [f"AUTHOR: {', '.join(map(str, author)) if isinstance(author, list) else author}", ""]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _paragraphs(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, width=_WIDTH, initial_indent=first, subsequent_indent=rest) or [first.rstrip()]


def _options(options: dict[str, Any], indent: str, top: bool) -> list[str]:
    """Each option: its marker, name and description (the name padded to 8 at the top
    level), then its other keys one a line, then its suboptions."""
    lines: list[str] = []
    field_indent = _INDENT if top else indent + "  "
    for name in sorted(options):
        option = options[name] or {}
        marker = "=" if option.get("required") else "-"
        head = f"{indent}{marker} {name.ljust(8) if top else name}  "
        text = " ".join(_paragraphs(option.get("description")))
        lines += _wrap(text, head, " " * (len(head) + 1)) if text else [head.rstrip()]
        details = dict(option)
        if not option.get("required"):
            details.setdefault("default", None)
        for key in sorted(details):
            if key in _SKIPPED_KEYS:
                continue
            lines.append(f"{field_indent}{key}: {_value(details[key])}")
        if option.get("version_added"):
            lines.append(f"{field_indent}added in: version {option['version_added']}")
        suboptions = option.get("options") or option.get("suboptions")
        if suboptions:
            lines += [f"{field_indent}options:", ""]
            lines += _options(suboptions, field_indent, top=False)
            continue
        lines.append("")
    return lines


def _value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return str(value)
