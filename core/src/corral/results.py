"""``TaskResult``: what callbacks receive for one task on one host, and the kernel's
``no_log`` censoring of it (:func:`censor_result`)."""
from __future__ import annotations

import copy
from typing import Any, Mapping

__all__ = ["TaskResult", "CLEAN_EXCEPTIONS", "CENSORED", "ERROR_CAUSE", "ERROR_SUMMARY", "WARNING_HELP", "NO_TRACEBACK",
           "censor_result"]

#: internal keys removed before results are shown (kept: ``_ansible_no_log``, ``_ansible_verbose_*``)
CLEAN_EXCEPTIONS = ("_ansible_verbose_always", "_ansible_item_label", "_ansible_no_log",
                    "_ansible_verbose_override")

#: internal key of a failed result: the error callbacks show for it (``[ERROR]: ...``) when
#: that is not its ``msg`` (a ``failed_when`` keeps the module's message), or ``""`` when
#: it has none to show (``until`` ran out of attempts on an action that did not fail).  The
#: task's origin follows it unless it names its own (an ``Origin:`` line)
ERROR_SUMMARY = "_ansible_error_summary"

#: internal key of a failed result whose error has causes at places of their own (the
#: ``when:`` expression, the ``msg:`` value): ``[[message, [file, line, column], None (no
#: place of its own) or [] (a cause shown without a place)], ...]``, outermost first; the
#: first is at the task's origin.  Callbacks show ansible-core's chain: the whole
#: message, then each place's messages (links without a place of their own join the one
#: before) with its origin, ``<<< caused by >>>`` between.  An empty list: the error is
#: shown without the task's origin
ERROR_CAUSE = "_ansible_error_cause"

#: internal key of a result: ``{warning text: advice}``, the advice a callback shows after
#: one of its ``warnings`` (as ansible-core shows its warnings' help text); the registered
#: warnings are the texts alone
WARNING_HELP = "_ansible_warning_help"

#: the ``exception`` of a failed result that carries no traceback (ansible-core 2.21 sets
#: it on every failed task or item result; callbacks do not show it, even at ``-vvv``)
NO_TRACEBACK = "(traceback unavailable)"

#: the text that replaces a ``no_log`` result (Ansible's wording)
CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"

#: keys a censored result keeps: outcome flags and counters, never data.  Ansible also
#: keeps ``warnings``, ``deprecations`` and ``exception``, which can carry the secret
#: (a module's warning or a traceback quoting its arguments): corral drops them.
_PRESERVED = ("_ansible_no_log", ERROR_SUMMARY, "attempts", "changed", "retries", "failed", "skipped", "unreachable")
#: of ``_ansible_delegated_vars``, what callbacks need to name the delegated host
_DELEGATED_PRESERVED = ("ansible_host", "ansible_port", "ansible_user", "ansible_connection")


def censor_result(result: Mapping[str, Any]) -> Mapping[str, Any]:
    """``result`` as callbacks, API results and job events may see it.

    A result marked ``_ansible_no_log`` becomes ``{"censored": CENSORED}`` plus its
    outcome keys (``changed``, ``failed``, ``skipped``, ``unreachable``, ``attempts``,
    ``retries``, ``_ansible_no_log``); a loop's ``results`` are censored item by item
    (every item when the whole result is censored).  A result with nothing to censor
    is returned as it is (the same object); otherwise a new dict, ``result`` itself
    is never changed: the registered variable keeps the real values.
    """
    items = result.get("results")
    if result.get("_ansible_no_log"):
        censored: dict[str, Any] = {key: result[key] for key in _PRESERVED if key in result}
        censored["_ansible_no_log"] = True
        censored["censored"] = CENSORED
        delegated = result.get("_ansible_delegated_vars")
        if isinstance(delegated, Mapping):
            censored["_ansible_delegated_vars"] = {k: delegated[k] for k in _DELEGATED_PRESERVED if k in delegated}
        if isinstance(items, list):
            censored["results"] = [censor_result({**item, "_ansible_no_log": True}) if isinstance(item, Mapping)
                                   else {"_ansible_no_log": True, "censored": CENSORED} for item in items]
        return censored
    if isinstance(items, list) and any(isinstance(item, Mapping) and item.get("_ansible_no_log") for item in items):
        return {**result, "results": [censor_result(item) if isinstance(item, Mapping) else item
                                      for item in items]}
    return result


class TaskResult:
    """The result of ``task`` on ``host``: ``_host``, ``_task`` and ``_result`` (a dict
    with ``changed``, ``failed``, ``skipped``, ``unreachable``, ``msg``...), as in
    Ansible's API.  ``task_fields`` holds the task's keywords as they were when it ran
    (for delegated or looped tasks)."""

    def __init__(self, host: Any, task: Any, return_data: dict[str, Any],
                 task_fields: dict[str, Any] | None = None) -> None:
        self._host = host
        self._task = task
        self._result = return_data
        self._task_fields = task_fields or {}

    @property
    def task_name(self) -> str:
        return str(self._task_fields.get("name") or self._task.get_name())

    def is_changed(self) -> bool:
        return self._check_key("changed")

    def is_skipped(self) -> bool:
        results = self._result.get("results")
        if isinstance(results, list) and results and "skipped" not in self._result:
            return all(isinstance(r, dict) and r.get("skipped", False) for r in results)
        return bool(self._result.get("skipped", False))

    def is_failed(self) -> bool:
        if "failed_when_result" in self._result or (
                "results" in self._result and any(isinstance(r, dict) and "failed_when_result" in r
                                                  for r in self._result["results"])):
            return self._check_key("failed_when_result")
        return self._check_key("failed")

    def is_unreachable(self) -> bool:
        return self._check_key("unreachable")

    def needs_debugger(self, globally_enabled: bool = False) -> bool:
        return False

    def _check_key(self, key: str) -> bool:
        if isinstance(self._result.get("results"), list) and key not in self._result:
            return any(isinstance(r, dict) and r.get(key, False) for r in self._result["results"])
        return bool(self._result.get(key, False))

    def censored(self) -> "TaskResult":
        """This result as callbacks receive it (:func:`censor_result`); ``self`` when
        there is nothing to censor."""
        shown = censor_result(self._result)
        if shown is self._result:
            return self
        return TaskResult(self._host, self._task, dict(shown), self._task_fields)

    def clean_copy(self) -> "TaskResult":
        """A censored copy without internal keys (but ``_ansible_no_log``)."""
        result = copy.deepcopy(dict(censor_result(self._result)))
        for key in list(result):
            if key.startswith("_ansible") and key not in ("_ansible_no_log",):
                del result[key]
        return TaskResult(self._host, self._task, result, self._task_fields)
