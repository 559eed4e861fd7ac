"""The ``oneline`` stdout callback (``corral -o``): each host's result on one line.

``host | SUCCESS => {"changed": false,"ping": "pong"}``; for ``command``, ``shell``
and ``raw``: ``host | CHANGED | rc=0 | (stdout) text`` with newlines escaped.
"""
from __future__ import annotations

from typing import Any, Mapping

from corral.plugins.callback import MODULE_NO_JSON, CallbackBase

__all__ = ["CallbackModule"]


def _escape(text: Any) -> str:
    return str(text).replace("\n", "\\n").replace("\r", "\\r")


class CallbackModule(CallbackBase):
    """One line per host and task."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "oneline"

    @staticmethod
    def _command_generic_msg(host: str, result: Mapping[str, Any], caption: str) -> str:
        stdout = _escape(result.get("stdout", ""))
        line = f"{host} | {caption} | rc={result.get('rc', -1)} | (stdout) {stdout}"
        if result.get("stderr"):
            line += f" (stderr) {_escape(result['stderr'])}"
        return line

    def _one_line(self, result: Mapping[str, Any]) -> str:
        return self._dump_results(result, indent=0).replace("\n", "")

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        result = self._private_copy(result)
        host, res = result._host.get_name(), result._result
        error = self._display.color_of("error")
        # Ansible 2.19+ attaches an error to every failed result, so this line always shows
        exception = res.get("exception")
        exception = exception if isinstance(exception, str) and exception else "(traceback unavailable)"
        if result._task.action in MODULE_NO_JSON and "module_stderr" not in res:
            self._display.display(self._command_generic_msg(host, res, "FAILED"), color=error)
        elif self._display.verbosity < 3:
            self._display.display("An exception occurred during task execution. To see the full traceback, "
                                  f"use -vvv. The error was: {exception.strip().split(chr(10))[-1]}", color=error)
        else:
            self._display.display("An exception occurred during task execution. The full traceback is:\n"
                                  + exception.replace("\n", ""), color=error)
        self._display.display(f"{host} | FAILED! => {self._one_line(res)}", color=error)

    def v2_runner_on_ok(self, result: Any) -> None:
        result = self._private_copy(result)
        host, res = result._host.get_name(), result._result
        state, role = ("CHANGED", "changed") if res.get("changed", False) else ("SUCCESS", "ok")
        if result._task.action in MODULE_NO_JSON and "ansible_job_id" not in res:
            self._display.display(self._command_generic_msg(host, res, state), color=self._display.color_of(role))
        else:
            self._display.display(f"{host} | {state} => {self._one_line(res)}", color=self._display.color_of(role))

    def v2_runner_on_unreachable(self, result: Any) -> None:
        result = self._private_copy(result)
        self._display.display(f"{result._host.get_name()} | UNREACHABLE!: {result._result.get('msg', '')}",
                              color=self._display.color_of("unreachable"))

    def v2_runner_on_skipped(self, result: Any) -> None:
        result = self._private_copy(result)
        self._display.display(f"{result._host.get_name()} | SKIPPED", color=self._display.color_of("skip"))
