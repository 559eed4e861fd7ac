#!/usr/bin/python3
"""replace: replace every match of a regular expression in a file."""
from __future__ import annotations

DOCUMENTATION = r"""
module: replace
short_description: Replace all matches of a pattern in a file
description:
  - Replaces every match of a Python regular expression (multiline mode) in a file, optionally only in the
    part after O(after) and/or before O(before).
options:
  path:
    description: The file to edit.
    type: path
    required: true
    aliases: [dest, destfile, name]
  regexp:
    description: The Python regular expression to look for.
    type: str
    required: true
  replace:
    description: The replacement; may use the groups of O(regexp) (C(\1), C(\g<name>)).
    type: str
    default: ""
  after:
    description:
      - Only replace after the first match of this regular expression (which may span lines).
      - When the file has no such part, the module reports that and changes nothing.
    type: str
  before:
    description:
      - Only replace before the last match of this regular expression, or with O(after) before the first
        match that follows the match of O(after).
    type: str
  backup:
    type: bool
    default: false
  validate:
    type: str
  encoding:
    type: str
    default: utf-8
extends_documentation_fragment: [files]
"""

EXAMPLES = r"""
- replace:
    path: /etc/hosts
    regexp: '(\s+)old\.example\.com(\s+.*)?$'
    replace: '\1new.example.com\2'
"""

RETURN = r"""
msg:
  description: C(N replacements made), or empty; says when the file attributes changed too.
  returned: always
  type: str
backup_file:
  description: The name of the backup file, when O(backup) made one.
  returned: changed and O(backup) is true
  type: str
"""

import os
import re

from corral.module_utils.basic import AnsibleModule
from corral.module_utils._text import to_text
from corral.module_utils.files import write_file


def _section_pattern(after: str | None, before: str | None) -> str:
    """The pattern whose group ``subsection`` is the part of the file to edit ("" for the whole file):
    from the first match of ``after`` to the next match of ``before``, or the last match of ``before``
    when ``after`` is not given."""
    if after and before:
        return f"{after}(?P<subsection>.*?){before}"
    if after:
        return f"{after}(?P<subsection>.*)"
    if before:
        return f"(?P<subsection>.*){before}"
    return ""


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "required": True, "aliases": ["dest", "destfile", "name"]},
            "regexp": {"type": "str", "required": True},
            "replace": {"type": "str", "default": ""},
            "after": {"type": "str"},
            "before": {"type": "str"},
            "backup": {"type": "bool", "default": False},
            "validate": {"type": "str"},
            "encoding": {"type": "str", "default": "utf-8"},
        },
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    path = params["path"]
    encoding = params["encoding"]
    if os.path.isdir(path):
        module.fail_json(rc=256, msg=f"Path {path} is a directory !")
    if not os.path.exists(path):
        module.fail_json(rc=257, msg=f"Path {path} does not exist !")
    with open(path, "rb") as handle:
        before = handle.read()
    contents = before.decode(encoding, "surrogateescape")

    start, stop = 0, len(contents)
    pattern = _section_pattern(params["after"], params["before"])
    if pattern:
        match = re.search(pattern, contents, re.MULTILINE | re.DOTALL)
        if not match:
            module.exit_json(changed=False, rc=0,
                             msg=f"Pattern for before/after params did not match the given file: {pattern}")
        start, stop = match.span("subsection")
    try:
        section, count = re.subn(re.compile(params["regexp"], re.MULTILINE), params["replace"],
                                 contents[start:stop])
    except re.error as exc:
        error = str(exc)
    else:
        error = ""
    if error:   # outside the handler: Ansible's result carries no traceback for this failure
        module.fail_json(msg=f"Unable to process replace due to error: {error}")
    after = (contents[:start] + section + contents[stop:]).encode(encoding, "surrogateescape")
    _finish(module, path, before, after, f"{count} replacements made" if count and after != before else "")


def _finish(module: AnsibleModule, path: str, before: bytes, after: bytes, msg: str) -> None:
    """Write ``after`` when it differs (not in check mode), apply the file attributes and exit:
    ``diff`` (with --diff) covers the content only, ``backup_file`` names the backup."""
    result: dict = {"rc": 0}
    changed = after != before
    if changed:
        if module.diff:
            result["diff"] = {"before_header": path, "before": to_text(before),
                              "after_header": path, "after": to_text(after)}
        if not module.check_mode:
            backup_file, _ = write_file(module, path, after, validate=module.params["validate"],
                                        backup=module.params["backup"],
                                        unsafe_writes=bool(module.params["unsafe_writes"]))
            if backup_file:
                result["backup_file"] = backup_file
    file_args = module.load_file_common_arguments(module.params, path=path)
    if module.set_fs_attributes_if_different(file_args, False, expand=False):
        msg = f"{msg} and ownership, perms or SE linux context changed" if changed else \
            "ownership, perms or SE linux context changed"
        changed = True
    module.exit_json(changed=changed, msg=msg, **result)

if __name__ == "__main__":
    main()
