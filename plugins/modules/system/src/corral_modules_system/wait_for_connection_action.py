"""The ``wait_for_connection`` action: retry a fresh connection and the ``ping`` module until the target
answers or the time is up."""
from __future__ import annotations

import time
from typing import Any

from corral.errors import CorralError, CorralInterrupted
from corral.plugins.action import ActionBase
from corral.results import ERROR_SUMMARY

__all__ = ["WaitForConnectionAction"]

#: the options and their defaults (seconds)
_DEFAULTS = {"connect_timeout": 5, "delay": 0, "sleep": 1, "timeout": 600}


class WaitForConnectionAction(ActionBase):
    """Wait ``delay`` seconds, then until ``timeout`` seconds have passed since the start: drop the
    host's connection, open one whose connect timeout is ``connect_timeout`` and run ``ping`` through
    it, ``sleep`` seconds between attempts.  The result's ``elapsed`` counts whole seconds; a timeout
    fails the task with the last attempt's error.  Skipped in check mode."""

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        unknown = sorted(set(self._task.args) - set(_DEFAULTS))
        if unknown:
            msg = f"Invalid options for {self._task.action}: {', '.join(unknown)}"
            return {"failed": True, "changed": False, "msg": msg, ERROR_SUMMARY: f"Task failed: {msg}"}
        try:
            options = {name: int(default if self._task.args.get(name) is None else self._task.args[name])
                       for name, default in _DEFAULTS.items()}
        except (TypeError, ValueError) as exc:
            raise CorralError(str(exc)) from exc
        if self._task.check_mode:
            return {"changed": False, "skipped": True}
        start = time.monotonic()
        if options["delay"]:
            self._wait(options["delay"])
        error = self._wait_until_ping(start + options["timeout"], options["connect_timeout"], options["sleep"])
        result: dict[str, Any] = {"changed": False, "elapsed": int(time.monotonic() - start)}
        if error is not None:
            msg = f"timed out waiting for ping module test: {error}"
            result.update(failed=True, msg=msg)
            result[ERROR_SUMMARY] = f"Task failed: Action failed: {msg}"
        return result

    def _wait_until_ping(self, deadline: float, connect_timeout: int, sleep: int) -> str | None:
        """Attempt until one succeeds (``None``) or ``deadline`` passes (the last error)."""
        error = "no attempt was made before the timeout"
        while time.monotonic() < deadline:
            try:
                error = self._ping(connect_timeout)
            except CorralInterrupted:
                raise
            except CorralError as exc:
                error = str(exc.message)
            if not error:
                return None
            self._wait(sleep)
        return error

    def _ping(self, connect_timeout: int) -> str:
        """One attempt: ``""`` when ``ping`` answered ``pong``, else why not."""
        usual = self._connection
        usual.reset()
        self._host_connection = usual.with_option("timeout", connect_timeout)
        try:
            result = self._execute_module("ping", {})
        finally:
            self._host_connection = usual
        if "ping" not in result:
            return "'ping'"     # Ansible's words for a ping that returned no answer
        return "" if result["ping"] == "pong" else "ping test failed"
