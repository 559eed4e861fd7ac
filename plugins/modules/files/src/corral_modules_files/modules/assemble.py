#!/usr/bin/python3
"""assemble (target side): concatenate the fragments of a directory on the target into one file.

The ``assemble`` action runs this module as it is for ``remote_src: true`` (the default); for
``remote_src: false`` it assembles the controller's fragments with :func:`assemble_fragments`
and puts the result in place with the ``copy`` module.
"""
from __future__ import annotations

DOCUMENTATION = r"""
module: assemble
short_description: Assemble configuration files from fragments
description:
  - Concatenates the files of a directory (the "fragments"), in string sorting order of their names, into
    one destination file, for programs that do not read a C(conf.d) style directory.
  - The fragments may already be on the target (O(remote_src=true), the default) or on the controller.
  - Subdirectories are skipped. A fragment that does not end with a newline is followed by one when another
    fragment comes after it.
options:
  src:
    description:
      - An existing directory of fragments, on the target, or with O(remote_src=false) on the controller
        (searched like a C(copy) source, in C(files/) first).
    type: path
    required: true
  dest:
    description: The file to create from the concatenation of the fragments.
    type: path
    required: true
  backup:
    description: Keep a timestamped copy of the destination before replacing it.
    type: bool
    default: false
  delimiter:
    description:
      - Text written between two fragments; escapes such as C(\n) are expanded, and a newline follows the
        delimiter unless it ends with one.
    type: str
  remote_src:
    description: C(false) takes O(src) on the controller, C(true) on the target.
    type: bool
    default: true
  regexp:
    description: Only assemble the fragments whose file name matches this Python regular expression (searched).
    type: str
  ignore_hidden:
    description: Skip the fragments whose name starts with C(.).
    type: bool
    default: false
  validate:
    description:
      - A command, with C(%s) for the assembled file, that must succeed before the file is put in place.
      - Run without a shell.
    type: str
  decrypt:
    description: Decrypt vault-encrypted fragments (with O(remote_src=false)).
    type: bool
    default: true
extends_documentation_fragment: [files]
attributes:
  action:
    support: full
  async:
    support: none
  check_mode:
    support: full
  diff_mode:
    support: full
  vault:
    support: full
"""

EXAMPLES = r"""
- name: Assemble sshd_config from fragments on the target, checking it before use
  assemble:
    src: /etc/ssh/conf.d/
    dest: /etc/ssh/sshd_config
    validate: /usr/sbin/sshd -t -f %s

- name: Assemble from fragments kept beside the playbook
  assemble:
    src: fragments/
    dest: /etc/someapp/someapp.conf
    remote_src: false
    delimiter: '### START FRAGMENT ###'
"""

RETURN = r"""
src:
  description: The directory of fragments (for O(remote_src=false), the assembled file transferred to the target).
  returned: success
  type: str
dest:
  description: The assembled file.
  returned: success
  type: str
checksum:
  description: SHA-1 of the assembled content.
  returned: success
  type: str
md5sum:
  description: MD5 of the assembled content.
  returned: success
  type: str
backup_file:
  description: The backup of the previous destination, when O(backup) made one.
  returned: changed and O(backup) is true
  type: str
validation:
  description: The C(rc), C(stdout) and C(stderr) of the O(validate) command.
  returned: when O(validate) ran
  type: dict
"""

import codecs
import os
import re
import tempfile

from corral.module_utils.basic import AnsibleModule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO, Callable, Pattern


def assemble_fragments(src: str, out: BinaryIO, read: Callable[[str], bytes], delimiter: str | None = None,
                       pattern: Pattern[str] | None = None, ignore_hidden: bool = False) -> None:
    """Write to ``out`` the regular files of the directory ``src`` (sorted by name; only names that
    ``pattern`` finds; no hidden ones with ``ignore_hidden``), each read with ``read``.

    Between two fragments: a newline when the first does not end with one, then ``delimiter`` and a
    newline unless the delimiter ends with one.  As in Ansible, the delimiter's escapes are expanded
    again before each use, so an escaped backslash becomes an escape sequence from the third fragment on.
    """
    escaped = delimiter.encode("utf-8", "surrogateescape") if delimiter else b""
    first, needs_newline = True, False
    for name in sorted(os.listdir(src)):
        fragment = os.path.join(src, name)
        if pattern is not None and not pattern.search(name):
            continue
        if not os.path.isfile(fragment) or (ignore_hidden and name.startswith(".")):
            continue
        content = read(fragment)
        if needs_newline:
            out.write(b"\n")
        if not first and escaped:
            escaped = codecs.escape_decode(escaped)[0]
            out.write(escaped)
            if not escaped.endswith(b"\n"):
                out.write(b"\n")
        out.write(content)
        first, needs_newline = False, not content.endswith(b"\n")


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "src": {"type": "path", "required": True},
            "delimiter": {"type": "str"},
            "dest": {"type": "path", "required": True},
            "backup": {"type": "bool", "default": False},
            "remote_src": {"type": "bool", "default": True},
            "regexp": {"type": "str"},
            "ignore_hidden": {"type": "bool", "default": False},
            "validate": {"type": "str"},
            "decrypt": {"type": "bool", "default": True},
        },
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    src, dest, validate = params["src"], params["dest"], params["validate"]
    if not os.path.exists(src):
        module.fail_json(msg=f"Source ({src}) does not exist")
    if not os.path.isdir(src):
        module.fail_json(msg=f"Source ({src}) is not a directory")
    pattern = error = None
    if params["regexp"] is not None:
        try:
            pattern = re.compile(params["regexp"])
        except re.error as exc:
            error = f"Invalid Regexp ({exc}) in \"{params['regexp']}\""
    if error:
        module.fail_json(msg=error)
    if validate and "%s" not in validate:
        module.fail_json(msg=f"validate must contain %s: {validate}")

    handle, assembled = tempfile.mkstemp(dir=module.tmpdir)
    with os.fdopen(handle, "wb") as out:
        assemble_fragments(src, out, _read, params["delimiter"], pattern, params["ignore_hidden"])
    result: dict[str, Any] = {"src": src, "dest": dest, "checksum": module.sha1(assembled),
                              "md5sum": module.md5(assembled), "msg": "OK"}
    dest_checksum = module.sha1(dest) if os.path.exists(dest) else None
    changed = result["checksum"] != dest_checksum
    if changed and not module.check_mode:
        if validate:
            rc, out_text, err_text = module.run_command(validate % assembled)
            result["validation"] = {"rc": rc, "stdout": out_text, "stderr": err_text}
            if rc != 0:
                module.fail_json(msg=f"failed to validate: rc:{rc} error:{err_text}")
        if params["backup"] and dest_checksum is not None:
            result["backup_file"] = module.backup_local(dest)
        module.atomic_move(assembled, dest, unsafe_writes=params["unsafe_writes"])
    if os.path.exists(dest):
        file_args = module.load_file_common_arguments(params, path=dest)
        changed = module.set_fs_attributes_if_different(file_args, changed)
    module.exit_json(changed=changed, **module.add_path_info(result))


if __name__ == "__main__":
    main()
