"""The controller side of ``assemble``: fragments on the target go to the module as they are; fragments
on the controller (``remote_src: false``) are assembled here, decrypted when vaulted, and the result is
put in place by the ``copy`` module."""
from __future__ import annotations

import base64
import os
import re
from typing import Any

from corral.errors import CorralError
from corral.plugins.action import ActionBase
from corral.results import ERROR_SUMMARY
from corral.utils import private_tmp
from corral_modules_files.modules.assemble import assemble_fragments

__all__ = ["AssembleAction"]

_TRUE = ("yes", "on", "1", "true", "t", "y")
#: options only the controller side reads; the copy module gets the others
_ASSEMBLE_ONLY_ARGS = ("remote_src", "regexp", "delimiter", "ignore_hidden", "decrypt")
#: larger files are not shown in diffs (Ansible's default max_diff_size)
_DIFF_MAX_BYTES = 104448


def _bool(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in _TRUE


def _failure(msg: str) -> dict[str, Any]:
    """A failure of the action itself (not of a module), shown as ``Task failed: MSG``."""
    return {"failed": True, "changed": False, "msg": msg, ERROR_SUMMARY: f"Task failed: {msg}"}


class AssembleAction(ActionBase):
    """Assemble a file from fragments on the target or on the controller.

    With ``remote_src: false`` the assembled file is always transferred and handed to the ``copy``
    module (which reports whether the destination changed); with ``--diff`` the result carries the old
    and new content, the new one named by its local temporary file, as Ansible's does.
    """

    TRANSFERS_FILES = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = dict(self._task.args)
        if args.get("src") is None or args.get("dest") is None:
            return _failure("src and dest are required")
        if _bool(args.get("remote_src"), True):
            return self._execute_module("ansible.legacy.assemble", args, task_vars=task_vars)
        source = self._find_needle("files", str(args["src"]))
        if not os.path.isdir(source):
            return _failure(f"Source ({source}) is not a directory")
        try:
            pattern = re.compile(str(args["regexp"])) if args.get("regexp") is not None else None
        except re.error as exc:
            raise CorralError(str(exc)) from exc
        decrypt = _bool(args.get("decrypt"), True)
        handle, assembled = private_tmp.mkstemp(prefix="assembled-")   # fragments may be decrypted secrets
        try:
            with os.fdopen(handle, "wb") as out:
                assemble_fragments(source, out, lambda path: self._fragment(path, decrypt), args.get("delimiter"),
                                   pattern, _bool(args.get("ignore_hidden"), False))
            return self._with_warnings(self._put_in_place(assembled, args))
        finally:
            os.unlink(assembled)

    def _fragment(self, path: str, decrypt: bool) -> bytes:
        """A fragment's content, decrypted when it is a vault and ``decrypt`` is on."""
        if not decrypt:
            with open(path, "rb") as handle:
                return handle.read()
        with self._decrypted(path) as plain, open(plain, "rb") as handle:
            return handle.read()

    def _put_in_place(self, assembled: str, args: dict[str, Any]) -> dict[str, Any]:
        dest = self._remote_expand_user(str(args["dest"]))
        diff = self._diff(assembled, dest) if self._task.diff else None
        remote_tmp = self._make_tmp_path()
        remote_source = f"{remote_tmp}/src"
        self._connection.put_file(assembled, remote_source)
        self._fixup_perms(remote_source)
        module_args = {k: v for k, v in args.items() if k not in _ASSEMBLE_ONLY_ARGS}
        module_args.update(src=remote_source, dest=dest)
        result = self._execute_module("ansible.legacy.copy", module_args)
        self._remove_tmp_path(remote_tmp)
        if diff is not None:
            result["diff"] = diff
        return result

    def _diff(self, assembled: str, dest: str) -> dict[str, Any]:
        """The target's current ``dest`` and the assembled file, as Ansible's ``--diff`` shows them."""
        diff: dict[str, Any] = {}
        current = self._execute_module("slurp", {"src": dest})
        if current.get("failed"):
            diff["before"] = ""
        else:
            diff.update(_diff_side("before", "dst", dest, base64.b64decode(current["content"])))
        with open(assembled, "rb") as handle:
            diff.update(_diff_side("after", "src", assembled, handle.read()))
        return diff


def _diff_side(side: str, short: str, header: str, data: bytes) -> dict[str, Any]:
    """One side of a diff: its text and header, or ``{short}_larger``/``{short}_binary`` when it cannot
    be shown."""
    if len(data) > _DIFF_MAX_BYTES:
        return {f"{short}_larger": _DIFF_MAX_BYTES}
    if b"\x00" in data:
        return {f"{short}_binary": 1}
    return {f"{side}_header": header, side: data.decode("utf-8", "replace")}
