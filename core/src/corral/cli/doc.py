"""``corral-doc``: documentation of modules and lists of installed plugins.

``corral-doc MODULE...`` shows each module's description, options, examples and
return values from its own ``DOCUMENTATION``/``EXAMPLES``/``RETURN`` strings;
``corral-doc -l`` lists the modules (and controller-only actions) with a one-line
summary; ``corral-doc -l -t KIND`` lists the installed plugins of KIND (connection,
callback, strategy, executor, inventory, module, template, cli) with their
distribution and version; ``-j`` prints JSON; ``-F`` lists module files.

Exit codes follow ansible-doc: 0 success (a module that is not found is a warning),
1 an error, 2 bad command line.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import textwrap
from typing import Any, Sequence, TextIO

from corral.cli.completion import parse
from corral.cli.config import PLUGIN_KINDS, option_sources
from corral.cli.version import add_version_option
from corral.errors import CorralError
from corral.plugins.manager import KINDS, PluginManager
from corral.plugins.options import declared_options
from corral.plugins.module import normalize_module_name

__all__ = ["main", "format_module_doc"]

_INDENT = " " * 8


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corral-doc", description="Show module documentation and list plugins.")
    add_version_option(parser)
    parser.add_argument("names", nargs="*", metavar="PLUGIN", help="modules (or plugins of -t) to document")
    parser.add_argument("-l", "--list", action="store_true", help="list the installed modules, or plugins of -t")
    parser.add_argument("-t", "--type", default="module", choices=sorted(KINDS), help="plugin kind (default module)")
    parser.add_argument("-j", "--json", action="store_true", help="print JSON")
    parser.add_argument("-F", "--list_files", action="store_true", help="list modules with their source files")
    return parser


_MARKUP = re.compile(r"\b(?:C|O|RV|V|I|B|U|L|M|P)\(([^()]*)\)")


def _render(text: str) -> str:
    """Ansible's documentation markup (C(code), O(option), M(module)...) as plain text."""
    return _MARKUP.sub(lambda match: f"`{match.group(1)}'", text)


def _text(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [_render(str(item)) for item in value]
    return [_render(str(value))]


def _wrap(lines: list[str], indent: str, width: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        out.extend(textwrap.wrap(line, width=max(width - len(indent), 20), initial_indent=indent,
                                 subsequent_indent=indent) or [indent])
    return out


def _options(options: dict[str, Any], indent: str, width: int) -> list[str]:
    lines: list[str] = []
    for name in sorted(options or {}):
        option = options[name] or {}
        marker = "=" if option.get("required") else "-"
        lines.append(f"{indent}{marker} {name}")
        body = indent + _INDENT
        lines.extend(_wrap(_text(option.get("description")), body, width))
        for key in ("aliases", "choices", "default", "elements", "type", "set_via"):
            if key in option and option[key] is not None:
                value = option[key]
                shown = f"[{', '.join(map(str, value))}]" if isinstance(value, list) else str(value)
                lines.append(f"{body}{key}: {shown}")
        if option.get("suboptions"):
            lines.append(f"{body}suboptions:")
            lines.extend(_options(option["suboptions"], body + "  ", width))
        lines.append("")
    return lines


def _returns(returns: dict[str, Any], indent: str, width: int) -> list[str]:
    lines: list[str] = []
    for name in sorted(returns or {}):
        value = returns[name] or {}
        lines.append(f"{indent}- {name}")
        body = indent + _INDENT
        lines.extend(_wrap(_text(value.get("description")), body, width))
        for key in ("returned", "type", "sample"):
            if key in value:
                lines.append(f"{body}{key}: {json.dumps(value[key]) if key == 'sample' else value[key]}")
        if isinstance(value.get("contains"), dict):
            lines.append(f"{body}contains:")
            lines.extend(_returns(value["contains"], body + "  ", width))
        lines.append("")
    return lines


def format_module_doc(name: str, path: str, doc: dict[str, Any], width: int = 80) -> str:
    """The text ``corral-doc NAME`` prints for a module's parsed documentation."""
    lines = [f"> MODULE {name} ({path})", ""]
    if doc.get("short_description"):
        lines.append(f"  {doc['short_description']}")
        lines.append("")
    lines.extend(_wrap(_text(doc.get("description")), "  ", width))
    lines.append("")
    if doc.get("options"):
        lines.append("OPTIONS (= is mandatory):")
        lines.append("")
        lines.extend(_options(doc["options"], "", width))
    if doc.get("notes"):
        lines.append("NOTES:")
        lines.extend(_wrap([f"* {note}" for note in _text(doc["notes"])], "      ", width))
        lines.append("")
    if doc.get("examples"):
        lines.append("EXAMPLES:")
        lines.append("")
        lines.append(doc["examples"])
        lines.append("")
    if doc.get("returns"):
        lines.append("RETURN VALUES:")
        lines.append("")
        lines.extend(_returns(doc["returns"], "", width))
    return "\n".join(lines).rstrip() + "\n"


def _summary_of_action(action: Any) -> str:
    doc = (getattr(action, "__doc__", None) or "").strip()
    return doc.splitlines()[0] if doc else ""


def _list_modules(plugins: PluginManager, out: TextIO, as_json: bool, with_files: bool) -> None:
    modules = plugins.modules()
    actions = plugins.actions()
    entries: dict[str, str] = {}
    for name in sorted(set(modules) | set(actions)):
        if with_files:
            entries[name] = modules[name].path if name in modules else f"(action {actions[name].__module__})"
        elif name in modules:
            try:
                entries[name] = modules[name].summary or _summary_of_action(actions.get(name))
            except Exception as exc:  # noqa: BLE001 - one module's broken YAML must not hide the others
                sys.stderr.write(f"[WARNING]: module {name} has invalid documentation in "
                                 f"{modules[name].path}: {exc}\n")
                entries[name] = "(invalid documentation)"
        else:
            entries[name] = _summary_of_action(actions[name])
    if as_json:
        out.write(json.dumps(entries, indent=4, sort_keys=True) + "\n")
        return
    width = max((len(name) for name in entries), default=0)
    for name, text in entries.items():
        out.write(f"{name:<{width}}  {text}".rstrip() + "\n")


def _list_kind(plugins: PluginManager, kind: str, out: TextIO, as_json: bool) -> None:
    infos = plugins.installed(kind)
    if as_json:
        out.write(json.dumps({info.name: {"distribution": info.distribution, "version": info.version,
                                          "entry_point": info.target} for info in infos},
                             indent=4, sort_keys=True) + "\n")
        return
    width = max((len(info.name) for info in infos), default=0)
    for info in infos:
        out.write(f"{info.name:<{width}}  {info.distribution} {info.version}".rstrip() + "\n")


def _plugin_options(plugins: PluginManager, kind: str, name: str, err: TextIO) -> dict[str, Any]:
    """The options plugin ``name`` of ``kind`` declares, as documentation (``{}`` for a kind
    whose plugins are not classes looked up by name, or a plugin that does not load)."""
    if kind not in PLUGIN_KINDS:
        return {}
    try:
        cls = getattr(plugins, f"{kind}_class")(name)
    except CorralError as exc:
        err.write(f"[WARNING]: {kind} {name}: {exc}\n")
        return {}
    return {option.name: {"description": option.description, "type": option.type, "default": option.default,
                          "required": option.required, "choices": list(option.choices) or None,
                          "set_via": option_sources(option)}
            for option in declared_options(cls).values()}


def _document(plugins: PluginManager, kind: str, names: list[str], out: TextIO, err: TextIO,
              as_json: bool) -> int:
    width = min(shutil.get_terminal_size((80, 24)).columns, 120)
    collected: dict[str, Any] = {}
    for requested in names:
        name = normalize_module_name(requested)
        if kind == "module":
            spec = plugins.modules().get(name)
            action = plugins.actions().get(name)
            if spec is None:
                if action is None:
                    err.write(f"[WARNING]: {requested} was not found\n")
                    continue
                doc = {"short_description": _summary_of_action(action),
                       "description": [(action.__doc__ or "").strip()], "examples": "", "returns": {}}
                path = f"action {action.__module__}.{action.__name__}"
            else:
                try:
                    doc = spec.doc
                except Exception as exc:  # noqa: BLE001 - a module's broken YAML is reported, not fatal
                    err.write(f"ERROR! module {name} has invalid documentation in {spec.path}: {exc}\n")
                    return 1
                path = spec.path
            if as_json:
                collected[name] = {"doc": {k: v for k, v in doc.items() if k not in ("examples", "returns")},
                                   "examples": doc.get("examples", ""), "return": doc.get("returns", {}),
                                   "path": path}
            else:
                out.write(format_module_doc(name, path, doc, width))
        else:
            info = next((i for i in plugins.installed(kind) if i.name == name), None)
            if info is None:
                err.write(f"[WARNING]: {kind} {requested} was not found\n")
                continue
            options = _plugin_options(plugins, kind, name, err)
            entry = {"name": info.name, "kind": kind, "distribution": info.distribution,
                     "version": info.version, "entry_point": info.target, "options": options}
            if as_json:
                collected[name] = entry
            else:
                out.write(f"> {kind.upper()} {info.name} ({info.target})\n\n"
                          f"  distribution: {info.distribution} {info.version}\n")
                if options:
                    out.write("\nOPTIONS (= is mandatory):\n\n" + "\n".join(_options(options, "", width)).rstrip()
                              + "\n")
    if as_json:
        out.write(json.dumps(collected, indent=4, sort_keys=True, default=str) + "\n")
    return 0


def _warn(message: str) -> None:
    sys.stderr.write(f"[WARNING]: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``corral-doc``; returns the exit code."""
    args = parse(_parser(), list(argv) if argv is not None else None)
    plugins = PluginManager(warn=_warn)
    out, err = sys.stdout, sys.stderr
    try:
        if args.list or args.list_files:
            if args.type == "module":
                _list_modules(plugins, out, args.json, args.list_files)
            else:
                _list_kind(plugins, args.type, out, args.json)
            return 0
        if not args.names:
            err.write("ERROR! Incorrect options passed: give a module name, or -l to list modules\n")
            return 5
        return _document(plugins, args.type, args.names, out, err, args.json)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the CLI reports, never prints a traceback
        err.write(f"ERROR! Unexpected Exception, this is probably a bug: {type(exc).__name__}: {exc}\n")
        return 250


if __name__ == "__main__":
    raise SystemExit(main())
