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
    description: Only replace after the first match of this regular expression.
    type: str
  before:
    description: Only replace before the first match of this regular expression.
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
  description: C(N replacements made), or empty.
  returned: always
  type: str
"""

import os
import re

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.files import finish_edit


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
    if params["after"]:
        match = re.search(params["after"], contents, re.MULTILINE | re.DOTALL)
        if match:
            start = match.end()
    if params["before"]:
        match = re.search(params["before"], contents[start:], re.MULTILINE | re.DOTALL)
        if match:
            stop = start + match.start()
    section, count = re.subn(re.compile(params["regexp"], re.MULTILINE), params["replace"], contents[start:stop])
    result = contents[:start] + section + contents[stop:]
    after = result.encode(encoding, "surrogateescape")
    msg = f"{count} replacements made" if count and after != before else ""
    finish_edit(module, path, before, after, msg, validate=params["validate"], make_backup=params["backup"],
                report_diff=module.diff, rc=0)


if __name__ == "__main__":
    main()
