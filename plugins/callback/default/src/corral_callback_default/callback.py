"""The ``default`` stdout callback: what ``ansible-playbook`` prints.

``PLAY [name] ***``, ``TASK [name] ***``, one line per host (``ok: [host]``,
``changed: [host]``, ``skipping: [host]``, ``fatal: [host]: FAILED! => {...}``,
``fatal: [host]: UNREACHABLE! => {...}``), loop items ``(item=x)``, ``debug``
output, handlers, retries, diffs, ``--check`` markers and the ``PLAY RECAP``.
Options are those of Ansible's ``default_callback`` and ``result_format_callback``
fragments (``display_skipped_hosts``, ``display_ok_hosts``, ``result_format``...).
"""
from __future__ import annotations

import os
import threading
from typing import Any

from corral.display import colorize, hostcolor
from corral.plugins.callback import DEFAULT_CALLBACK_OPTIONS, RESULT_FORMAT_OPTIONS, CallbackBase

__all__ = ["CallbackModule"]

_INCLUDE_ACTIONS = frozenset(f"{prefix}{name}" for name in ("include_tasks", "include_role")
                             for prefix in ("", "ansible.builtin.", "ansible.legacy.", "corral.builtin."))
_UNBANNERED_STRATEGIES = frozenset(f"{prefix}{name}" for name in ("free", "host_pinned")
                                   for prefix in ("", "ansible.builtin.", "ansible.legacy.", "corral.builtin."))


def _display_args_to_stdout() -> bool:
    for name in ("CORRAL_DISPLAY_ARGS_TO_STDOUT", "ANSIBLE_DISPLAY_ARGS_TO_STDOUT"):
        if name in os.environ:
            return os.environ[name].strip().lower() in ("1", "true", "yes", "on", "y", "t")
    return False


class CallbackModule(CallbackBase):
    """Ansible's default screen output."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "default"
    OPTIONS = {**DEFAULT_CALLBACK_OPTIONS, **RESULT_FORMAT_OPTIONS}

    def __init__(self, display: Any = None, options: Any = None) -> None:
        self._play: Any = None
        self._last_task_banner: Any = None
        self._last_task_name: str | None = None
        self._task_type_cache: dict[Any, str] = {}
        # events of one run may arrive from several threads; a banner and its lines stay together
        self._lock = threading.RLock()
        super().__init__(display=display, options=options)

    def _color(self, role: str) -> str | None:
        return self._display.color_of(role)

    def _banner_if_needed(self, task: Any) -> None:
        if self._last_task_banner != task._uuid:
            self._print_task_banner(task)

    # -- task results ---------------------------------------------------------

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        result = self._private_copy(result)
        with self._lock:
            host_label = self.host_label(result)
            self._banner_if_needed(result._task)
            self._handle_warnings_and_exception(result)
            self._clean_results(result._result, result._task.action)
            if result._task.loop and "results" in result._result:
                self._process_items(result)
            else:
                if self._display.verbosity < 2 and self.get_option("show_task_path_on_failure"):
                    self._print_task_path(result._task)
                self._display.display(f"fatal: [{host_label}]: FAILED! => {self._dump_results(result._result)}",
                                      color=self._color("error"),
                                      stderr=self.get_option("display_failed_stderr"))
            if ignore_errors:
                self._display.display("...ignoring", color=self._color("skip"))

    def v2_runner_on_ok(self, result: Any) -> None:
        result = self._private_copy(result)
        with self._lock:
            host_label = self.host_label(result)
            task = result._task
            if task.action in _INCLUDE_ACTIONS:
                self._banner_if_needed(task)
                return
            if result._result.get("changed", False):
                self._banner_if_needed(task)
                msg, color = f"changed: [{host_label}]", self._color("changed")
            else:
                if not self.get_option("display_ok_hosts"):
                    return
                self._banner_if_needed(task)
                msg, color = f"ok: [{host_label}]", self._color("ok")
            self._handle_warnings_and_exception(result)
            if task.loop and "results" in result._result:
                self._process_items(result)
            else:
                self._clean_results(result._result, task.action)
                if self._run_is_verbose(result):
                    msg += f" => {self._dump_results(result._result)}"
                self._display.display(msg, color=color)

    def v2_runner_on_skipped(self, result: Any) -> None:
        result = self._private_copy(result)
        if not self.get_option("display_skipped_hosts"):
            return
        with self._lock:
            self._clean_results(result._result, result._task.action)
            self._banner_if_needed(result._task)
            self._handle_warnings_and_exception(result)
            if result._task.loop is not None and "results" in result._result:
                self._process_items(result)
            msg = f"skipping: [{result._host.get_name()}]"
            if self._run_is_verbose(result):
                msg += f" => {self._dump_results(result._result)}"
            self._display.display(msg, color=self._color("skip"))

    def v2_runner_on_unreachable(self, result: Any) -> None:
        result = self._private_copy(result)
        with self._lock:
            self._banner_if_needed(result._task)
            self._handle_warnings_and_exception(result)
            host_label = self.host_label(result)
            self._display.display(f"fatal: [{host_label}]: UNREACHABLE! => {self._dump_results(result._result)}",
                                  color=self._color("unreachable"),
                                  stderr=self.get_option("display_failed_stderr"))
            if getattr(result._task, "ignore_unreachable", False):
                self._display.display("...ignoring", color=self._color("skip"))

    def v2_runner_item_on_ok(self, result: Any) -> None:
        result = self._private_copy(result)
        with self._lock:
            host_label = self.host_label(result)
            task = result._task
            if task.action in _INCLUDE_ACTIONS:
                return
            if result._result.get("changed", False):
                self._banner_if_needed(task)
                state, color = "changed", self._color("changed")
            else:
                if not self.get_option("display_ok_hosts"):
                    return
                self._banner_if_needed(task)
                state, color = "ok", self._color("ok")
            self._handle_warnings_and_exception(result)
            msg = f"{state}: [{host_label}] => (item={self._get_item_label(result._result)})"
            self._clean_results(result._result, task.action)
            if self._run_is_verbose(result):
                msg += f" => {self._dump_results(result._result)}"
            self._display.display(msg, color=color)

    def v2_runner_item_on_failed(self, result: Any) -> None:
        result = self._private_copy(result)
        with self._lock:
            self._banner_if_needed(result._task)
            self._handle_warnings_and_exception(result)
            host_label = self.host_label(result)
            self._clean_results(result._result, result._task.action)
            self._display.display(f"failed: [{host_label}] (item={self._get_item_label(result._result)}) => "
                                  f"{self._dump_results(result._result)}",
                                  color=self._color("error"), stderr=self.get_option("display_failed_stderr"))

    def v2_runner_item_on_skipped(self, result: Any) -> None:
        result = self._private_copy(result)
        if not self.get_option("display_skipped_hosts"):
            return
        with self._lock:
            self._banner_if_needed(result._task)
            self._handle_warnings_and_exception(result)
            self._clean_results(result._result, result._task.action)
            # Ansible's line ends with a space after the item label
            msg = f"skipping: [{result._host.get_name()}] => (item={self._get_item_label(result._result)}) "
            if self._run_is_verbose(result):
                msg += f" => {self._dump_results(result._result)}"
            self._display.display(msg, color=self._color("skip"))

    def v2_runner_retry(self, result: Any) -> None:
        task_name = result.task_name or result._task
        host_label = self.host_label(result)
        left = int(result._result.get("retries", 0)) - int(result._result.get("attempts", 0))
        msg = f"FAILED - RETRYING: [{host_label}]: {task_name} ({left} retries left)."
        if self._run_is_verbose(result, verbosity=2):
            msg += f"Result was: {self._dump_results(result._result)}"
        self._display.display(msg, color=self._color("debug"))

    def v2_runner_on_start(self, host: Any, task: Any) -> None:
        if self.get_option("show_per_host_start"):
            self._display.display(f" [started {task} on {host}]", color=self._color("ok"))

    def v2_runner_on_async_poll(self, result: Any) -> None:
        res = result._result
        self._display.display(f"ASYNC POLL on {result._host.get_name()}: jid={res.get('ansible_job_id')} "
                              f"started={res.get('started')} finished={res.get('finished')}",
                              color=self._color("debug"))

    def v2_runner_on_async_ok(self, result: Any) -> None:
        self._display.display(f"ASYNC OK on {result._host.get_name()}: jid={result._result.get('ansible_job_id')}",
                              color=self._color("debug"))

    def v2_runner_on_async_failed(self, result: Any) -> None:
        jid = result._result.get("ansible_job_id")
        if not jid and "async_result" in result._result:
            jid = result._result["async_result"].get("ansible_job_id")
        self._display.display(f"ASYNC FAILED on {result._host.get_name()}: jid={jid}", color=self._color("debug"))

    def v2_on_file_diff(self, result: Any) -> None:
        result = self._private_copy(result)
        with self._lock:
            res = result._result
            if result._task.loop and "results" in res:
                diffs = [item["diff"] for item in res["results"]
                         if isinstance(item, dict) and item.get("diff") and item.get("changed", False)]
            elif res.get("diff") and res.get("changed", False):
                diffs = [res["diff"]]
            else:
                diffs = []
            for diff in diffs:
                text = self._get_diff(diff)
                if text:
                    self._banner_if_needed(result._task)
                    self._display.display(text)

    # -- plays and tasks ------------------------------------------------------

    def v2_playbook_on_start(self, playbook: Any) -> None:
        if self._display.verbosity > 1:
            self._display.banner(f"PLAYBOOK: {os.path.basename(playbook._file_name)}")
        if self._display.verbosity > 3:
            if self._cli_args.get("args"):
                self._display.display("Positional arguments: %s" % " ".join(self._cli_args["args"]),
                                      color=self._color("verbose"), screen_only=True)
            for argument, value in self._cli_args.items():
                if argument != "args" and value:
                    self._display.display(f"{argument}: {value}", color=self._color("verbose"), screen_only=True)
        if self._cli_args.get("check") and self.get_option("check_mode_markers"):
            self._display.banner("DRY RUN")

    def v2_playbook_on_play_start(self, play: Any) -> None:
        with self._lock:
            name = play.get_name().strip()
            check = " [CHECK MODE]" if getattr(play, "check_mode", False) and self.get_option("check_mode_markers") \
                else ""
            self._play = play
            self._display.banner(f"PLAY [{name}]{check}" if name else f"PLAY{check}")

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        self._task_start(task, prefix="TASK")

    def v2_playbook_on_handler_task_start(self, task: Any) -> None:
        self._task_start(task, prefix="RUNNING HANDLER")

    def v2_playbook_on_cleanup_task_start(self, task: Any) -> None:
        self._task_start(task, prefix="CLEANUP TASK")

    def _task_start(self, task: Any, prefix: str) -> None:
        with self._lock:
            self._task_type_cache[task._uuid] = prefix
            strategy = getattr(self._play, "strategy", None) if self._play is not None else None
            if strategy in _UNBANNERED_STRATEGIES:
                # results of a free play arrive out of order: each banner names its own task
                self._last_task_name = None
            else:
                self._last_task_name = task.get_name().strip()
                if self.get_option("display_skipped_hosts") and self.get_option("display_ok_hosts"):
                    self._print_task_banner(task)

    def _print_task_banner(self, task: Any) -> None:
        args = ""
        if not task.no_log and _display_args_to_stdout():
            args = " " + ", ".join(f"{key}={value}" for key, value in (task.args or {}).items())
        prefix = self._task_type_cache.get(task._uuid, "TASK")
        task_name = self._last_task_name if self._last_task_name is not None else task.get_name().strip()
        check = " [CHECK MODE]" if getattr(task, "check_mode", False) and self.get_option("check_mode_markers") \
            else ""
        self._display.banner(f"{prefix} [{task_name}{args}]{check}")
        if self._display.verbosity >= 2:
            self._print_task_path(task)
        self._last_task_banner = task._uuid

    def v2_playbook_on_no_hosts_matched(self) -> None:
        self._display.display("skipping: no hosts matched", color=self._color("skip"))

    def v2_playbook_on_no_hosts_remaining(self) -> None:
        self._display.banner("NO MORE HOSTS LEFT")

    def v2_playbook_on_include(self, included_file: Any) -> None:
        if not self.get_option("display_included_hosts"):
            return
        hosts = ", ".join(host.name for host in included_file._hosts)
        msg = f"included: {included_file._filename} for {hosts}"
        label = self._get_item_label(getattr(included_file, "_vars", None) or {})
        if label:
            msg += f" => (item={label})"
        self._display.display(msg, color=self._color("included"))

    def v2_playbook_on_notify(self, handler: Any, host: Any) -> None:
        if self._display.verbosity > 1:
            self._display.display(f"NOTIFIED HANDLER {handler.get_name()} for {host}",
                                  color=self._color("verbose"), screen_only=True)

    # -- the recap ------------------------------------------------------------

    def v2_playbook_on_stats(self, stats: Any) -> None:
        with self._lock:
            self._display.banner("PLAY RECAP")
            enabled, palette = self._display.color, self._display.palette
            columns = (("ok", "ok", "ok"), ("changed", "changed", "changed"),
                       ("unreachable", "unreachable", "unreachable"), ("failed", "failures", "error"),
                       ("skipped", "skipped", "skip"), ("rescued", "rescued", "ok"),
                       ("ignored", "ignored", "warn"))
            for host in sorted(stats.processed):
                summary = stats.summarize(host)
                colored = " ".join(colorize(label, summary[key], palette[role], enabled=enabled)
                                   for label, key, role in columns)
                self._display.display(f"{hostcolor(host, summary, enabled=enabled, palette=palette)} : {colored}",
                                      screen_only=True)
                plain = " ".join(colorize(label, summary[key], None) for label, key, _ in columns)
                self._display.display(f"{hostcolor(host, summary, False)} : {plain}", log_only=True)
            self._display.display("", screen_only=True)

            if stats.custom and self.get_option("show_custom_stats"):
                self._display.banner("CUSTOM STATS: ")
                for key in sorted(stats.custom):
                    if key == "_run":
                        continue
                    dumped = self._dump_results(stats.custom[key], indent=1).replace("\n", "")
                    self._display.display(f"\t{key}: {dumped}")
                if "_run" in stats.custom:
                    self._display.display("", screen_only=True)
                    dumped = self._dump_results(stats.custom["_run"], indent=1).replace("\n", "")
                    self._display.display(f"\tRUN: {dumped}")
                self._display.display("", screen_only=True)

            if self._cli_args.get("check") and self.get_option("check_mode_markers"):
                self._display.banner("DRY RUN")
