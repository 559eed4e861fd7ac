"""Controller-side actions: copy (transfer then the copy module), template (render
here, then as copy) and fetch (bring a target file to the controller)."""
from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import pwd
import shutil
import stat
import tempfile
from typing import Any

from corral.errors import CorralConnectionFailure, CorralError, CorralFileNotFound
from corral.plugins.action import ActionBase
from corral.results import ERROR_CAUSE, ERROR_SUMMARY
from corral.utils import private_tmp

from .template_options import RENDERING_OPTIONS, rendering_settings

__all__ = ["CopyAction", "TemplateAction", "FetchAction", "UnarchiveAction"]

#: arguments of copy/template that the file module understands (attributes only)
_FILE_ATTRIBUTE_ARGS = ("mode", "owner", "group", "seuser", "serole", "selevel", "setype", "attributes",
                        "unsafe_writes", "follow")
#: arguments that only the controller side uses
_CONTROLLER_ARGS = ("content", "local_follow", "decrypt")
_TRUE = ("yes", "on", "1", "true", "t", "y")
_DIFF_MAX_BYTES = 104448


def _bool(value: Any, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in _TRUE


def _action_failure(msg: str) -> dict[str, Any]:
    """A failure of the action itself, before any module ran (``Action failed``)."""
    return {"failed": True, "changed": False, "msg": msg, ERROR_SUMMARY: f"Task failed: Action failed: {msg}"}


def _sha1(path: str) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(65536), b""):
            digest.update(block)
    return digest.hexdigest()


def _text_for_diff(data: bytes) -> str | None:
    if len(data) > _DIFF_MAX_BYTES or b"\x00" in data:
        return None
    return data.decode("utf-8", "replace")


class CopyAction(ActionBase):
    """Copy a controller file, a directory tree or ``content`` to the target.

    Each file is compared by checksum with the target's (``stat``); only files that
    differ are transferred (to a private temporary directory) and put in place by
    the ``copy`` module; files already identical only get their attributes set by
    the ``file`` module.  ``--diff`` shows the old and new content.
    """

    TRANSFERS_FILES = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = dict(self._task.args)
        src, content, dest = args.get("src"), args.get("content"), args.get("dest")
        if dest is None:
            return _action_failure("dest is required")
        if src is None and content is None:
            return _action_failure("src (or content) is required")
        if src is not None and content is not None:
            return _action_failure("src and content are mutually exclusive")
        if _bool(args.get("remote_src")):
            return self._execute_module("ansible.legacy.copy", self._module_args(args), task_vars=task_vars)
        if content is not None:
            if str(dest).endswith("/"):
                return _action_failure("can not use content with a dir as dest")
            data = content if isinstance(content, str) else json.dumps(content)
            return self._copy_data(data.encode("utf-8", "surrogateescape"), dest, args, src_name=None)
        try:
            local = self._find_needle("files", str(src))
        except CorralError as exc:
            return _source_not_found(str(exc))
        if os.path.isdir(local):
            return self._copy_tree(local, str(src), str(dest), args)
        return self._copy_file(local, dest, args, os.path.basename(local))

    # -- helpers ---------------------------------------------------------------------

    @staticmethod
    def _module_args(args: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in args.items() if k not in _CONTROLLER_ARGS}

    def _copy_data(self, data: bytes, dest: str, args: dict[str, Any], src_name: str | None) -> dict[str, Any]:
        """Copy ``data`` (``content``, or a rendered template named ``src_name``) to
        ``dest``.  It is staged in the private directory as ``tmpXXXX/<src_name>``,
        the local path Ansible's diff shows after ``+++ after:`` for a template."""
        folder = tempfile.mkdtemp(prefix="tmp", dir=private_tmp.directory())  # may be a rendered secret
        path = os.path.join(folder, src_name or "source")
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                out.write(data)
            return self._copy_file(path, dest, args, src_name or "source")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _remote_stat(self, path: str, follow: bool) -> dict[str, Any]:
        result = self._execute_module("stat", {"path": path, "follow": follow, "get_checksum": True,
                                               "get_mime": False, "get_attributes": False})
        if result.get("failed"):
            raise CorralError(result.get("msg", f"Failed to stat {path} on the target"))
        return result["stat"]

    def _remote_content(self, path: str) -> str | None:
        result = self._execute_module("slurp", {"src": path})
        if result.get("failed"):
            return ""
        return _text_for_diff(base64.b64decode(result["content"]))

    def _copy_file(self, local: str, dest: str, args: dict[str, Any], basename: str) -> dict[str, Any]:
        """Copy one controller file to ``dest`` (a file, or a directory to copy into);
        a vault-encrypted file is decrypted first unless ``decrypt: false``."""
        source_mode = stat.S_IMODE(os.stat(local).st_mode)  # the decrypted copy is always 0600
        if _bool(args.get("decrypt"), True):
            with self._decrypted(local) as plain:
                return self._copy_plain_file(plain, dest, args, basename, source_mode)
        return self._copy_plain_file(local, dest, args, basename, source_mode)

    def _copy_plain_file(self, local: str, dest: str, args: dict[str, Any], basename: str,
                         source_mode: int) -> dict[str, Any]:
        """Copy the plain file ``local``; ``source_mode`` is what ``mode: preserve`` keeps."""
        follow = _bool(args.get("follow"))
        force = _bool(args.get("force"), default=True)
        local_checksum = _sha1(local)
        # a destination ending with "/" is a directory the module creates if missing
        module_dest = dest
        try:
            remote = self._remote_stat(dest, follow)
            if remote.get("exists") and remote.get("isdir"):
                dest = os.path.join(dest, basename)
                remote = self._remote_stat(dest, follow)
            elif str(dest).endswith("/"):
                dest = os.path.join(dest, basename)
                remote = {"exists": False}
        except CorralConnectionFailure:
            raise       # the host is unreachable: UNREACHABLE, not a failed copy
        except CorralError as exc:
            return {"failed": True, "msg": str(exc)}
        module_args = self._module_args(args)
        if args.get("mode") == "preserve":
            module_args["mode"] = "0%03o" % source_mode
        if remote.get("exists") and (not force or remote.get("checksum") == local_checksum):
            file_args = {k: module_args[k] for k in _FILE_ATTRIBUTE_ARGS if k in module_args}
            file_args.update(path=dest, state="file")
            unchanged = self._execute_module("file", file_args)
            unchanged.update(dest=dest, checksum=local_checksum)
            unchanged.pop("path", None)
            if not self._task.diff:     # as ansible-core 2.21: the file module's diff is left out
                unchanged["diff"] = []
            return unchanged

        result: dict[str, Any] = {}
        if self._task.diff:
            with open(local, "rb") as handle:
                after = _text_for_diff(handle.read())
            before = self._remote_content(dest) if remote.get("exists") else ""
            if before is None or after is None:
                result["diff"] = {"dst_binary": 1}
            else:
                # as ansible-core 2.21: no "before" header for a new file; "after" names the
                # source file, or the destination for content given inline
                result["diff"] = {"before": before, "after": after,
                                  "after_header": dest if args.get("content") is not None else local}
                if remote.get("exists"):
                    result["diff"]["before_header"] = dest
        if self._task.check_mode:
            result.update(changed=True, dest=dest, checksum=local_checksum)
            result.setdefault("diff", [])
            return result
        tmp = self._make_tmp_path()
        remote_source = f"{tmp}/source"
        self._connection.put_file(local, remote_source)
        self._fixup_perms(remote_source)
        module_args.update(src=remote_source, dest=module_dest if str(module_dest).endswith("/") else dest,
                           _original_basename=basename, checksum=local_checksum)
        module_result = self._execute_module("ansible.legacy.copy", module_args)
        self._remove_tmp_path(tmp)
        module_result["diff"] = result.get("diff", [])
        return self._with_warnings(module_result)

    def _copy_tree(self, local_root: str, src: str, dest: str, args: dict[str, Any]) -> dict[str, Any]:
        """Copy a controller directory: its content when ``src`` ends with ``/``,
        else the directory itself into ``dest``. Symlinks are followed (``local_follow``,
        the default) unless they are broken or loop back to a directory being copied;
        those, and every symlink with ``local_follow: false``, become symlinks on the
        target with the same link text, as in Ansible."""
        base = dest if src.endswith("/") else os.path.join(dest, os.path.basename(local_root.rstrip("/")))
        follow = _bool(args.get("local_follow"), True)
        changed = False
        warnings: list[str] = []
        dir_args = {k: v for k, v in args.items() if k in ("owner", "group", "seuser", "serole", "selevel", "setype")}
        if args.get("directory_mode") is not None:
            dir_args["mode"] = args["directory_mode"]
        links: list[tuple[str, str]] = []
        for root, dirs, files in os.walk(local_root, followlinks=follow):
            dirs.sort()
            relative = os.path.relpath(root, local_root)
            target_dir = base if relative == "." else os.path.join(base, relative)
            made = self._execute_module("file", dict(dir_args, path=target_dir, state="directory"))
            if made.get("failed"):
                return made
            changed = changed or bool(made.get("changed"))
            for name in list(dirs):
                path = os.path.join(root, name)
                real = os.path.realpath(path)
                if os.path.islink(path) and (not follow or _inside(os.path.realpath(root), real)):
                    links.append((os.readlink(path), os.path.join(target_dir, name)))
                    dirs.remove(name)
            for name in sorted(files):
                path = os.path.join(root, name)
                if os.path.islink(path) and (not follow or not os.path.isfile(path)):
                    links.append((os.readlink(path), os.path.join(target_dir, name)))
                    continue
                result = self._copy_file(path, os.path.join(target_dir, name), args, name)
                if result.get("failed"):
                    return result
                changed = changed or bool(result.get("changed"))
                warnings += [w for w in result.get("warnings") or () if w not in warnings]
        link_args = {k: v for k, v in dir_args.items() if k != "mode"}
        for target, path in links:
            made = self._execute_module("file", dict(link_args, path=path, src=target, state="link", force=True,
                                                     follow=False))
            if made.get("failed"):
                return made
            changed = changed or bool(made.get("changed"))
        tree_result: dict[str, Any] = {"changed": changed, "dest": base, "src": src}
        if warnings:
            tree_result["warnings"] = warnings
        return tree_result


class TemplateAction(CopyAction):
    """Render a Jinja2 template on the controller, then copy the result."""

    def _template_searchpath(self, local: str) -> list[str]:
        """Where ``{% include %}`` looks: the template's directory, then the role's and
        the playbook's ``templates/`` and directories."""
        paths = [os.path.dirname(local)]
        role = getattr(self._task, "_role", None)
        if role is not None:
            paths += [os.path.join(role.path, "templates"), role.path]
        basedir = self._loader.get_basedir()
        paths += [os.path.join(basedir, "templates"), basedir]
        return list(dict.fromkeys(paths))

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        ActionBase.run(self, tmp, task_vars)
        args = dict(self._task.args)
        src, dest = args.pop("src", None), args.get("dest")
        if src is None or dest is None:
            return {"failed": True, "msg": "src and dest are required",
                    ERROR_SUMMARY: "Task failed: src and dest are required"}
        try:
            settings, encoding = rendering_settings(args)
            for option in RENDERING_OPTIONS:
                args.pop(option, None)
            local = self._find_needle("templates", str(src))
        except CorralFileNotFound as exc:
            # ansible-core: the task failed, caused by the file not found (no "Action failed")
            return {"failed": True, "changed": False, "msg": exc.message, ERROR_SUMMARY: f"Task failed: {exc.message}",
                    ERROR_CAUSE: [["Task failed", None], [exc.message, []]]}
        except CorralError as exc:
            return self._raised(str(exc))
        try:
            text, _vaulted = self._loader.get_text_file_contents(local)
            names = self._template_vars(local, str(dest), managed="ansible_managed" not in (task_vars or {}))
            names["template_path"] = str(src)  # as the task names it
            rendered = self._templar.template_text(text, extra_vars=names, settings=settings,
                                                   searchpath=self._template_searchpath(local), source_name=local)
            data = rendered.encode(encoding, "surrogateescape")
        except CorralError as exc:
            return {"failed": True, "msg": str(exc)}
        except LookupError as exc:  # an unknown output_encoding
            return {"failed": True, "msg": str(exc)}
        except UnicodeEncodeError as exc:
            return {"failed": True, "msg": f"Could not write the template {src} as {exc.encoding}: {exc}"}
        except (OSError, UnicodeDecodeError) as exc:
            return {"failed": True, "msg": f"Could not read template {src}: {exc}"}
        if args.get("mode") == "preserve":
            args["mode"] = "0%03o" % stat.S_IMODE(os.stat(local).st_mode)
        args["src"] = str(src)
        return self._copy_data(data, str(dest), args, src_name=os.path.basename(local))

    @staticmethod
    def _template_vars(path: str, dest: str, managed: bool = True) -> dict[str, Any]:
        """The ``template_*`` variables of the file at ``path``, and ``ansible_managed``
        unless ``managed`` is false (the user set it: theirs is kept)."""
        st = os.stat(path)
        try:
            owner = pwd.getpwuid(st.st_uid).pw_name
        except KeyError:
            owner = str(st.st_uid)
        names: dict[str, Any] = {
            "template_host": os.uname()[1], "template_path": path, "template_fullpath": os.path.abspath(path),
            "template_uid": owner, "template_mtime": datetime.datetime.fromtimestamp(st.st_mtime),
            "template_run_date": datetime.datetime.now(), "template_destpath": dest,
        }
        if managed:
            names["ansible_managed"] = "Ansible managed"
        return names


class FetchAction(ActionBase):
    """Copy a file from the target to the controller (``dest/HOST/path`` or ``flat``);
    in check mode it is skipped, as ansible-core's is."""

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        if self._task.check_mode:
            return {"changed": False, "skipped": True, "msg": "check mode not (yet) supported for this module"}
        args = self._task.args
        src, dest = args.get("src"), args.get("dest")
        if src is None or dest is None:
            return {"failed": True, "msg": "src and dest are required"}
        flat = _bool(args.get("flat"))
        fail_on_missing = _bool(args.get("fail_on_missing"), True)
        validate = _bool(args.get("validate_checksum", args.get("validate_md5")), True)
        src = self._remote_expand_user(str(src))
        info = self._execute_module("stat", {"path": src, "follow": True, "get_checksum": True,
                                             "get_mime": False, "get_attributes": False})
        if info.get("failed"):
            return info
        remote = info["stat"]
        if not remote.get("exists"):
            result = {"changed": False, "msg": "the remote file does not exist, not transferring, ignored"}
            if fail_on_missing:
                result["failed"] = True
            else:
                result["file"] = src
            return result
        if remote.get("isdir"):
            return {"failed": True, "changed": False, "file": src,
                    "msg": "remote file is a directory, fetch cannot work on directories"}
        dest = os.path.expanduser(str(dest))
        if not os.path.isabs(dest):
            dest = os.path.join(self._loader.get_basedir(), dest)
        # the part of the path taken from ``src`` (often host data: a ``find`` result)
        # must stay inside the directory it is appended to, never climb out with ".."
        # (ansible-core 2.21's check for this compares the wrong paths)
        container = None
        if flat:
            if dest.endswith(os.sep):
                container = dest
                dest = os.path.join(dest, os.path.basename(src))
        else:
            host = (task_vars or {}).get("inventory_hostname") or getattr(self._connection, "_host", "localhost")
            container = os.path.join(dest, str(host))
            if not _inside(container, dest):
                return {"failed": True, "msg": f"Detected directory traversal, expected to be contained in "
                                               f"'{dest}' but got '{os.path.normpath(container)}'"}
            dest = os.path.join(container, src.lstrip("/"))
        dest = os.path.normpath(dest)
        if container is not None and (dest == os.path.normpath(container) or not _inside(dest, container)):
            return {"failed": True, "msg": f"Detected directory traversal, expected to be contained in "
                                           f"'{container}' but got '{dest}'"}
        remote_checksum = remote.get("checksum")
        local_checksum = _sha1(dest) if os.path.isfile(dest) else None
        if remote_checksum == local_checksum:
            return {"changed": False, "checksum": local_checksum, "dest": dest, "file": src,
                    "md5sum": _md5(dest), "remote_checksum": remote_checksum, "remote_md5sum": None}
        os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
        try:
            if self._play_context.become is not None:
                self._fetch_with_slurp(src, dest)
            else:
                self._connection.fetch_file(src, dest)
        except CorralConnectionFailure:
            raise       # the host is unreachable (a stalled transfer), not a failed fetch
        except CorralError as exc:
            return {"failed": True, "msg": f"Failed to fetch {src}: {exc}"}
        new_checksum = _sha1(dest)
        if validate and remote_checksum and new_checksum != remote_checksum:
            return {"failed": True, "changed": False, "checksum": new_checksum, "remote_checksum": remote_checksum,
                    "dest": dest, "file": src, "msg": "checksum mismatch"}
        return {"changed": True, "checksum": new_checksum, "dest": dest, "file": src, "md5sum": _md5(dest),
                "remote_checksum": remote_checksum, "remote_md5sum": None}

    def _fetch_with_slurp(self, src: str, dest: str) -> None:
        """Read the file through a module, so that become applies."""
        result = self._execute_module("slurp", {"src": src})
        if result.get("failed"):
            raise CorralError(result.get("msg", "slurp failed"))
        with open(dest, "wb") as handle:
            handle.write(base64.b64decode(result["content"]))


def _inside(path: str, directory: str) -> bool:
    """Whether ``path`` is ``directory`` or below it, comparing the normalised paths."""
    path, directory = os.path.normpath(path), os.path.normpath(directory)
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _md5(path: str) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(65536), b""):
            digest.update(block)
    return digest.hexdigest()


class UnarchiveAction(ActionBase):
    """Transfer a controller archive to the target (unless ``remote_src``), then
    unpack it there with the ``unarchive`` module."""

    TRANSFERS_FILES = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        args = dict(self._task.args)
        src = args.get("src")
        if src is None or args.get("dest") is None:
            return {"failed": True, "msg": "src (or content) and dest are required"}
        if "copy" in args and "remote_src" in args:
            return self._raised("parameters are mutually exclusive: ('copy', 'remote_src')", changed=False)
        remote = _bool(args.get("remote_src")) or ("copy" in args and not _bool(args.get("copy"), True))
        if remote or "://" in str(src):
            args["remote_src"] = True
            args.pop("copy", None)
            return self._execute_module("ansible.legacy.unarchive", args, task_vars=task_vars)
        try:
            local = self._find_needle("files", str(src))
        except CorralError as exc:      # as ansible-core words it
            return self._raised(f"Task failed: {exc}")
        tmp_dir = self._make_tmp_path()
        remote_path = f"{tmp_dir}/{os.path.basename(local)}"
        if _bool(args.get("decrypt"), True):  # a vaulted archive goes over as plaintext, as in Ansible
            with self._decrypted(local) as plain:
                self._connection.put_file(plain, remote_path)
        else:
            self._connection.put_file(local, remote_path)
        self._fixup_perms(remote_path)
        args.update(src=remote_path, remote_src=True)
        args.pop("copy", None)
        result = self._execute_module("ansible.legacy.unarchive", args, task_vars=task_vars)
        self._remove_tmp_path(tmp_dir)
        result["src"] = str(src)
        return self._with_warnings(result)


def _source_not_found(reason: str) -> dict[str, Any]:
    """``src`` is nowhere on the controller: worded as ansible-core words it, with its
    advice about ``remote_src`` in the error's cause."""
    msg = f"Unexpected AnsibleActionFail error: {reason}"
    return {"failed": True, "changed": False, "msg": msg, ERROR_SUMMARY: f"Task failed: {msg}",
            ERROR_CAUSE: [["Task failed: Unexpected AnsibleActionFail error", None], [
                f"{reason}\n\nIf you are using a module and expect the file to exist on the remote, "
                f"see the remote_src option.", []]]}
