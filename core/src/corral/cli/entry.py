"""The console scripts' entry points: quiet on Ctrl-C from the first instant.

Each CLI module imports much of corral before its ``main`` installs the interrupt
handlers (:mod:`corral.cli.signals`); a Ctrl-C in that window would print a
``KeyboardInterrupt`` traceback.  These functions import the CLI only when called
and turn an interrupt that comes before its handlers into Ansible's message and
rc 99.  (SIGTERM in that window keeps its default action: the process ends
silently, as killed by SIGTERM.)
"""
from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing would widen the window
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["adhoc", "playbook", "doc", "inventory", "vault", "plugins", "config"]


def _locale_error() -> str | None:
    """Why the CLIs cannot run in the user's locale, in Ansible's words: a locale
    the system does not have, or one whose encoding is not UTF-8 (``LC_ALL=C``).
    ``None`` when the locale is usable (it is then set, as Ansible sets it)."""
    import locale
    try:
        locale.setlocale(locale.LC_ALL, "")
        encoding = locale.getlocale()[1]
    except locale.Error as exc:
        return f"ERROR: Ansible could not initialize the preferred locale: {exc}"
    if encoding is None or encoding.lower() not in ("utf-8", "utf8"):
        return f"ERROR: Ansible requires the locale encoding to be UTF-8; Detected {encoding}."
    return None


def _entry(module: str) -> Callable[[], int]:
    """The console script for :func:`corral.cli.<module>.main`; it refuses to start
    in a locale that is missing or not UTF-8 (rc 1), as Ansible's CLIs do."""
    def run() -> int:
        try:    # the locale check imports too: an interrupt there is quiet as well
            problem = _locale_error()
            if problem is not None:
                sys.stderr.write(problem + "\n")
                return 1
            return int(__import__(f"corral.cli.{module}", fromlist=["main"]).main() or 0)
        except KeyboardInterrupt:
            sys.stderr.write("[ERROR]: User interrupted execution\n")
            return 99
    run.__name__ = run.__qualname__ = module
    run.__doc__ = f"Run ``corral.cli.{module}.main`` (quiet on an early Ctrl-C)."
    return run


adhoc = _entry("adhoc")            # corral
playbook = _entry("playbook")      # corral-playbook
doc = _entry("doc")                # corral-doc
inventory = _entry("inventory")    # corral-inventory
vault = _entry("vault")            # corral-vault
plugins = _entry("plugins")        # corral-plugins
config = _entry("config")          # corral-config
