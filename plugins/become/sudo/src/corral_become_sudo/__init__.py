"""The ``sudo`` become method: ``sudo -H -S -n -u USER``; with a password, ``-n`` is
dropped, ``-S`` added and sudo told to print a prompt unique to the command."""
from __future__ import annotations

import re
import shlex

from corral.plugins import hookimpl
from corral.plugins.become import BecomeBase, become_options

__all__ = ["SudoBecome"]


class SudoBecome(BecomeBase):
    """sudo, reading the password from stdin (``-S``) at a prompt it was given (``-p``)."""

    name = "sudo"
    OPTIONS = become_options("sudo", flags="-H -S -n")
    fail = (re.compile(rb"Sorry, try again\."),
            re.compile(rb"incorrect password attempt"),
            re.compile(rb"a terminal is required"),
            re.compile(rb"is not in the sudoers file|is not allowed to (?:run|execute)"),
            re.compile(rb"unknown user", re.I))
    missing = (re.compile(rb"a password is required"),)

    def wrap(self, inner: str, key: str) -> tuple[str, str | None]:
        flags = self.flags
        prompt = None
        if self.become.password is not None:
            flags = " ".join(f for f in flags.split() if f != "-n")
            if "-S" not in flags.split():
                flags = f"{flags} -S".strip()
            prompt = f"[sudo via corral, key={key}] password:"
            flags = f"{flags} -p {shlex.quote(prompt)}"
        line = " ".join(p for p in (self.exe, flags, "-u", shlex.quote(self.become.user or "root"), inner) if p)
        return line, prompt


@hookimpl
def corral_become(name: str) -> type[SudoBecome] | None:
    return SudoBecome if name == "sudo" else None
