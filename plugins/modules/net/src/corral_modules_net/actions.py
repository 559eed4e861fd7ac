"""Controller side of ``uri``: files named by ``src`` or by a ``form-multipart`` body's
``filename`` are controller files (searched in ``files/``) unless ``remote_src``."""
from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from typing import Any

from corral.errors import CorralError
from corral.plugins.action import ActionBase

__all__ = ["UriAction"]

_TRUE = ("yes", "on", "1", "true", "t", "y")


def _ansible_type_name(value: Any) -> str:
    """The type ansible-core 2.21 names for a task argument: values read from YAML
    are its tagged types (``_AnsibleTaggedStr``...)."""
    for kind, name in ((bool, "bool"), (str, "_AnsibleTaggedStr"), (int, "_AnsibleTaggedInt"),
                       (float, "_AnsibleTaggedFloat"), (list, "_AnsibleTaggedList")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


class UriAction(ActionBase):
    """Transfer ``src`` (or each multipart file without ``content``) to a private
    temporary directory on the target, then run the ``uri`` module with those paths."""

    TRANSFERS_FILES = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = dict(self._task.args)
        if str(args.get("remote_src", False)).lower() in _TRUE or args.get("remote_src") is True:
            return self._execute_module("ansible.legacy.uri", args, task_vars=task_vars)
        src, body = args.get("src"), args.get("body")
        uploads: list[tuple[str, Any]] = []
        if src:
            uploads.append((str(src), lambda path: args.__setitem__("src", path)))
        elif args.get("body_format") == "form-multipart":
            if not isinstance(body, Mapping):
                return self._raised(f"body must be mapping, cannot be type {_ansible_type_name(body)}",
                                    changed=False)
            body = args["body"] = copy.deepcopy(dict(body))
            for value in body.values():
                if isinstance(value, dict) and value.get("filename") and not value.get("content"):
                    uploads.append((str(value["filename"]), lambda path, field=value: field.__setitem__(
                        "filename", path)))
        if not uploads:
            return self._execute_module("ansible.legacy.uri", args, task_vars=task_vars)
        tmp_dir = self._make_tmp_path()
        try:
            for name, use in uploads:
                try:
                    local = self._find_needle("files", name)
                except CorralError as exc:
                    return self._raised(f"Task failed: {exc}")
                remote = f"{tmp_dir}/{os.path.basename(local)}"
                self._connection.put_file(local, remote)
                self._fixup_perms(remote)
                use(remote)
            return self._execute_module("ansible.legacy.uri", args, task_vars=task_vars)
        finally:
            self._remove_tmp_path(tmp_dir)
