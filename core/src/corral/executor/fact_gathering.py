"""How a failed implicit fact gathering (the play's ``Gathering Facts`` task) reads.

ansible-core gathers facts with its ``gather_facts`` action, which runs the fact
modules and reports a failure as ``The following modules failed to execute: ...``
with each module's own result under ``failed_modules`` and its error as a
"sub-event" of the task's error.  corral runs ``setup`` directly; its failed result
is wrapped here the same way, so the screen and the result read as ansible-core's.
"""
from __future__ import annotations

from typing import Any

from corral.results import ERROR_CAUSE, ERROR_SUMMARY, NO_TRACEBACK

__all__ = ["gathering_failed"]

#: the name ansible-core gives the fact module it runs
SETUP = "ansible.legacy.setup"


def gathering_failed(result: dict[str, Any]) -> dict[str, Any]:
    """The implicit fact gathering's result for ``result``, the failed result of
    ``setup``: ``failed_modules`` holding it, ansible-core's message, and its error
    (the cause the module's result names, else its ``msg``) as the sub-event."""
    inner = {k: v for k, v in result.items() if k not in (ERROR_SUMMARY, ERROR_CAUSE, "invocation")}
    inner.setdefault("changed", False)
    inner.setdefault("deprecations", [])
    inner.setdefault("warnings", [])
    inner.setdefault("exception", NO_TRACEBACK)
    msg = f"The following modules failed to execute: {SETUP}."
    causes = result.get(ERROR_CAUSE)
    detail = str(causes[-1][0]) if isinstance(causes, list) and causes else str(result.get("msg") or "")
    event = "\n".join(f"| {line}" for line in ["", *detail.splitlines(), ""])
    wrapped: dict[str, Any] = {
        "ansible_facts": {}, "changed": False, "failed": True, "failed_modules": {SETUP: inner}, "msg": msg,
        ERROR_SUMMARY: f"Task failed: Action failed: {msg}",
        ERROR_CAUSE: [["Task failed: Action failed", None],
                      [f"{msg}\n\n+--[ Sub-Event 1 of 1 ]---\n{event}\n+--[ End Sub-Event ]---", []]]}
    if result.get("_ansible_no_log"):
        wrapped["_ansible_no_log"] = True
    return wrapped
