"""The console scripts' entry points: quiet on Ctrl-C from the first instant.

Each CLI module imports much of corral before its ``main`` installs the interrupt
handlers (:mod:`corral.cli.signals`); a Ctrl-C in that window would print a
``KeyboardInterrupt`` traceback.  These functions import the CLI only when called
and turn an interrupt that comes before its handlers into Ansible's message and
rc 99.  (SIGTERM in that window keeps its default action: the process ends
silently, as killed by SIGTERM.)
"""
from __future__ import annotations

import importlib
import sys

__all__ = ["adhoc", "playbook", "doc", "inventory", "vault", "plugins"]


def _run(module: str) -> int:
    try:
        return int(importlib.import_module(f"corral.cli.{module}").main() or 0)
    except KeyboardInterrupt:
        sys.stderr.write("[ERROR]: User interrupted execution\n")
        return 99


def adhoc() -> int:
    """``corral``: :func:`corral.cli.adhoc.main`."""
    return _run("adhoc")


def playbook() -> int:
    """``corral-playbook``: :func:`corral.cli.playbook.main`."""
    return _run("playbook")


def doc() -> int:
    """``corral-doc``: :func:`corral.cli.doc.main`."""
    return _run("doc")


def inventory() -> int:
    """``corral-inventory``: :func:`corral.cli.inventory.main`."""
    return _run("inventory")


def vault() -> int:
    """``corral-vault``: :func:`corral.cli.vault.main`."""
    return _run("vault")


def plugins() -> int:
    """``corral-plugins``: :func:`corral.cli.plugins.main`."""
    return _run("plugins")
