#!/usr/bin/python3
"""unarchive (target side): unpack a tar or zip archive that is on the target."""
from __future__ import annotations

DOCUMENTATION = r"""
module: unarchive
short_description: Unpack an archive
description:
  - Unpacks a C(.tar), C(.tar.gz), C(.tgz), C(.tar.bz2), C(.tar.xz) or C(.zip) archive into O(dest). The archive is
    copied from the controller first unless O(remote_src) is set (it may then also be a URL). Nothing is unpacked
    when every file of the archive is already in O(dest) with the same content.
options:
  src:
    description: The archive (on the controller, searched in C(files/); or on the target / a URL with O(remote_src)).
    type: path
    required: true
  dest:
    description: The existing directory to unpack into.
    type: path
    required: true
  remote_src:
    type: bool
    default: false
  copy:
    description: The older form of O(remote_src); V(false) means O(remote_src=true). Not with O(remote_src).
    type: bool
    default: true
  decrypt:
    description: A vault-encrypted controller O(src) is decrypted before it is sent; V(false) sends it as it is.
    type: bool
    default: true
  validate_certs:
    description: Verify the server's certificate when O(src) is an C(https://) URL.
    type: bool
    default: true
  io_buffer_size:
    description: The size in bytes of the blocks read while downloading, comparing and unpacking.
    type: int
    default: 65536
  extra_opts:
    description: Options added to the unpacking command (C(tar --extract ...) or C(unzip ...)); with them the
      archive is compared and unpacked by that command (C(tar --diff)), as in ansible-core.
    type: list
    elements: str
    default: []
  creates:
    description: Do not unpack when this path exists.
    type: path
  list_files:
    description: Return the archive's member names as RV(files).
    type: bool
    default: false
  exclude:
    description: Member names (shell patterns) not to unpack.
    type: list
    elements: str
    default: []
  include:
    description: Only unpack these members (shell patterns).
    type: list
    elements: str
    default: []
  keep_newer:
    description: Do not replace files that are newer than the archive's.
    type: bool
    default: false
extends_documentation_fragment: [files]
"""

EXAMPLES = r"""
- unarchive:
    src: app-1.2.tar.gz
    dest: /opt/app

- unarchive:
    src: https://example.com/tool.zip
    dest: /usr/local/bin
    remote_src: true
"""

RETURN = r"""
dest:
  description: Where the archive was unpacked.
  returned: success
  type: str
handler:
  description: C(TarArchive) or C(ZipArchive).
  returned: success
  type: str
files:
  description: The archive's members.
  returned: when list_files
  type: list
"""

import fnmatch
import hashlib
import os
import shutil
import tarfile
import tempfile
import zipfile

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.urls import fetch_url


def _selected(name: str, include: list[str], exclude: list[str]) -> bool:
    if include and not any(fnmatch.fnmatch(name, p) for p in include):
        return False
    return not any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(os.path.basename(name.rstrip("/")), p)
                   for p in exclude)


#: bytes read at a time (the module's ``io_buffer_size``)
_BLOCK = [65536]


def _same_content(path: str, stream) -> bool:
    digest = hashlib.sha1()
    for block in iter(lambda: stream.read(_BLOCK[0]), b""):
        digest.update(block)
    with open(path, "rb") as handle:
        other = hashlib.sha1()
        for block in iter(lambda: handle.read(_BLOCK[0]), b""):
            other.update(block)
    return digest.digest() == other.digest()


class TarArchive:
    handler = "TarArchive"

    def __init__(self, path: str) -> None:
        self.archive = tarfile.open(path)

    def names(self) -> list[str]:
        return [m.name for m in self.archive.getmembers()]

    def up_to_date(self, dest: str, include: list[str], exclude: list[str], keep_newer: bool) -> bool:
        for member in self.archive.getmembers():
            if not _selected(member.name, include, exclude):
                continue
            target = os.path.join(dest, member.name)
            if member.isdir():
                if not os.path.isdir(target):
                    return False
            elif member.issym():
                if not os.path.islink(target) or os.readlink(target) != member.linkname:
                    return False
            elif member.isfile():
                if not os.path.isfile(target) or os.path.getsize(target) != member.size:
                    if keep_newer and os.path.exists(target) and os.path.getmtime(target) > member.mtime:
                        continue
                    return False
                if not _same_content(target, self.archive.extractfile(member)):
                    return False
        return True

    def extract(self, dest: str, include: list[str], exclude: list[str], keep_newer: bool) -> None:
        members = [m for m in self.archive.getmembers() if _selected(m.name, include, exclude)
                   and not (keep_newer and os.path.exists(os.path.join(dest, m.name))
                            and os.path.getmtime(os.path.join(dest, m.name)) > m.mtime)]
        for member in members:
            target = os.path.join(dest, member.name)
            if member.isfile() and os.path.islink(target):
                os.unlink(target)
        if hasattr(tarfile, "data_filter"):
            self.archive.extractall(dest, members=members, filter="tar")
        else:
            self.archive.extractall(dest, members=members)


class ZipArchive:
    handler = "ZipArchive"

    def __init__(self, path: str) -> None:
        self.archive = zipfile.ZipFile(path)

    def names(self) -> list[str]:
        return self.archive.namelist()

    def up_to_date(self, dest: str, include: list[str], exclude: list[str], keep_newer: bool) -> bool:
        for info in self.archive.infolist():
            if not _selected(info.filename, include, exclude):
                continue
            target = os.path.join(dest, info.filename)
            if info.is_dir():
                if not os.path.isdir(target):
                    return False
                continue
            if not os.path.isfile(target) or os.path.getsize(target) != info.file_size:
                return False
            with self.archive.open(info) as stream:
                if not _same_content(target, stream):
                    return False
        return True

    def extract(self, dest: str, include: list[str], exclude: list[str], keep_newer: bool) -> None:
        for info in self.archive.infolist():
            if not _selected(info.filename, include, exclude):
                continue
            path = self.archive.extract(info, dest)
            mode = (info.external_attr >> 16) & 0o7777
            if mode and not info.is_dir():
                os.chmod(path, mode)


class CommandArchive:
    """An archive unpacked by GNU C(tar) or C(unzip) with the user's ``extra_opts`` (which
    may rename, strip or skip members): a tar is unpacked into a staging directory to
    learn what it makes, that is compared with ``dest``, and the command then runs in
    ``dest``."""

    def __init__(self, module: AnsibleModule, path: str, inner: TarArchive | ZipArchive) -> None:
        self.module, self.path, self.inner, self.handler = module, path, inner, inner.handler
        self.staging = tempfile.mkdtemp(dir=module.tmpdir)

    def names(self) -> list[str]:
        """The members as unpacked: a tar's names after ``extra_opts`` (C(--show-transformed-names))."""
        if isinstance(self.inner, ZipArchive):
            return self.inner.names()
        command = ["tar", "--list", "--show-transformed-names", *self.module.params["extra_opts"], "-f", self.path]
        rc, out, err = self.module.run_command(command)
        if rc != 0:
            self.module.fail_json(msg=f"Unable to list files in the archive: {err}")
        return [line.lstrip("/") for line in out.splitlines() if line]

    def _command(self, dest: str, include: list[str], exclude: list[str], keep_newer: bool) -> list[str]:
        opts = self.module.params["extra_opts"]
        if isinstance(self.inner, ZipArchive):
            return ["unzip", "-o", *opts, self.path, *include, *(["-x", *exclude] if exclude else []), "-d", dest]
        return ["tar", "--extract", "-C", dest, *opts, *(["--keep-newer-files"] if keep_newer else []),
                *[f"--exclude={pattern.rstrip('/')}" for pattern in exclude], "-f", self.path, *include]

    def _run(self, dest: str, include: list[str], exclude: list[str], keep_newer: bool) -> None:
        command = self._command(dest, include, exclude, keep_newer)
        rc, out, err = self.module.run_command(command, cwd=dest)
        if rc != 0:
            raise OSError(f"{' '.join(command)} exited {rc}: {err or out}")

    def up_to_date(self, dest: str, include: list[str], exclude: list[str], keep_newer: bool) -> bool:
        """A tar is compared as unpacked with ``extra_opts``; a zip by its members' own
        names, whatever ``extra_opts`` do (so C(-j) reports a change on every run, as in
        ansible-core)."""
        if isinstance(self.inner, ZipArchive):
            return self.inner.up_to_date(dest, include, exclude, keep_newer)
        self._run(self.staging, include, exclude, False)
        for root, dirs, files in os.walk(self.staging):
            for name in dirs + files:
                staged = os.path.join(root, name)
                target = os.path.join(dest, os.path.relpath(staged, self.staging))
                if os.path.islink(staged):
                    if not os.path.islink(target) or os.readlink(target) != os.readlink(staged):
                        return False
                elif os.path.isdir(staged):
                    if not os.path.isdir(target):
                        return False
                elif keep_newer and os.path.exists(target) and os.path.getmtime(target) > os.path.getmtime(staged):
                    continue
                elif not os.path.isfile(target) or os.path.islink(target):
                    return False
                else:
                    with open(staged, "rb") as stream:
                        if not _same_content(target, stream):
                            return False
        return True

    def extract(self, dest: str, include: list[str], exclude: list[str], keep_newer: bool) -> None:
        self._run(dest, include, exclude, keep_newer)


def open_archive(module: AnsibleModule, path: str):
    if zipfile.is_zipfile(path):
        return ZipArchive(path)
    try:
        if tarfile.is_tarfile(path):
            return TarArchive(path)
    except OSError:
        pass
    module.fail_json(msg=f"Failed to find handler for \"{path}\". Make sure the required command to extract the "
                         f"file is installed.")


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "src": {"type": "path", "required": True},
            "dest": {"type": "path", "required": True},
            "remote_src": {"type": "bool", "default": False},
            "creates": {"type": "path"},
            "list_files": {"type": "bool", "default": False},
            "keep_newer": {"type": "bool", "default": False},
            "exclude": {"type": "list", "elements": "str", "default": []},
            "include": {"type": "list", "elements": "str", "default": []},
            "extra_opts": {"type": "list", "elements": "str", "default": []},
            "validate_certs": {"type": "bool", "default": True},
            "io_buffer_size": {"type": "int", "default": 65536},
            "decrypt": {"type": "bool", "default": True},
            "copy": {"type": "bool", "default": True},
        },
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    src, dest = params["src"], params["dest"]
    _BLOCK[0] = max(1, params["io_buffer_size"])
    if params["creates"] and os.path.exists(params["creates"]):
        module.exit_json(changed=False, skipped=True, msg=f"skipped, since {params['creates']} exists",
                         dest=dest, src=src)
    raw_src = src
    if "://" in str(raw_src):
        response, info = fetch_url(module, raw_src, timeout=30)  # validate_certs: the module's option
        if response is None:
            module.fail_json(msg=f"Failure downloading {raw_src}, {info.get('msg')}")
        fd, src = tempfile.mkstemp(dir=module.tmpdir)
        with os.fdopen(fd, "wb") as handle:
            shutil.copyfileobj(response, handle, _BLOCK[0])
    if not os.path.exists(src):
        module.fail_json(msg=f"Source '{src}' does not exist")
    if not os.path.isdir(dest):
        module.fail_json(msg=f"Destination '{dest}' is not a directory")
    archive = open_archive(module, src)
    if params["extra_opts"]:
        archive = CommandArchive(module, src, archive)
    include, exclude = params["include"], params["exclude"]
    result = {"dest": dest, "src": raw_src, "handler": archive.handler, "changed": False}
    if params["list_files"]:
        result["files"] = archive.names()
    try:
        up_to_date = archive.up_to_date(dest, include, exclude, params["keep_newer"])
    except OSError as exc:
        module.fail_json(msg=f"failed to unpack {src} to {dest}: {exc}", **result)
    if not up_to_date:
        result["changed"] = True
        if not module.check_mode:
            try:
                archive.extract(dest, include, exclude, params["keep_newer"])
            except (OSError, tarfile.TarError, zipfile.BadZipFile) as exc:
                module.fail_json(msg=f"failed to unpack {src} to {dest}: {exc}", **result)
    if not module.check_mode and (params["mode"] or params["owner"] or params["group"]):
        for name in archive.names():
            if not _selected(name, include, exclude):
                continue
            path = os.path.join(dest, name)
            if os.path.lexists(path):
                file_args = module.load_file_common_arguments(params, path=path)
                result["changed"] = module.set_fs_attributes_if_different(file_args, result["changed"],
                                                                          expand=False)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
