"""Helpers shared by modules that write or describe files on the target."""
from __future__ import annotations

import grp
import os
import pwd
import stat
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from corral.module_utils._lazy import lazy_module
from corral.module_utils._text import to_text
from corral.module_utils.file_attrs import format_mode

tempfile = lazy_module("tempfile")     # on first use: most modules never need it

__all__ = ["path_info", "path_state", "write_file", "finish_edit", "read_text_for_diff", "is_regular",
           "DIFF_MAX_BYTES"]

#: files larger than this are not shown in diffs (Ansible's default max_diff_size)
DIFF_MAX_BYTES = 104448


def _owner_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def path_state(path: str) -> str:
    """``absent``, ``link``, ``directory``, ``hard`` (a file with several links) or ``file``."""
    if os.path.islink(path):
        return "link"
    if not os.path.exists(path):
        return "absent"
    if os.path.isdir(path):
        return "directory"
    if os.stat(path).st_nlink > 1:
        return "hard"
    return "file"


def path_info(path: str, **extra: Any) -> dict[str, Any]:
    """What Ansible's file modules return about ``path``: ``path``, ``state``,
    ``uid``, ``gid``, ``owner``, ``group``, ``mode`` ('0644'), ``size``."""
    info: dict[str, Any] = {"path": path}
    info.update(extra)
    if not os.path.lexists(path):
        info["state"] = "absent"
        return info
    st = os.lstat(path)
    info.update(uid=st.st_uid, gid=st.st_gid, owner=_owner_name(st.st_uid), group=_group_name(st.st_gid),
                mode=format_mode(st.st_mode), size=st.st_size)
    state = path_state(path)
    info["state"] = state
    if state == "link":
        info["src"] = os.readlink(path)
    return info


def read_text_for_diff(path: str) -> str | None:
    """The content of ``path`` for a diff, '' when absent, None when too big or binary."""
    if not os.path.exists(path):
        return ""
    if os.path.getsize(path) > DIFF_MAX_BYTES:
        return None
    with open(path, "rb") as handle:
        data = handle.read()
    if b"\x00" in data:
        return None
    return to_text(data)


def write_file(module: Any, dest: str, data: bytes, validate: str | None = None,
               backup: bool = False, unsafe_writes: bool = False, file_args: dict | None = None,
               diff: dict | None = None) -> tuple[str, bool]:
    """Replace ``dest`` by ``data`` atomically, after running ``validate`` (a command
    with ``%s`` for the new file) on it, with ``file_args`` (owner, group, mode...)
    applied to the new file before it replaces ``dest`` (see ``atomic_move``).
    Returns the backup file name ('' if none) and whether ``file_args`` changed
    anything.  Fails the module, ``dest`` untouched, when validation or an attribute fails."""
    fd, tmp = tempfile.mkstemp(dir=module.tmpdir)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    if validate:
        if "%s" not in validate:
            module.fail_json(msg=f"validate must contain %s: {validate}")
        rc, out, err = module.run_command(validate % tmp)
        if rc != 0:
            module.fail_json(msg=f"failed to validate: rc:{rc} error:{err}", rc=rc, stdout=out, stderr=err)
    backup_file = module.backup_local(dest) if backup and os.path.exists(dest) else ""
    attrs_changed = module.atomic_move(tmp, os.path.realpath(dest) if os.path.islink(dest) else dest,
                                       unsafe_writes=unsafe_writes, file_args=file_args, diff=diff)
    return backup_file, bool(attrs_changed)


def is_regular(path: str) -> bool:
    """Whether ``path`` is a regular file (following links)."""
    return os.path.exists(path) and stat.S_ISREG(os.stat(path).st_mode)


def finish_edit(module: Any, path: str, before: bytes, after: bytes, msg: str, *,
                validate: str | None = None, make_backup: bool = False, report_diff: bool = True,
                **extra: Any) -> None:
    """End a module that edits a file's content (lineinfile, blockinfile, replace):
    write ``after`` if it differs from ``before`` (not in check mode), apply the file
    attributes, and exit with ``changed``, ``msg``, Ansible's two-part ``diff`` and
    ``backup`` (the backup file's name, when one was made).  ``report_diff=False``
    leaves the diff out (modules whose Ansible counterpart only diffs in --diff mode)."""
    changed = before != after
    content_diff = {"before": to_text(before), "after": to_text(after),
                    "before_header": f"{path} (content)", "after_header": f"{path} (content)"}
    attr_diff: dict[str, Any] = {"before_header": f"{path} (file attributes)",
                                 "after_header": f"{path} (file attributes)"}
    attrs_changed = False
    if changed and not module.check_mode:
        backup_file, attrs_changed = write_file(
            module, path, after, validate=validate, backup=make_backup,
            unsafe_writes=bool(module.params.get("unsafe_writes")),
            file_args=module.load_file_common_arguments(module.params, path=path), diff=attr_diff)
        if backup_file:
            extra["backup"] = backup_file
    if os.path.exists(path):
        file_args = module.load_file_common_arguments(module.params, path=path)
        attrs_changed = module.set_fs_attributes_if_different(file_args, attrs_changed, attr_diff, expand=False)
    if attrs_changed:
        msg = f"{msg} and ownership, perms or SE linux context changed" if changed else \
            "ownership, perms or SE linux context changed"
    if report_diff:
        extra["diff"] = [content_diff, attr_diff]
    module.exit_json(changed=changed or attrs_changed, msg=msg, **extra)
