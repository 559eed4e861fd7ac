"""Controller-side actions: raw (a command straight over the connection, no Python),
script (transfer a local script, then run it) and shell (command with a shell)."""
from __future__ import annotations

import os
import shlex
from typing import Any

from corral.errors import CorralError
from corral.module_utils.arg_spec import validate
from corral.parsing.splitter import COMMAND_KEYS
from corral.plugins.action import ActionBase

__all__ = ["CommandAction", "RawAction", "ScriptAction", "ShellAction"]


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
        if not command:     # the free form is required: ansible-core 2.21 fails with this internal error
            return {"failed": True, "msg": "Task failed: 'NoneType' object is not iterable"}
        if self._task.check_mode:
            return {"changed": False, "skipped": True, "msg": "check mode not supported for raw"}
        executable = args.get("executable")
        if executable:
            command = f"{executable} -c {shlex.quote(str(command))}"
        rc, out, err = self._connection.exec_command(str(command))
        return _command_result(rc, out, err)


class CommandAction(ActionBase):
    """``command`` runs its module as ``ansible.legacy.command``, the name its
    messages show, as ansible-core's action does."""

    FREE_FORM_KEYS = COMMAND_KEYS
    REQUIRES_ARGS = True
    #: what the action adds to the task's arguments
    EXTRA_ARGS: dict[str, Any] = {}

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = dict(self._task.args, **self.EXTRA_ARGS)
        return self._execute_module("ansible.legacy.command", args, task_vars=task_vars, wrap_async=True)


class ShellAction(CommandAction):
    """``shell`` is the ``command`` module with a shell (``_uses_shell``)."""

    EXTRA_ARGS = {"_uses_shell": True}


class ScriptAction(ActionBase):
    """Transfer a controller script to a private temporary directory on the target and
    run it there, as Ansible's ``script`` action does: the script is the first word of
    the free-form text (or ``cmd``), the rest is given to the target's shell as
    written; ``creates``/``removes`` skip it, ``chdir`` (absolute) and ``executable``
    shape the command; in check mode it runs only when ``creates``/``removes`` say it
    would (reporting a change without running), else it is skipped."""

    TRANSFERS_FILES = True
    FREE_FORM_KEYS = COMMAND_KEYS
    REQUIRES_ARGS = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        checked = validate(_SCRIPT_SPEC, dict(self._task.args), module_name="script",
                           required_one_of=[["_raw_params", "cmd"]], mutually_exclusive=[["_raw_params", "cmd"]])
        if checked.error:
            return {"failed": True, "changed": False, "msg": checked.error}
        if getattr(self._task, "async_val", 0):
            return {"failed": True, "changed": False, "msg": "This action (script) does not support async."}
        super().run(tmp, task_vars)
        args = checked.params
        skip = self._skip_reason(args.get("creates"), args.get("removes"))
        if skip:
            return {"changed": False, "skipped": True, "msg": skip}
        chdir = args.get("chdir")
        if chdir and not chdir.startswith("/"):
            return {"failed": True, "changed": False,
                    "msg": f"chdir {chdir} must be an absolute path for a Unix-aware remote node"}
        raw = str(args.get("_raw_params") or args.get("cmd")).strip()
        script = shlex.split(raw)[0]
        try:
            local = self._find_needle("files", script)
        except CorralError as exc:
            return self._raised(str(exc), changed=False)
        if self._task.check_mode:
            if args.get("creates") or args.get("removes"):
                return {"changed": True}
            return {"changed": False, "skipped": True, "msg": "Check mode is not supported for this task."}
        tmp_dir = self._make_tmp_path()
        try:
            remote = f"{tmp_dir}/{os.path.basename(local)}"
            with self._decrypted(local) as plain:
                self._connection.put_file(plain, remote)
            self._connection.exec_command(f"chmod u+rx {shlex.quote(remote)}", sudoable=False)
            self._fixup_perms(remote, execute=True)
            # the arguments reach the target's shell as written (quoting, variables)
            command = raw.replace(script, shlex.quote(remote), 1)
            if args.get("executable"):
                command = f"{args['executable']} {command}"
            if chdir:
                command = f"cd {shlex.quote(chdir)} && {command}"
            rc, out, err = self._connection.exec_command(command)
        finally:
            self._remove_tmp_path(tmp_dir)
        return self._with_warnings(_command_result(rc, out, err))

    def _skip_reason(self, creates: str | None, removes: str | None) -> str | None:
        """Why ``creates``/``removes`` skip the script (tested on the target), or None."""
        if creates and self._remote_exists(creates):
            return f"{creates} exists, matching creates option"
        if removes and not self._remote_exists(removes):
            return f"{removes} does not exist, matching removes option"
        return None

    def _remote_exists(self, path: str) -> bool:
        rc, _, _ = self._connection.exec_command(f"test -e {shlex.quote(path)}")
        return rc == 0


#: the options of ``script`` (checked on the controller, with Ansible's messages)
_SCRIPT_SPEC = {name: {"type": "str"} for name in ("cmd", "creates", "removes", "chdir", "executable")} \
    | {"_raw_params": {}}
