"""The ``profile_roles`` callback: a timestamp line under each task's banner and the
time spent per role in a ``ROLES RECAP`` at the end.

A task inside a role counts for the role (by its name); a task outside any role
counts for its action (``command``, ``debug`` ...).  The recap lists every one,
slowest first, then the total.
"""
from __future__ import annotations

from typing import Any

from corral.plugins import hookimpl

from corral_callback_profile.timing import TimingCallback, filled, summary_line, summary_only_option

__all__ = ["CallbackModule"]


class CallbackModule(TimingCallback):
    """Times every role."""

    CALLBACK_NAME = "profile_roles"
    RECAP = "ROLES RECAP"
    OPTIONS = {"summary_only": summary_only_option("PROFILE_ROLES", "callback_profile_roles")}

    def key_of(self, task: Any) -> tuple[str, str]:
        role = getattr(task, "_role", None)
        name = str(role.get_name()) if role is not None else str(task.action)
        return name, name

    def recap_rows(self) -> list[tuple[str, float]]:
        return sorted(self.rows(), key=lambda row: row[1], reverse=True)

    def recap_footer(self) -> None:
        columns = self._display.columns
        self._display.display(filled("", "~", columns))
        self._display.display(summary_line("total", sum(seconds for _, seconds in self.rows()), columns))


@hookimpl
def corral_callback(name: str) -> type[CallbackModule] | None:
    """The ``profile_roles`` callback class."""
    return CallbackModule if name == "profile_roles" else None
