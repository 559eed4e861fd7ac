"""``corral-doc``: documentation of modules and lists of installed plugins.

``corral-doc MODULE...`` shows each module's description, options, examples and
return values from its own ``DOCUMENTATION``/``EXAMPLES``/``RETURN`` strings;
``corral-doc -l`` lists the modules (and controller-only actions) with a one-line
summary; ``corral-doc -l -t KIND`` lists the installed plugins of KIND (connection,
callback, strategy, executor, inventory, module, template, cli) with their
distribution and version; ``-j`` prints JSON; ``-F`` lists module files; ``-s``
prints a task snippet of each module, as ``ansible-doc -s``.  Modules of plugin
folders are found too: ``library/`` beside ``--playbook-dir``, and the directories
``-M`` prepends to the configured module path (``ANSIBLE_LIBRARY``).

Exit codes follow ansible-doc: 0 success (a module that is not found is a warning),
1 an error, 2 bad command line.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import textwrap
from typing import Any, Sequence, TextIO

from corral.cli.completion import parse
from corral.cli.config import PLUGIN_KINDS, option_sources
from corral.cli.doc_role import document_roles, documented_roles, list_roles, role_search_paths
from corral.cli.options import prepend_module_path
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
    # as ansible-doc: one mode at a time
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("-l", "--list", action="store_true", help="list the installed modules, or plugins of -t")
    parser.add_argument("-t", "--type", default="module", choices=sorted([*KINDS, "role"]),
                        help="plugin kind (default module); 'role' documents roles from their argument specs")
    mode.add_argument("-e", "--entry-point", dest="entry_point",
                        help="with -t role: only this entry point of the role(s)")
    parser.add_argument("-r", "--roles-path", action="append", dest="roles_path", default=[],
                        help="with -t role: a directory holding roles, searched first (repeatable)")
    parser.add_argument("-j", "--json", action="store_true", help="print JSON")
    mode.add_argument("-F", "--list_files", action="store_true", help="list modules with their source files")
    mode.add_argument("-s", "--snippet", action="store_true", help="show a playbook snippet for each module")
    mode.add_argument("--metadata-dump", action="store_true", dest="metadata_dump",
                      help="print the documentation of every module, plugin and role as one JSON document "
                           "(for tools; other options but -M, --playbook-dir and -r are ignored)")
    parser.add_argument("--no-fail-on-errors", action="store_true", dest="no_fail_on_errors",
                        help="with --metadata-dump: report a plugin whose documentation cannot be read as "
                             "an 'error' entry instead of failing")
    parser.add_argument("-M", "--module-path", action="append", dest="module_path", default=[],
                        help="prepend colon-separated path(s) to the module library (repeatable)")
    parser.add_argument("--playbook-dir", dest="basedir",
                        help="find modules in the library/ folder beside this directory too")
    parser.add_argument("-v", "--verbose", action="count", default=0, dest="verbosity",
                        help="more output (-vvvv: why a plugin could not be loaded)")
    return parser


#: the column where a snippet's option comments start, and the width they wrap at
_SNIPPET_COMMENT = 29


def format_snippet(name: str, doc: dict[str, Any], columns: int = 80) -> str:
    """``corral-doc -s NAME``: a task using the module, each option with its
    description as a comment (``(required)`` first for a mandatory one), as
    ``ansible-doc -s`` prints it."""
    lines = [f"- name: {_render(str(doc.get('short_description') or ''))}", f"  {name}:"]
    hang = " " * _SNIPPET_COMMENT + "# "
    width = max(columns - 30, 40)
    for option_name in sorted(doc.get("options") or {}):
        option = doc["options"][option_name] or {}
        text = " ".join(_text(option.get("description")))
        if option.get("required"):
            text = f"(required) {text}"
        wrapped = textwrap.wrap(text, width=width, subsequent_indent=hang) or [""]
        wrapped[0] = f"      {option_name + ':':<20}   # {wrapped[0]}".rstrip()
        lines.extend(wrapped)
    return "\n".join(lines) + "\n"


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


def _action_doc(action: Any) -> dict[str, Any]:
    """A controller action's documentation: its ``DOCUMENTATION`` (YAML, as a
    module's), else its docstring."""
    text = getattr(action, "DOCUMENTATION", None)
    if isinstance(text, str) and text.strip():
        import yaml
        doc = dict(yaml.safe_load(text) or {})
    else:
        doc = {"short_description": _summary_of_action(action), "description": [(action.__doc__ or "").strip()]}
    doc.setdefault("examples", "")
    doc.setdefault("returns", {})
    return doc


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
            entries[name] = str(_action_doc(actions[name]).get("short_description") or "")
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
              as_json: bool, snippet: bool = False) -> int:
    width = min(shutil.get_terminal_size((80, 24)).columns, 120)
    collected: dict[str, Any] = {}
    for requested in names:
        name = normalize_module_name(requested)
        if kind == "module":
            spec = plugins.modules().get(name) or plugins.resolve("module", requested, ())
            action = plugins.actions().get(name)
            if spec is None:
                if action is None:
                    err.write(f"[WARNING]: {requested} was not found\n")
                    continue
                doc = _action_doc(action)
                path = f"action {action.__module__}.{action.__name__}"
            else:
                try:
                    doc = plugins.module_documentation(spec)
                except Exception as exc:  # noqa: BLE001 - a module's broken YAML is reported, not fatal
                    err.write(f"ERROR! module {name} has invalid documentation in {spec.path}: {exc}\n")
                    return 1
                path = spec.path
            if snippet:
                out.write(format_snippet(name, doc, shutil.get_terminal_size((80, 24)).columns))
            elif as_json:
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


def _folder_modules(plugins: PluginManager, args: argparse.Namespace) -> dict[str, Any]:
    """The modules of the plugin folders the command line names (``-M`` directories and
    ``library/`` beside ``--playbook-dir``), by name."""
    folders = [part for value in args.module_path for part in value.split(os.pathsep) if part]
    if args.basedir:
        folders.append(os.path.join(args.basedir, "library"))
    found: dict[str, Any] = {}
    for folder in folders:
        if not os.path.isdir(folder):
            continue
        for file_name in sorted(os.listdir(folder)):
            stem, extension = os.path.splitext(file_name)
            if extension not in ("", ".py", ".ps1", ".sh") or stem.startswith(("_", ".")) or stem in found:
                continue
            spec = plugins.resolve("module", stem, ())
            if spec is not None:
                found[stem] = spec
    return found


def _metadata_dump(plugins: PluginManager, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``--metadata-dump``: ``{"all": {kind: {name: entry}}}`` for every module (and
    controller action), every installed plugin of every kind and every documented role,
    each entry ``{"doc", "examples", "metadata", "return"}`` as ansible-doc's (a role's:
    its specs).  A module whose documentation cannot be read fails the dump (exit 1),
    or with ``--no-fail-on-errors`` becomes ``{"error": message}``."""
    from corral.config import Config
    dump: dict[str, dict[str, Any]] = {}
    modules, actions = {**_folder_modules(plugins, args), **plugins.modules()}, plugins.actions()
    dump["module"] = {}
    for name in sorted(set(modules) | set(actions)):
        if name in modules:
            try:
                doc = plugins.module_documentation(modules[name])
            except Exception as exc:  # noqa: BLE001 - reported, or kept as the entry's error
                message = f"module {name} has invalid documentation in {modules[name].path}: {exc}"
                if not args.no_fail_on_errors:
                    err.write(f"ERROR! {message}\n")
                    return 1
                dump["module"][name] = {"error": message}
                continue
            doc.update(filename=modules[name].path, plugin_name=name, has_action=name in actions)
        else:
            doc = _action_doc(actions[name])
            doc.update(plugin_name=name, has_action=True)
        dump["module"][name] = {"doc": {k: v for k, v in doc.items() if k not in ("examples", "returns")},
                                "examples": doc.get("examples") or "", "metadata": None,
                                "return": doc.get("returns") or None}
    for kind in sorted(KINDS):
        if kind == "module":
            continue
        dump[kind] = {info.name: {"doc": {"plugin_name": info.name, "distribution": info.distribution,
                                          "version": info.version, "entry_point": info.target,
                                          "options": _plugin_options(plugins, kind, info.name, err)},
                                  "examples": "", "metadata": None, "return": None}
                      for info in plugins.installed(kind)}
    paths = role_search_paths(args.roles_path, args.basedir, Config().get("roles_path") or [])
    dump["role"] = documented_roles(paths)
    out.write(json.dumps({"all": dump}, indent=4, sort_keys=True, default=str) + "\n")
    return 0


def _roles(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``-t role``: list the documented roles, or document the named ones."""
    from corral.config import Config
    paths = role_search_paths(args.roles_path, args.basedir, Config().get("roles_path") or [])
    if args.list:
        list_roles(paths, out, args.json, args.entry_point)
        return 0
    if not args.names:
        err.write("ERROR! Incorrect options passed: give a role name, or -l to list roles\n")
        return 5
    document_roles(paths, args.names, out, args.json, args.entry_point)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``corral-doc``; returns the exit code."""
    args = parse(_parser(), list(argv) if argv is not None else None)
    prepend_module_path(args.module_path)
    plugins = PluginManager(warn=_warn)
    if args.basedir:
        plugins.content.add_playbook_dir(os.path.abspath(args.basedir))
    out, err = sys.stdout, sys.stderr
    try:
        if args.metadata_dump:
            return _metadata_dump(plugins, args, out, err)
        if args.type == "role":
            return _roles(args, out, err)
        if args.list or args.list_files:
            if args.type == "module":
                _list_modules(plugins, out, args.json, args.list_files)
            else:
                _list_kind(plugins, args.type, out, args.json)
            return 0
        if not args.names:
            err.write("ERROR! Incorrect options passed: give a module name, or -l to list modules\n")
            return 5
        if args.snippet and args.type != "module":
            err.write(f"ERROR! Snippets are only available for modules, not for {args.type} plugins\n")
            return 5
        return _document(plugins, args.type, args.names, out, err, args.json, args.snippet)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the CLI reports, never prints a traceback
        err.write(f"ERROR! Unexpected Exception, this is probably a bug: {type(exc).__name__}: {exc}\n")
        return 250


if __name__ == "__main__":
    raise SystemExit(main())
