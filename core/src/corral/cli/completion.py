"""Shell completion for every corral CLI, through argcomplete.

Each CLI parses its command line with :func:`parse`.  When a shell asks for
completions (argcomplete's protocol: the ``_ARGCOMPLETE`` environment variable is
set and the shell reads the answer from file descriptor 8), the parser's options,
choices and subcommands are offered and the process exits; otherwise :func:`parse`
is ``parser.parse_args`` and argcomplete is never imported.  To turn completion on,
once per shell (bash, zsh; ``--shell fish`` for fish)::

    eval "$(register-python-argcomplete corral corral-playbook corral-inventory corral-vault \\
            corral-doc corral-config corral-plugins corral-galaxy corral-runs)"
"""
from __future__ import annotations

import argparse
import os
from typing import Sequence

__all__ = ["parse"]


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> argparse.Namespace:
    """``parser.parse_args(argv)``, answering a shell's completion request first."""
    if "_ARGCOMPLETE" in os.environ:
        import argcomplete
        argcomplete.autocomplete(parser)
    return parser.parse_args(argv)
