"""The ``setpriv`` become method (util-linux): ``setpriv --reuid USER --regid GROUP
--init-groups --reset-env -- CMD``.

Like ``runuser`` it only works for a root login user and never asks for a
password; unlike it, it goes through no PAM session, so it also works where PAM is
not set up (minimal containers).  ``become_group`` picks the group (default: the
user's primary group, looked up on the target)."""
from __future__ import annotations

import re
import shlex

from corral.plugins import hookimpl
from corral.plugins.become import BecomeBase, become_options
from corral.plugins.options import Option

__all__ = ["SetprivBecome"]


class SetprivBecome(BecomeBase):
    """setpriv, as root, to ``become_user`` and its group."""

    name = "setpriv"
    OPTIONS = {
        **become_options("setpriv", flags="--init-groups --reset-env"),
        "become_group": Option(
            "become_group", None, "str", env=("ANSIBLE_SETPRIV_GROUP",), ini=(("setpriv_become_plugin", "group"),),
            vars=("ansible_setpriv_group",), description="The group to become (default: the user's primary group)."),
    }
    fail = (re.compile(rb"setpriv: .*(?:failed|Operation not permitted)"),
            re.compile(rb"no such user|failed to parse"))

    def wrap(self, inner: str, key: str) -> tuple[str, str | None]:
        user = shlex.quote(self.become.user or "root")
        group = self.become.get("become_group")
        regid = shlex.quote(str(group)) if group else f'"$(id -g {user})"'
        return " ".join(p for p in (self.exe, f"--reuid={user}", f"--regid={regid}", self.flags, "--", inner)
                        if p), None


@hookimpl
def corral_become(name: str) -> type[SetprivBecome] | None:
    return SetprivBecome if name == "setpriv" else None
