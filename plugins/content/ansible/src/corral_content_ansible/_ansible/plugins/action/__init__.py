"""``ansible.plugins.action``: ``ActionBase`` for action plugins written for Ansible.

It is corral's :class:`corral.plugins.action.ActionBase` (``_task``, ``_connection``,
``_play_context``, ``_loader``, ``_templar``, ``_execute_module``,
``_make_tmp_path``, ``_remote_expand_user``, ``TRANSFERS_FILES``...) with the
rest of the helpers Ansible's action plugins call.  ``run`` answers as Ansible's
does: a task in check mode whose action does not support it is skipped, and an
:class:`ansible.errors.AnsibleAction` raised by ``run`` ends it with its result.
"""
from __future__ import annotations

import functools
import os
import shlex
from typing import Any, Callable

from corral.plugins.action import ActionBase as _KernelActionBase

from ansible.errors import AnsibleAction, AnsibleError
from ansible.template import Templar
from ansible.utils.display import Display

__all__ = ["ActionBase"]


def _ending_with_result(run: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    @functools.wraps(run)
    def wrapper(self: Any, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        try:
            return run(self, tmp, task_vars)
        except AnsibleAction as exc:
            return dict(exc.result)
    return wrapper


class _Connection:
    """The host's connection as Ansible's action plugins see it: corral's, with the
    POSIX shell helpers (``_shell``) they use to build paths and commands, of the
    target's shell type."""

    def __init__(self, connection: Any, shell_type: str) -> None:
        from ansible.plugins.connection import ShellModule
        self._wrapped = connection
        self._shell = ShellModule.of_type(shell_type)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)


class _RunLoader:
    """``action_loader``/``module_loader`` of the run (``self._shared_loader_obj.action_loader.get(...)``)."""

    def __init__(self, plugins: Any, kind: str) -> None:
        self._plugins = plugins
        self._kind = kind

    def find_plugin(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self._plugins.resolve(self._kind, name)

    def has_plugin(self, name: str, *args: Any, **kwargs: Any) -> bool:
        return self.find_plugin(name) is not None

    def get(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """An instance of the run's action ``name`` built with these arguments (``None``
        when there is none); for modules, what the run resolves the name to."""
        found = self.find_plugin(name)
        if found is None or self._kind != "action":
            return found
        kwargs.pop("class_only", None)
        return found(*args, **kwargs)


class _SharedLoader:
    """The run's plugin manager with the loaders Ansible's action plugins use."""

    def __init__(self, plugins: Any) -> None:
        self._plugins = plugins
        self.action_loader = _RunLoader(plugins, "action")
        self.module_loader = _RunLoader(plugins, "module")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._plugins, name)


class ActionBase(_KernelActionBase):
    """Ansible's action base class."""

    _display = Display()

    def __init__(self, task: Any, connection: Any, play_context: Any, loader: Any, templar: Any,
                 shared_loader_obj: Any = None) -> None:
        shared = shared_loader_obj if shared_loader_obj is None or isinstance(shared_loader_obj, _SharedLoader) \
            else _SharedLoader(shared_loader_obj)
        super().__init__(task, connection, play_context, loader, Templar.of(templar), shared)

    @property
    def _connection(self) -> Any:
        return _Connection(_KernelActionBase._connection.fget(self), self._shell_type)  # type: ignore[attr-defined]

    @functools.cached_property
    def _shell_type(self) -> str:
        """The target's shell type: the task's ``ansible_shell_type``, else the one an
        Ansible connection plugin chooses for itself, else ``sh``."""
        chosen = self._templar.template("{{ ansible_shell_type | default('') }}")
        if chosen:
            return str(chosen)
        from corral_content_ansible.remote_adapters import shell_family
        options = getattr(_KernelActionBase._connection.fget(self), "options", None)  # type: ignore[attr-defined]
        return (shell_family(options) if options is not None else None) or "sh"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "run" in cls.__dict__:
            setattr(cls, "run", _ending_with_result(cls.__dict__["run"]))

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        """Ansible's checks before an action runs: the arguments it accepts and check mode."""
        result = super().run(tmp, task_vars)
        if self._play_context.check_mode and not self._supports_check_mode:
            raise AnsibleAction(result={"skipped": True, "msg": "check mode not supported for this module"})
        return result

    @property
    def _shared_loader(self) -> Any:
        return self._shared_loader_obj

    def _low_level_execute_command(self, cmd: str, sudoable: bool = True, in_data: Any = None,
                                   executable: str | None = None, encoding_errors: str = "surrogate_then_replace",
                                   chdir: str | None = None) -> dict[str, Any]:
        """Run the shell command line ``cmd`` on the target; ``rc``, ``stdout``,
        ``stdout_lines``, ``stderr``, ``stderr_lines``."""
        if chdir:
            cmd = f"cd {shlex.quote(chdir)} && {cmd}"
        if executable:
            cmd = f"{executable} -c {shlex.quote(cmd)}"
        data = in_data.encode() if isinstance(in_data, str) else in_data
        rc, out, err = self._connection.exec_command(cmd, in_data=data, sudoable=sudoable)
        stdout = out.decode("utf-8", "replace") if isinstance(out, bytes) else str(out)
        stderr = err.decode("utf-8", "replace") if isinstance(err, bytes) else str(err)
        return {"rc": rc, "stdout": stdout, "stdout_lines": stdout.splitlines(), "stderr": stderr,
                "stderr_lines": stderr.splitlines()}

    def _transfer_file(self, local_path: str, remote_path: str) -> str:
        """Copy the controller file ``local_path`` to ``remote_path`` on the target."""
        self._connection.put_file(local_path, remote_path)
        return remote_path

    def _transfer_data(self, remote_path: str, data: Any) -> str:
        """Write ``data`` (text, bytes, or a dict as JSON) to ``remote_path`` on the target."""
        import json
        import tempfile
        if isinstance(data, dict):
            data = json.dumps(data)
        payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        handle, local = tempfile.mkstemp(prefix="corral-transfer-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            self._connection.put_file(local, remote_path)
        finally:
            os.unlink(local)
        return remote_path

    def _fixup_perms2(self, remote_paths: list[str], remote_user: str | None = None, execute: bool = True) -> None:
        """Let the become user read (and with ``execute`` run) the transferred files."""
        for path in remote_paths:
            self._fixup_perms(path, execute=execute)

    def _remote_chmod(self, paths: list[str], mode: str, sudoable: bool = False) -> dict[str, Any]:
        return self._low_level_execute_command(f"chmod {mode} " + " ".join(shlex.quote(p) for p in paths),
                                               sudoable=sudoable)

    def _remote_file_exists(self, path: str) -> bool:
        return self._low_level_execute_command(f"test -e {shlex.quote(path)}", sudoable=True)["rc"] == 0

    def _execute_remote_stat(self, path: str, all_vars: Any, follow: bool, tmp: str | None = None,
                             checksum: bool = True) -> dict[str, Any]:
        """The ``stat`` module's ``stat`` of ``path`` on the target (``checksum`` SHA-1)."""
        result = self._execute_module("ansible.builtin.stat", {"path": path, "follow": follow,
                                                               "get_checksum": checksum,
                                                               "checksum_algorithm": "sha1"}, all_vars)
        if result.get("failed"):
            raise AnsibleError(f"Failed to get information on remote file ({path}): {result.get('msg', '')}")
        stat = dict(result.get("stat") or {})
        if not stat.get("exists"):
            stat["checksum"] = "1"
        elif stat.get("isdir"):
            stat["checksum"] = "3"
        return stat

    def _get_remote_user(self) -> str | None:
        return self._remote_user()

    def _early_needs_tmp_path(self) -> bool:
        return bool(self.TRANSFERS_FILES)
