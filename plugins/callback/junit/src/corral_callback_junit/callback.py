"""The ``junit`` callback: one JUnit test case per task and host, written when the
playbook ends to ``<output_dir>/<playbook>-<time>.xml``.

What a test case is, as ansible-core's ``junit`` callback makes it:

- its ``name`` is ``[host] play: task`` followed by the task's arguments as written
  (``key=value, ...``; none with ``hide_task_arguments``); an include adds a case
  ``[include] play: task`` for the file it included;
- its ``classname`` is the task's ``path:line`` (relative to ``task_relative_path``
  when set, the directory part of a path outside it replaced by
  ``replace_out_of_tree_path``), or, with ``task_class``, the path without its
  extension (one class per YAML file);
- its outcome: ``ok`` passes (a failure if ``fail_on_change`` and changed); ``failed``
  is an error (it carries an exception, as every failure does in 2.21) unless the
  task name says ``EXPECTED FAILURE``; an ignored failure passes unless
  ``fail_on_ignore``; ``TOGGLE RESULT`` in the name turns a pass into a failure and a
  failure into a pass; skipped is skipped; unreachable hosts get no test case;
- with ``test_case_prefix``, only tasks whose name starts with it are test cases,
  plus every failure and error;
- ``include_setup_tasks_in_report: false`` leaves out fact gathering.

Its ``time`` runs from the task's start to the host's result.  The result is shown
as the screen would show it (``no_log`` results arrive censored).
"""
from __future__ import annotations

import os
import time
from typing import Any

from corral.plugins.callback import CallbackBase, CallbackOption

from corral_callback_junit.report import TestCase, write_report

__all__ = ["CallbackModule"]

_SETUP_ACTIONS = frozenset({"setup", "gather_facts", "ansible.builtin.setup", "ansible.builtin.gather_facts",
                            "ansible.legacy.setup", "ansible.legacy.gather_facts"})


def _env_option(name: str, default: Any, type: str, env: str, description: str) -> CallbackOption:
    return CallbackOption(name, default, type, (env,), description=description)


class CallbackModule(CallbackBase):
    """Collects a test case per task result and writes the report at the end."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "junit"
    CALLBACK_NEEDS_ENABLED = True
    OPTIONS = {o.name: o for o in (
        _env_option("output_dir", "~/.ansible.log", "path", "JUNIT_OUTPUT_DIR", "Directory to write XML files to."),
        _env_option("task_class", False, "bool", "JUNIT_TASK_CLASS",
                    "One test class per YAML file (the classname is the file, not file:line)."),
        _env_option("task_relative_path", None, "str", "JUNIT_TASK_RELATIVE_PATH",
                    "Show task paths relative to this directory."),
        _env_option("replace_out_of_tree_path", None, "str", "JUNIT_REPLACE_OUT_OF_TREE_PATH",
                    "Replace the directory part of a relative task path outside task_relative_path with this."),
        _env_option("fail_on_change", False, "bool", "JUNIT_FAIL_ON_CHANGE",
                    "A task that reports changed is a failed test case."),
        _env_option("fail_on_ignore", False, "bool", "JUNIT_FAIL_ON_IGNORE",
                    "A failure that ignore_errors ignored is still a failed test case."),
        _env_option("include_setup_tasks_in_report", True, "bool", "JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT",
                    "Include fact gathering in the report."),
        _env_option("hide_task_arguments", False, "bool", "JUNIT_HIDE_TASK_ARGUMENTS",
                    "Leave the task's arguments out of the test case name."),
        _env_option("test_case_prefix", "", "str", "JUNIT_TEST_CASE_PREFIX",
                    "Only tasks whose name starts with this are test cases (and tasks that fail)."),
    )}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._playbook_path = ""
        self._playbook_name = "playbook"
        self._play_name = ""
        self._started: dict[str, float] = {}     # task uuid -> when it started
        self._cases: list[TestCase] = []

    # -- events ---------------------------------------------------------------

    def v2_playbook_on_start(self, playbook: Any) -> None:
        self._playbook_path = str(getattr(playbook, "_file_name", "") or "")
        self._playbook_name = os.path.splitext(os.path.basename(self._playbook_path))[0] or "playbook"

    def v2_playbook_on_play_start(self, play: Any) -> None:
        self._play_name = str(play.get_name()).strip()

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool = False) -> None:
        self._started[str(task._uuid)] = time.time()

    def v2_playbook_on_handler_task_start(self, task: Any) -> None:
        self._started[str(task._uuid)] = time.time()

    def v2_playbook_on_cleanup_task_start(self, task: Any) -> None:
        self._started[str(task._uuid)] = time.time()

    def v2_runner_on_ok(self, result: Any) -> None:
        self._add(result._task, str(result._host.get_name()), "ok", result._result)

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        if ignore_errors and not self.get_option("fail_on_ignore"):
            self._add(result._task, str(result._host.get_name()), "ok", result._result)
        else:
            self._add(result._task, str(result._host.get_name()), "failed", result._result)

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._add(result._task, str(result._host.get_name()), "skipped", result._result)

    def v2_playbook_on_include(self, included_file: Any) -> None:
        task = getattr(included_file, "_task", None)
        if task is not None:
            self._add(task, "include", "included", str(included_file))

    def v2_playbook_on_stats(self, stats: Any) -> None:
        directory = os.path.expanduser(str(self.get_option("output_dir")))
        try:
            write_report(directory, f"{self._playbook_name}-{time.time()}", self._playbook_name, self._cases)
        except OSError as exc:
            self._display.warning(f"junit: could not write the report to {directory!r}: {exc}")

    # -- test cases -----------------------------------------------------------

    def _add(self, task: Any, host: str, status: str, result: Any) -> None:
        name = str(task.get_name()).strip()
        if not self.get_option("include_setup_tasks_in_report") and str(task.action) in _SETUP_ACTIONS:
            return
        started = self._started.get(str(task._uuid), time.time())
        case = self._case(task, host, name, status, result, time.time() - started)
        prefix = self.get_option("test_case_prefix")
        if not prefix or name.startswith(prefix) or case.outcome in ("failure", "error"):
            self._cases.append(case)

    def _case(self, task: Any, host: str, name: str, status: str, result: Any, seconds: float) -> TestCase:
        title = f"[{host}] {self._play_name}: {name}"
        args = getattr(task, "args", None) or {}
        if args and not self.get_option("hide_task_arguments") and not getattr(task, "no_log", False):
            title += " " + ", ".join(f"{key}={value}" for key, value in args.items())
        case = TestCase(self._classname(task), title, seconds, "passed")
        if status == "included":
            case.text = result
            return case
        if status == "skipped":
            case.outcome, case.text = "skipped", str(result.get("skip_reason") or result.get("msg") or "")
            return case
        if status == "failed" and "EXPECTED FAILURE" in name:
            status = "ok"
        if "TOGGLE RESULT" in name:
            status = "ok" if status == "failed" else "failed"
        dumped = self._dump_results(result, indent=0)
        if status == "ok":
            if self.get_option("fail_on_change") and result.get("changed"):
                case.outcome, case.message, case.text = "failure", "", dumped
            else:
                case.text = dumped
        elif "exception" in result:
            case.outcome, case.message = "error", self._failure_summary(result, task)
            case.text = str(result["exception"])
        else:
            case.outcome, case.message, case.text = "failure", str(result.get("msg") or ""), dumped
        return case

    def _classname(self, task: Any) -> str:
        path = str(task.get_path() or self._playbook_path)
        relative_to = self.get_option("task_relative_path")
        if relative_to:
            path = os.path.relpath(path, relative_to)
            placeholder = self.get_option("replace_out_of_tree_path")
            if placeholder is not None and path.startswith(".." + os.sep):
                path = placeholder + os.path.basename(path)
        if self.get_option("task_class"):
            file_part = path.rpartition(":")[0] if path.rpartition(":")[2].isdigit() else path
            return os.path.splitext(file_part)[0]
        return path
