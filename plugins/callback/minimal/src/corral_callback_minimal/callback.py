"""The ``minimal`` stdout callback: the ad-hoc CLI's output.

``host | SUCCESS => {...}``, ``host | CHANGED => {...}``, ``host | FAILED! => {...}``,
``host | UNREACHABLE! => {...}``, ``host | SKIPPED``; for ``command``, ``shell`` and
``raw``: ``host | CHANGED | rc=0 >>`` followed by the raw output.
"""
from __future__ import annotations

from typing import Any, Mapping

from corral.plugins.callback import MODULE_NO_JSON, RESULT_FORMAT_OPTIONS, CallbackBase

__all__ = ["CallbackModule"]


class CallbackModule(CallbackBase):
    """One block per host and task, as ``ansible`` (ad-hoc) prints."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "minimal"
    OPTIONS = dict(RESULT_FORMAT_OPTIONS)

    @staticmethod
    def _command_generic_msg(host: str, result: Mapping[str, Any], caption: str) -> str:
        text = f"{host} | {caption} | rc={result.get('rc', -1)} >>\n"
        text += str(result.get("stdout", "")) + str(result.get("stderr", "")) + str(result.get("msg", ""))
        return text + "\n"

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        result = self._private_copy(result)
        self._handle_warnings_and_exception(result)
        host, res = result._host.get_name(), result._result
        if result._task.action in MODULE_NO_JSON and "module_stderr" not in res:
            self._display.display(self._command_generic_msg(host, res, "FAILED"), color=self._display.color_of("error"))
        else:
            self._display.display(f"{host} | FAILED! => {self._dump_results(res, indent=4)}",
                                  color=self._display.color_of("error"))

    def v2_runner_on_ok(self, result: Any) -> None:
        result = self._private_copy(result)
        self._handle_warnings_and_exception(result)
        host, res = result._host.get_name(), result._result
        self._clean_results(res, result._task.action)
        state, role = ("CHANGED", "changed") if res.get("changed", False) else ("SUCCESS", "ok")
        if result._task.action in MODULE_NO_JSON and "ansible_job_id" not in res:
            self._display.display(self._command_generic_msg(host, res, state), color=self._display.color_of(role))
        else:
            self._display.display(f"{host} | {state} => {self._dump_results(res, indent=4)}",
                                  color=self._display.color_of(role))

    def v2_runner_on_skipped(self, result: Any) -> None:
        result = self._private_copy(result)
        self._handle_warnings_and_exception(result)
        self._display.display(f"{result._host.get_name()} | SKIPPED", color=self._display.color_of("skip"))

    def v2_runner_on_unreachable(self, result: Any) -> None:
        result = self._private_copy(result)
        self._handle_warnings_and_exception(result)
        self._display.display(f"{result._host.get_name()} | UNREACHABLE! => "
                              f"{self._dump_results(result._result, indent=4)}",
                              color=self._display.color_of("unreachable"))

    def v2_on_file_diff(self, result: Any) -> None:
        result = self._private_copy(result)
        if result._result.get("diff"):
            self._display.display(self._get_diff(result._result["diff"]))
