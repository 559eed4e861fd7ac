"""The ``runuser`` become method (util-linux): ``runuser -u USER -- CMD``.

runuser never asks for a password: it runs only for root, so it suits a login user
that is root becoming an unprivileged one (a service account, a database owner).
Run by another user it refuses, and the task fails with its message."""
from __future__ import annotations

import re
import shlex

from corral.plugins import hookimpl
from corral.plugins.become import BecomeBase, become_options

__all__ = ["RunuserBecome"]


class RunuserBecome(BecomeBase):
    """runuser, as root, to ``become_user``."""

    name = "runuser"
    OPTIONS = become_options("runuser")
    fail = (re.compile(rb"may not be used by non-root users"),
            re.compile(rb"user \S+ does not exist|unknown user", re.I),
            re.compile(rb"cannot set groups|cannot change"))

    def wrap(self, inner: str, key: str) -> tuple[str, str | None]:
        line = " ".join(p for p in (self.exe, self.flags, "-u", shlex.quote(self.become.user or "root"), "--",
                                    inner) if p)
        return line, None


@hookimpl
def corral_become(name: str) -> type[RunuserBecome] | None:
    return RunuserBecome if name == "runuser" else None
