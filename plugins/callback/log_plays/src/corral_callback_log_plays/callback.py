"""The ``log_plays`` callback: each task result appended to ``<log_folder>/<host>``.

One entry per result, as community.general's ``log_plays`` writes it::

    Dec 05 2026 18:01:02 - site.yml - task name - action - OK - {"changed": false, ...}

followed by a blank line.  The category is ``OK``, ``FAILED``, ``SKIPPED``,
``UNREACHABLE`` or ``ASYNC_FAILED``; the data is the result as JSON without its
``invocation``, which, when the result has one, comes first
(``{invocation} => {result} ``); a result shown only at ``-v`` (fact gathering) is
``omitted``.  ``no_log`` results arrive censored.  The folder (``log_folder``,
``ANSIBLE_LOG_FOLDER``, ``[callback_log_plays] log_folder``, default
``/var/log/ansible/hosts``) is created on first use; a host name that is not one
plain file name is refused with a warning (it may come from a host's output through
``add_host``), and a symlink at a log file's place is never followed.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from typing import Any

from corral.plugins.callback import CallbackBase, CallbackOption, open_host_file, plain_data

__all__ = ["CallbackModule"]

_TIME_FORMAT = "%b %d %Y %H:%M:%S"


class CallbackModule(CallbackBase):
    """Appends every result to its host's log file."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "log_plays"
    CALLBACK_NEEDS_ENABLED = True
    OPTIONS = {"log_folder": CallbackOption("log_folder", "/var/log/ansible/hosts", "path", ("ANSIBLE_LOG_FOLDER",),
                                            (("callback_log_plays", "log_folder"),),
                                            description="The folder where log files are created.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.playbook = ""

    def v2_playbook_on_start(self, playbook: Any) -> None:
        self.playbook = str(getattr(playbook, "_file_name", "") or "")

    @staticmethod
    def _data(result: Any) -> str:
        if not isinstance(result, Mapping):
            return str(result)
        if "_ansible_verbose_override" in result:
            return "omitted"
        data = dict(result)
        invocation = data.pop("invocation", None)
        text = json.dumps(plain_data(data), default=str, ensure_ascii=False)
        if invocation is not None:
            text = f"{json.dumps(plain_data(invocation), default=str, ensure_ascii=False)} => {text} "
        return text

    def log(self, result: Any, category: str) -> None:
        """Append ``result``'s entry to its host's file."""
        host = str(result._host.get_name())
        folder = str(self.get_option("log_folder"))
        task = result._task
        entry = (f"{time.strftime(_TIME_FORMAT, time.localtime())} - {self.playbook} - {task.name or ''} - "
                 f"{task.action} - {category} - {self._data(result._result)}\n\n")
        try:
            os.makedirs(folder, exist_ok=True)
            with open_host_file(folder, host, append=True, mode=0o644) as handle:
                handle.write(entry.encode("utf-8", "surrogateescape"))
        except OSError as exc:
            self._display.warning(f"log_plays: could not write {host!r}'s log: {exc}")

    def v2_runner_on_ok(self, result: Any) -> None:
        self.log(result, "OK")

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self.log(result, "FAILED")

    def v2_runner_on_skipped(self, result: Any) -> None:
        self.log(result, "SKIPPED")

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self.log(result, "UNREACHABLE")

    def v2_runner_on_async_failed(self, result: Any) -> None:
        self.log(result, "ASYNC_FAILED")
