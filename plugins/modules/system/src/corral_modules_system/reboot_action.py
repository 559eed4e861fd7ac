"""The ``reboot`` action: reboot the host, wait until it has booted again and answers, as ansible-core's
``reboot`` does (the boot is seen when ``boot_time_command`` prints something new)."""
from __future__ import annotations

import shlex
import time
from typing import Any

from corral.errors import CorralError, CorralInterrupted
from corral.plugins.action import ActionBase
from corral.results import ERROR_SUMMARY

__all__ = ["RebootAction"]

#: the options and their defaults
_DEFAULTS: dict[str, Any] = {
    "boot_time_command": "cat /proc/sys/kernel/random/boot_id",
    "connect_timeout": None,
    "msg": "Reboot initiated by Ansible",
    "post_reboot_delay": 0,
    "pre_reboot_delay": 0,
    "reboot_command": None,
    "reboot_timeout": 600,
    "search_paths": ["/sbin", "/bin", "/usr/sbin", "/usr/bin", "/usr/local/sbin"],
    "test_command": "whoami",
}
_INTEGERS = ("connect_timeout", "post_reboot_delay", "pre_reboot_delay", "reboot_timeout")


class _Failed(Exception):
    """The reboot failed with this message."""


class RebootAction(ActionBase):
    """Run ``reboot_command`` (by default ``shutdown -r`` found in ``search_paths``), then wait, until
    ``reboot_timeout`` seconds have passed, for ``boot_time_command`` to print a new value and for
    ``test_command`` to succeed; then wait ``post_reboot_delay`` seconds. Refused on a local connection;
    in check mode it reports the reboot without doing it."""

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        unknown = sorted(set(self._task.args) - set(_DEFAULTS))
        if unknown:
            return self._failure(f"Invalid options for reboot: {', '.join(unknown)}", 0)
        options = dict(_DEFAULTS)
        options.update({key: value for key, value in self._task.args.items() if value is not None})
        for name in _INTEGERS:
            if options[name] is not None:
                options[name] = int(options[name])
        if self._connection.transport == "local":
            return self._failure("Running reboot with local connection would reboot the control node.", 0)
        if self._task.check_mode:
            return {"changed": True, "elapsed": 0, "rebooted": True}
        start = time.monotonic()
        try:
            self._reboot(options, start)
        except _Failed as exc:
            return self._failure(str(exc), int(time.monotonic() - start))
        if options["post_reboot_delay"]:
            self._wait(options["post_reboot_delay"])
        return {"changed": True, "elapsed": int(time.monotonic() - start), "rebooted": True}

    def _failure(self, msg: str, elapsed: int) -> dict[str, Any]:
        return {"failed": True, "changed": False, "elapsed": elapsed, "rebooted": False, "msg": msg,
                ERROR_SUMMARY: f"Task failed: Action failed: {msg}"}

    def _run(self, command: str) -> tuple[int, str, str]:
        rc, out, err = self._connection.exec_command(command)
        return rc, out.decode(errors="replace"), err.decode(errors="replace")

    def _reboot_command(self, options: dict[str, Any]) -> str:
        """The command line that reboots: ``reboot_command``'s program found in ``search_paths``."""
        if options["reboot_command"]:
            program, _sep, arguments = str(options["reboot_command"]).strip().partition(" ")
        else:
            delay = options["pre_reboot_delay"] // 60
            program, arguments = "shutdown", f'-r {delay} "{options["msg"]}"'
        if program.startswith("/"):
            return f"{program} {arguments}".strip()
        paths = options["search_paths"]
        if isinstance(paths, str):
            paths = [paths]
        find = (f"find {' '.join(shlex.quote(str(path)) for path in paths)} -maxdepth 1 "
                f"-type l -name {shlex.quote(program)} -o -type f -name {shlex.quote(program)}")
        rc, out, _err = self._run(find)
        found = [line for line in out.splitlines() if line.strip()]
        if not found:
            raise _Failed(f'Unable to find command "{program}" in search paths: {list(paths)}')
        return f"{found[0]} {arguments}".strip()

    def _boot_time(self, options: dict[str, Any]) -> str:
        rc, out, err = self._run(options["boot_time_command"])
        if rc != 0:
            raise _Failed(f"Failed to get last boot time information. rc={rc}, stdout: {out.strip()}, "
                          f"stderr: {err.strip()}")
        return out.strip()

    def _reboot(self, options: dict[str, Any], start: float) -> None:
        command = self._reboot_command(options)
        before = self._boot_time(options)
        try:
            rc, out, err = self._run(command)
        except CorralInterrupted:
            raise
        except CorralError:     # the connection dropped as the host went down
            rc, out, err = 0, "", ""
        if rc != 0:
            raise _Failed(f"Reboot command failed. Error was: '{out.strip()}, {err.strip()}'")
        deadline = start + options["reboot_timeout"]
        self._until(deadline, options, lambda: self._boot_time(options) != before,
                    f"Timed out waiting for last boot time check (timeout={options['reboot_timeout']})")
        self._until(deadline, options, lambda: self._run(options["test_command"])[0] == 0,
                    f"Timed out waiting for post-reboot test command (timeout={options['reboot_timeout']})")

    def _until(self, deadline: float, options: dict[str, Any], check: Any, message: str) -> None:
        """Retry ``check`` through a fresh connection (with ``connect_timeout``) until it is true or
        ``deadline`` passes."""
        usual = self._connection
        while True:
            usual.reset()
            if options["connect_timeout"] is not None:
                self._host_connection = usual.with_option("timeout", options["connect_timeout"])
            try:
                if check():
                    return
            except CorralInterrupted:
                raise
            except (CorralError, _Failed):
                pass
            finally:
                self._host_connection = usual
            if time.monotonic() >= deadline:
                raise _Failed(message)
            self._wait(1)
