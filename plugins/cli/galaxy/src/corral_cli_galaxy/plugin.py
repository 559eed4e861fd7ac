"""``corral-plugins galaxy ...``: the ``corral-galaxy`` command line as a subcommand
(hook ``corral_cli_commands``), which also lists this distribution among the
installed plugins."""
from __future__ import annotations

import argparse
from typing import Any

from corral.plugins import hookimpl

from corral_cli_galaxy.cli import main


@hookimpl
def corral_cli_commands(subparsers: Any) -> None:
    parser = subparsers.add_parser("galaxy", help="install, build and list collections and roles (corral-galaxy)",
                                   description="The corral-galaxy command line: corral-plugins galaxy collection "
                                               "install ..., role install ..., install -r requirements.yml.",
                                   add_help=False)
    parser.add_argument("galaxy_args", nargs=argparse.REMAINDER)
    parser.set_defaults(func=lambda args: main(args.galaxy_args))
