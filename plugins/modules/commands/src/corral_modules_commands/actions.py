"""Controller-side actions: raw (a command straight over the connection, no Python),
script (transfer a local script, then run it) and shell (command with a shell)."""
from __future__ import annotations

import os
import shlex
from typing import Any

from corral.errors import CorralError
from corral.parsing.splitter import COMMAND_KEYS
from corral.plugins.action import ActionBase

__all__ = ["RawAction", "ScriptAction", "ShellAction"]


def _command_result(rc: int, out: bytes, err: bytes) -> dict[str, Any]:
    stdout = out.decode("utf-8", "replace")
    stderr = err.decode("utf-8", "replace")
    result: dict[str, Any] = {"changed": True, "rc": rc, "stdout": stdout, "stdout_lines": stdout.splitlines(),
                              "stderr": stderr, "stderr_lines": stderr.splitlines()}
    if rc != 0:
        result.update(failed=True, msg="non-zero return code")
    return result


class RawAction(ActionBase):
    """Run the free-form command with the connection's shell; the target needs no Python."""

    FREE_FORM_KEYS = COMMAND_KEYS
    REQUIRES_ARGS = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = self._task.args
        command = args.get("_raw_params")
        if not command:
            return {"failed": True, "msg": "raw needs a command (free-form)"}
        if self._task.check_mode:
            return {"changed": False, "skipped": True, "msg": "check mode not supported for raw"}
        executable = args.get("executable")
        if executable:
            command = f"{executable} -c {shlex.quote(str(command))}"
        rc, out, err = self._connection.exec_command(str(command))
        return _command_result(rc, out, err)


class ShellAction(ActionBase):
    """``shell`` is the ``command`` module with a shell (``_uses_shell``)."""

    FREE_FORM_KEYS = COMMAND_KEYS
    REQUIRES_ARGS = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = dict(self._task.args, _uses_shell=True)
        return self._execute_module("command", args, task_vars=task_vars, wrap_async=True)


class ScriptAction(ActionBase):
    """Transfer a controller script to a private temporary directory on the target and
    run it there with its arguments (``creates``/``removes``/``chdir``/``executable``)."""

    TRANSFERS_FILES = True
    FREE_FORM_KEYS = COMMAND_KEYS
    REQUIRES_ARGS = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = self._task.args
        raw = args.get("cmd") or args.get("_raw_params")
        if not raw:
            return {"failed": True, "msg": "script needs a path to a local script (free-form or cmd)"}
        for key, wanted in (("creates", True), ("removes", False)):
            path = args.get(key)
            if path:
                info = self._execute_module("stat", {"path": str(path), "get_checksum": False,
                                                     "get_mime": False, "get_attributes": False})
                if bool(info.get("stat", {}).get("exists")) == wanted:
                    state = "exists" if wanted else "does not exist"
                    return {"changed": False, "skipped": True, "rc": 0,
                            "msg": f"{'Did not run' if not self._task.check_mode else 'Would not run'} "
                                   f"command since '{path}' {state}",
                            "stdout": f"skipped, since {path} {state}", "stdout_lines": [], "stderr": ""}
        parts = shlex.split(str(raw))
        try:
            local = self._find_needle("files", parts[0])
        except CorralError as exc:
            return {"failed": True, "msg": str(exc)}
        if self._task.check_mode:
            return {"changed": True, "skipped": True, "msg": "Command would have run if not in check mode"}
        tmp_dir = self._make_tmp_path()
        remote = f"{tmp_dir}/{os.path.basename(local)}"
        with self._decrypted(local) as plain:
            self._connection.put_file(plain, remote)
        self._connection.exec_command(f"chmod u+rx {shlex.quote(remote)}", sudoable=False)
        self._fixup_perms(remote, execute=True)
        command = " ".join([shlex.quote(remote)] + [shlex.quote(p) for p in parts[1:]])
        executable = args.get("executable")
        if executable:
            command = f"{executable} {command}"
        chdir = args.get("chdir")
        if chdir:
            command = f"cd {shlex.quote(str(chdir))} && {command}"
        rc, out, err = self._connection.exec_command(command)
        self._remove_tmp_path(tmp_dir)
        return self._with_warnings(_command_result(rc, out, err))
