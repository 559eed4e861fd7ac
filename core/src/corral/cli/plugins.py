"""``corral-plugins``: what is installed, from which distribution, and plugin commands.

``corral-plugins`` (or ``corral-plugins list``) prints every installed plugin by
kind with its distribution and version, the hooks it implements and the names it
provides (connection types, modules, actions, filters, inventory parsers...);
a plugin that fails to load, or loses its name to another distribution, says so.
``--kind`` narrows it, ``--json`` prints JSON, ``--requirements`` prints pip
requirement lines for the distributions (without loading any plugin).
Plugins add subcommands through the ``corral_cli_commands`` hook (entry point group
``corral.cli``).
"""
from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from corral.cli.completion import parse
from corral.cli.options import run_cli
from corral.plugins.manager import KINDS, PluginManager

__all__ = ["main"]


def _list(args: argparse.Namespace, plugins: PluginManager) -> int:
    kinds = [args.kind] if args.kind else list(KINDS)
    if args.requirements:
        rows = [info for kind in kinds for info in plugins.installed(kind)]
        for dist in sorted({(info.distribution, info.version) for info in rows}):
            print(f"{dist[0]}=={dist[1]}" if dist[1] else dist[0])
        return 0
    described = [d for kind in kinds for d in plugins.describe(kind)]
    if args.json:
        print(json.dumps([{"kind": d.info.kind, "name": d.info.name, "entry_point": d.info.target,
                           "distribution": d.info.distribution, "version": d.info.version,
                           "hooks": list(d.hooks), "provides": d.provides, "error": d.error}
                          for d in described], indent=2))
        return 0
    if not described:
        print("No plugins installed." + (f" (kind: {args.kind})" if args.kind else ""))
        return 0
    width = max(len(d.info.name) for d in described)
    for kind in kinds:
        of_kind = [d for d in described if d.info.kind == kind]
        if of_kind:
            print(f"{kind}:")
        for d in of_kind:
            print(f"  {d.info.name:<{width}}  {d.info.distribution} {d.info.version}")
            details = [("error", [d.error])] if d.error else [("hooks", list(d.hooks)), *d.provides.items()]
            for label, names in details:
                print(textwrap.fill(", ".join(names), width=100, initial_indent=f"      {label}: ",
                                    subsequent_indent=" " * 8, break_on_hyphens=False))
    return 0


def _parser(plugins: PluginManager) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corral-plugins", description="List installed corral plugins.")
    parser.set_defaults(func=None)
    sub = parser.add_subparsers(dest="command")
    listing = sub.add_parser("list", help="list installed plugins (the default)")
    for target in (parser, listing):
        target.add_argument("--kind", choices=sorted(KINDS))
        target.add_argument("--json", action="store_true")
        target.add_argument("--requirements", action="store_true")
    listing.set_defaults(func=None)
    plugins.load_all("cli")
    plugins.hook.corral_cli_commands(subparsers=sub)
    return parser


def _body(argv: list[str] | None) -> int:
    plugins = PluginManager(warn=lambda message: print(f"[WARNING]: {message}", file=sys.stderr))
    args = parse(_parser(plugins), argv)
    func: Any = args.func
    if func is None:
        return _list(args, plugins)
    return int(func(args) or 0)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``corral-plugins``."""
    return run_cli(_body, argv)
