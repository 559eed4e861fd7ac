#!/usr/bin/python3
"""copy (target side): put a file that is already on the target in place."""
from __future__ import annotations

DOCUMENTATION = r"""
module: copy
short_description: Copy files to the target
description:
  - Copies a file or directory from the controller (or, with O(remote_src), from elsewhere on the target) to a
    destination on the target, or writes O(content) to it. Only changed files are transferred.
  - Directories are copied recursively; a O(src) ending with C(/) copies the directory's content, otherwise the
    directory itself.
options:
  src:
    description: The file or directory to copy, on the controller (searched in C(files/)) or, with O(remote_src),
      on the target.
    type: path
  content:
    description: Text to write to O(dest) instead of a file.
    type: str
  dest:
    description: Where to copy to; a path ending with C(/) or an existing directory receives the file under its
      own name.
    type: path
    required: true
  backup:
    description: Keep a timestamped copy of a file that is replaced.
    type: bool
    default: false
  force:
    description: Replace a file whose content differs; with C(false) only missing files are created.
    type: bool
    default: true
  remote_src:
    description: O(src) is on the target.
    type: bool
    default: false
  decrypt:
    description: A vault-encrypted O(src) on the controller is decrypted before it is copied; V(false) copies
      the encrypted file as it is.
    type: bool
    default: true
  local_follow:
    description: In a controller O(src) directory, follow symlinks (the default) and copy what they point to;
      with V(false), and for broken or looping links, create the same symlinks on the target.
    type: bool
  validate:
    description: A command, with C(%s) for the new file, that must succeed before the file is put in place.
    type: str
  mode:
    description: Permissions (octal, symbolic, or C(preserve) to keep the source's).
    type: raw
  directory_mode:
    description: Permissions of directories created while copying a directory.
    type: raw
  follow:
    description: When O(dest) is a link, write through it to its target.
    type: bool
    default: false
  checksum:
    description: The expected SHA-1 of the source; the copy fails when it differs.
    type: str
extends_documentation_fragment: [files]
"""

EXAMPLES = r"""
- copy:
    src: app.conf
    dest: /etc/app/app.conf
    owner: root
    mode: "0644"
    backup: true

- copy:
    content: "hello\n"
    dest: /tmp/hello.txt
"""

RETURN = r"""
dest:
  description: The file that was written.
  returned: success
  type: str
checksum:
  description: SHA-1 of the copied file.
  returned: success
  type: str
md5sum:
  description: MD5 of the copied file.
  returned: when available
  type: str
backup_file:
  description: The backup's name, when one was made.
  returned: changed and backup
  type: str
"""

import os
import shutil
import stat
import tempfile

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.files import path_info


def _copy_tree(module: AnsibleModule, src: str, dest: str) -> bool:
    """Copy directory ``src`` into ``dest`` (created), only the files that differ."""
    changed = False
    dir_mode = module.params["directory_mode"]
    for root, dirs, files in os.walk(src):
        relative = os.path.relpath(root, src)
        target_root = dest if relative == "." else os.path.join(dest, relative)
        if not os.path.isdir(target_root):
            changed = True
            if not module.check_mode:
                os.makedirs(target_root)
                if dir_mode is not None:
                    module.set_mode_if_different(target_root, dir_mode, False)
        for name in files:
            source = os.path.join(root, name)
            target = os.path.join(target_root, name)
            if os.path.exists(target) and (not module.params["force"] or module.sha1(source) == module.sha1(target)):
                continue
            changed = True
            if not module.check_mode:
                fd, tmp = tempfile.mkstemp(dir=target_root, prefix=".corral_copy")
                os.close(fd)
                shutil.copy2(source, tmp)
                module.atomic_move(tmp, target)
                shutil.copymode(source, target)
    return changed


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "src": {"type": "path"},
            "_original_basename": {"type": "str"},
            "content": {"type": "str", "no_log": True},
            "dest": {"type": "path", "required": True},
            "backup": {"type": "bool", "default": False},
            "force": {"type": "bool", "default": True},
            "validate": {"type": "str"},
            "directory_mode": {"type": "raw"},
            "remote_src": {"type": "bool"},
            "local_follow": {"type": "bool"},
            "checksum": {"type": "str"},
            "follow": {"type": "bool", "default": False},
            "decrypt": {"type": "bool", "default": True},
        },
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    src, dest = params["src"], params["dest"]
    if src is None:
        module.fail_json(msg="src (or content) is required")
    if not os.path.exists(src):
        module.fail_json(msg=f"Source {src} not found")
    if not os.access(src, os.R_OK):
        module.fail_json(msg=f"Source {src} not readable")

    if os.path.isdir(src):
        if not params["remote_src"]:
            module.fail_json(msg=f"Remote copy of a directory needs remote_src: {src}")
        target = dest if src.endswith("/") else os.path.join(dest, os.path.basename(src.rstrip("/")))
        changed = _copy_tree(module, src, target)
        if os.path.exists(target):
            file_args = module.load_file_common_arguments(params, path=target)
            file_args["mode"] = None if params["mode"] == "preserve" else params["mode"]
            changed = module.set_fs_attributes_if_different(file_args, changed)
        module.exit_json(changed=changed, dest=target, src=src)

    checksum_src = module.sha1(src)
    if params["checksum"] and checksum_src != params["checksum"]:
        module.fail_json(msg="Copied file does not match the expected checksum. Transfer failed.",
                         checksum=checksum_src, expected_checksum=params["checksum"])
    if dest.endswith(os.sep) or os.path.isdir(dest):
        if dest.endswith(os.sep) and not os.path.exists(dest) and not module.check_mode:
            os.makedirs(dest)
        dest = os.path.join(dest, params["_original_basename"] or os.path.basename(src))
    if os.path.islink(dest) and params["follow"]:
        dest = os.path.realpath(dest)
    exists = os.path.lexists(dest)
    if exists and not params["force"]:
        module.exit_json(changed=False, msg="file already exists", dest=dest, src=src)
    if not exists and not os.path.isdir(os.path.dirname(dest) or "."):
        module.fail_json(msg=f"Destination directory {os.path.dirname(dest)} does not exist")
    checksum_dest = module.sha1(dest) if exists and os.path.isfile(dest) else None
    if params["mode"] == "preserve":
        params["mode"] = "0%03o" % stat.S_IMODE(os.stat(src).st_mode)

    changed = checksum_src != checksum_dest or os.path.islink(dest)
    result = {"dest": dest, "src": src, "checksum": checksum_src, "md5sum": module.md5(src)}
    if changed and not module.check_mode:
        if params["backup"] and exists:
            result["backup_file"] = module.backup_local(dest)
        if params["validate"]:
            if "%s" not in params["validate"]:
                module.fail_json(msg=f"validate must contain %s: {params['validate']}")
            rc, out, err = module.run_command(params["validate"] % src)
            if rc != 0:
                module.fail_json(msg=f"failed to validate: rc:{rc} error:{err}", rc=rc, stdout=out, stderr=err)
        if os.path.islink(dest):
            os.unlink(dest)
        if params["remote_src"]:
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(dest) or ".", prefix=".corral_copy")
            os.close(fd)
            module.add_cleanup_file(tmp)
            shutil.copy2(src, tmp)
            src = tmp
        # owner, group and mode go on the new file before it replaces dest: a bad owner
        # fails the task with dest untouched
        module.atomic_move(src, dest, unsafe_writes=params["unsafe_writes"],
                           file_args=module.load_file_common_arguments(params, path=dest))
    if os.path.exists(dest):
        file_args = module.load_file_common_arguments(params, path=dest)
        changed = module.set_fs_attributes_if_different(file_args, changed, expand=False)
        result.update({k: v for k, v in path_info(dest).items() if k != "path"})
        result["state"] = "file"
    module.exit_json(changed=changed, **result)


if __name__ == "__main__":
    main()
