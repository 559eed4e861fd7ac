"""Python interpreter discovery, as ansible-core 2.21 does it.

When a host's interpreter is not set (``ansible_python_interpreter`` unset and the
``interpreter_python`` setting at its default ``auto``, or set to ``auto_silent``), the
first module that needs Python asks the target's shell which of the fallback
interpreters (``ansible_interpreter_python_fallback``, default :data:`DEFAULT_FALLBACK`)
it has, with one ``command -v`` each, and uses the first one found as an absolute
path; none found gives ``/usr/bin/python3``.  Unless the mode ends with ``_silent`` a
warning says which interpreter the host uses.  The action returns the choice as the
fact ``discovered_interpreter_python``, so later tasks on the host use it without
asking again.
"""
from __future__ import annotations

import re
import shlex
from typing import Callable

__all__ = ["DEFAULT_FALLBACK", "FALLBACK_INTERPRETER", "DISCOVERED_FACT", "HELP_TEXT", "is_discovery_mode",
           "discover"]

#: the interpreters tried, in order (ansible-core 2.21's INTERPRETER_PYTHON_FALLBACK)
DEFAULT_FALLBACK = ("python3.14", "python3.13", "python3.12", "python3.11", "python3.10", "python3.9",
                    "/usr/bin/python3", "python3")
#: what a host without any of them gets
FALLBACK_INTERPRETER = "/usr/bin/python3"
#: the fact that records a host's discovered interpreter
DISCOVERED_FACT = "discovered_interpreter_python"

#: the advice shown after the warning that names the discovered interpreter (not part of
#: the warning in the task's result)
HELP_TEXT = ("See https://docs.ansible.com/ansible-core/2.21/reference_appendices/interpreter_discovery.html "
             "for more information.")

_FOUND = re.compile(r"FOUND(.*)ENDFOUND", re.DOTALL)


def is_discovery_mode(interpreter: str) -> bool:
    """Whether ``interpreter`` names a discovery mode (``auto``, ``auto_silent``...)
    rather than an interpreter."""
    return interpreter == "auto" or interpreter.startswith("auto_")


def discover(run_shell: Callable[[str], tuple[int, bytes, bytes]], host: str, mode: str,
             fallback: list[str] | tuple[str, ...]) -> tuple[str, list[tuple[str, str | None]]]:
    """The interpreter ``host`` should use and the warnings to report, each with the
    advice shown after it (or None).

    ``run_shell`` runs a command line on the target (not as the become user) and
    returns ``(rc, stdout, stderr)``; ``mode`` is the discovery mode, ``fallback`` the
    interpreters to try in order."""
    silent = mode.endswith("_silent")
    warnings: list[tuple[str, str | None]] = []
    found = [FALLBACK_INTERPRETER]
    tried = list(fallback)
    command = "echo FOUND; " + "; ".join(f"command -v {shlex.quote(str(name))}" for name in tried) + "; echo ENDFOUND"
    try:
        _rc, out, _err = run_shell(command)
        match = _FOUND.match(out.decode(errors="replace"))
        if not match:
            raise ValueError("unexpected output from Python interpreter discovery")
        found = [line.strip() for line in match.group(1).splitlines() if line.startswith("/")]
        if not found:
            if not silent:
                warnings.append((f"No python interpreters found for host {host!r} (tried {tried!r}).", None))
            return FALLBACK_INTERPRETER, warnings
    except ValueError as exc:
        if not silent:
            warnings.append((f"Unhandled error in Python interpreter discovery for host {host!r}: {exc}", None))
    if not silent:
        warnings.append((f"Host {host!r} is using the discovered Python interpreter at {found[0]!r}, but future "
                         "installation of another Python interpreter could cause a different interpreter to be "
                         "discovered.", HELP_TEXT))
    return found[0], warnings

