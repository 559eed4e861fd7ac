"""The ``corral-plugins new KIND NAME [--dir DIR]`` subcommand (hook ``corral_cli_commands``)."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from corral.plugins import hookimpl

from corral_cli_scaffold.generate import KINDS, ScaffoldError, generate


def _new(args: argparse.Namespace) -> int:
    try:
        root = generate(args.kind, args.name, args.dir)
    except ScaffoldError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {root}\n  pip install -e '{root}[test]' && pytest {root}/tests")
    return 0


@hookimpl
def corral_cli_commands(subparsers: Any) -> None:
    parser = subparsers.add_parser("new", help="write a new plugin distribution (pyproject, code, test, README)",
                                   description="Write corral-KIND-NAME: a plugin distribution that installs "
                                               "and passes its own test as generated.")
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("name", help="the plugin's name (lower case, digits, _)")
    parser.add_argument("--dir", default=".", help="where to write it (default: the current directory)")
    parser.set_defaults(func=_new)
