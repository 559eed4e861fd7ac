#!/usr/bin/python3
"""archive: make a tar/zip archive, or compress one file, on the target."""
from __future__ import annotations

DOCUMENTATION = r"""
module: archive
short_description: Create a compressed archive of files
description:
  - Packs O(path) (files, directories or shell globs) into O(dest) as C(tar), C(gz) (C(.tar.gz)), C(bz2), C(xz) or
    C(zip). A single file with a compressing format is compressed alone unless O(force_archive) is set. Archives
    are built reproducibly, so an unchanged source leaves O(dest) unchanged.
options:
  path:
    description: What to archive; a list of paths or globs.
    type: list
    elements: path
    required: true
  dest:
    description: The archive to write (required when O(path) names several files).
    type: path
  format:
    type: str
    choices: [bz2, gz, tar, xz, zip]
    default: gz
  exclude_path:
    description: Paths or globs to leave out.
    type: list
    elements: path
    default: []
  exclusion_patterns:
    description: Shell patterns of names to leave out.
    type: list
    elements: path
  force_archive:
    type: bool
    default: false
  remove:
    description: Remove the source files after archiving them.
    type: bool
    default: false
extends_documentation_fragment: [files]
"""

EXAMPLES = r"""
- archive:
    path: /var/log/app
    dest: /backup/app-logs.tar.gz
"""

RETURN = r"""
state:
  description: C(archive), C(compress), C(incomplete) or C(absent).
  returned: always
  type: str
archived:
  description: The files put in the archive.
  returned: success
  type: list
missing:
  description: Paths that did not exist.
  returned: success
  type: list
"""

import bz2
import fnmatch
import glob
import gzip
import io
import lzma
import os
import shutil
import tarfile
import tempfile
import zipfile

from corral.module_utils.basic import AnsibleModule

_SUFFIX = {"gz": ".gz", "bz2": ".bz2", "xz": ".xz", "tar": ".tar", "zip": ".zip"}


def _compressed_writer(fmt: str, raw):
    if fmt == "gz":
        return gzip.GzipFile(fileobj=raw, mode="wb", mtime=0)
    if fmt == "bz2":
        return bz2.BZ2File(raw, "wb")
    if fmt == "xz":
        return lzma.LZMAFile(raw, "wb")
    return raw


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "list", "elements": "path", "required": True},
            "format": {"type": "str", "default": "gz", "choices": ["bz2", "gz", "tar", "xz", "zip"]},
            "dest": {"type": "path"},
            "exclude_path": {"type": "list", "elements": "path", "default": []},
            "exclusion_patterns": {"type": "list", "elements": "path"},
            "force_archive": {"type": "bool", "default": False},
            "remove": {"type": "bool", "default": False},
        },
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    fmt = params["format"]
    expanded, missing = [], []
    for pattern in params["path"]:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else ([pattern] if os.path.lexists(pattern) else [])
        if not matches:
            missing.append(pattern)
        expanded.extend(matches)
    excluded = {match for pattern in params["exclude_path"] for match in glob.glob(pattern)}
    patterns = params["exclusion_patterns"] or []
    roots = [p for p in expanded if p not in excluded]
    single = len(roots) == 1 and os.path.isfile(roots[0]) and not params["force_archive"] and not missing
    dest = params["dest"]
    if not dest:
        if not single:
            module.fail_json(msg="Error, must specify 'dest' when archiving multiple files or trees")
        dest = roots[0] + _SUFFIX[fmt]
    result = {"dest": dest, "missing": missing, "expanded_paths": expanded, "expanded_exclude_paths": sorted(excluded),
              "changed": False}
    if not roots:
        result.update(state="absent" if not os.path.exists(dest) else "archive", archived=[])
        if missing:
            module.fail_json(msg=f"Error, no source paths were found: {', '.join(missing)}", **result)
        module.exit_json(**result)

    files: list[tuple[str, str]] = []
    arcroot = os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in roots]) if roots else ""
    for root in roots:
        if os.path.isdir(root) and not os.path.islink(root):
            for current, dirs, names in os.walk(root):
                dirs.sort()
                files.append((current, os.path.relpath(current, arcroot)))
                for name in sorted(names):
                    full = os.path.join(current, name)
                    if full in excluded or any(fnmatch.fnmatch(name, p) for p in patterns):
                        continue
                    files.append((full, os.path.relpath(full, arcroot)))
        else:
            files.append((root, os.path.relpath(os.path.abspath(root), arcroot)))

    buffer = io.BytesIO()
    if single:
        with open(roots[0], "rb") as source:
            writer = _compressed_writer(fmt, buffer)
            shutil.copyfileobj(source, writer)
            if writer is not buffer:
                writer.close()
        state = "compress"
    elif fmt == "zip":
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for full, name in files:
                archive.write(full, name)
        state = "archive"
    else:
        writer = _compressed_writer(fmt, buffer)
        with tarfile.open(fileobj=writer, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for full, name in files:
                archive.add(full, name, recursive=False)
        if writer is not buffer:
            writer.close()
        state = "archive"
    data = buffer.getvalue()
    old = None
    if os.path.isfile(dest):
        with open(dest, "rb") as handle:
            old = handle.read()
    changed = old != data
    result.update(state=state if not missing else "incomplete", archived=[full for full, _ in files if os.path.isfile(full)],
                  arcroot=arcroot + os.sep, dest_state=state)
    if changed and not module.check_mode:
        fd, tmp = tempfile.mkstemp(dir=module.tmpdir)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        module.atomic_move(tmp, dest)
    if params["remove"] and not module.check_mode:
        for root in roots:
            if os.path.isdir(root) and not os.path.islink(root):
                shutil.rmtree(root)
            else:
                os.unlink(root)
        changed = True
    if os.path.exists(dest):
        file_args = module.load_file_common_arguments(params, path=dest)
        changed = module.set_fs_attributes_if_different(file_args, changed, expand=False)
    result["changed"] = changed
    module.exit_json(**result)


if __name__ == "__main__":
    main()
