#!/usr/bin/python3
"""blockinfile: manage a block of lines between two marker lines."""
from __future__ import annotations

DOCUMENTATION = r"""
module: blockinfile
short_description: Insert, update or remove a block of lines surrounded by markers
description:
  - Keeps a block of text in a file between a begin and an end marker line, replacing what is between the
    markers when the block changes.
options:
  path:
    description: The file to edit.
    type: path
    required: true
    aliases: [dest, destfile, name]
  block:
    description: The text to put between the markers; empty removes the block.
    type: str
    default: ""
    aliases: [content]
  state:
    type: str
    choices: [absent, present]
    default: present
  marker:
    description: The marker line template; C({mark}) becomes O(marker_begin) or O(marker_end).
    type: str
    default: "# {mark} ANSIBLE MANAGED BLOCK"
  marker_begin:
    type: str
    default: BEGIN
  marker_end:
    type: str
    default: END
  insertafter:
    description: Insert a new block after the last line matching this regular expression, or C(EOF).
    type: str
  insertbefore:
    description: Insert a new block before the last line matching this regular expression, or C(BOF).
    type: str
  create:
    type: bool
    default: false
  backup:
    type: bool
    default: false
  validate:
    type: str
  append_newline:
    description: Add an empty line after a newly inserted block if the next line is not empty.
    type: bool
    default: false
  prepend_newline:
    description: Add an empty line before a newly inserted block if the previous line is not empty.
    type: bool
    default: false
extends_documentation_fragment: [files]
"""

EXAMPLES = r"""
- blockinfile:
    path: /etc/ssh/sshd_config
    block: |
      Match User deploy
      PasswordAuthentication no
"""

RETURN = r"""
msg:
  description: What happened (C(Block inserted), C(Block removed), C(File created)).
  returned: always
  type: str
"""

import os
import re

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.files import finish_edit


def _find(lines: list[str], pattern: str) -> int:
    compiled = re.compile(pattern)
    found = -1
    for index, line in enumerate(lines):
        if compiled.search(line):
            found = index
    return found


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "required": True, "aliases": ["dest", "destfile", "name"]},
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
            "marker": {"type": "str", "default": "# {mark} ANSIBLE MANAGED BLOCK"},
            "block": {"type": "str", "default": "", "aliases": ["content"]},
            "insertafter": {"type": "str"},
            "insertbefore": {"type": "str"},
            "create": {"type": "bool", "default": False},
            "backup": {"type": "bool", "default": False},
            "validate": {"type": "str"},
            "marker_begin": {"type": "str", "default": "BEGIN"},
            "marker_end": {"type": "str", "default": "END"},
            "append_newline": {"type": "bool", "default": False},
            "prepend_newline": {"type": "bool", "default": False},
        },
        mutually_exclusive=[["insertbefore", "insertafter"]],
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    path = params["path"]
    if os.path.isdir(path):
        module.fail_json(rc=256, msg=f"Path {path} is a directory !")
    created = False
    if not os.path.exists(path):
        if not params["create"]:
            module.fail_json(rc=257, msg=f"Path {path} does not exist !")
        if params["state"] == "absent":
            module.exit_json(changed=False, msg="File not present")
        created = True
        before = b""
    else:
        with open(path, "rb") as handle:
            before = handle.read()
    lines = before.decode("utf-8", "surrogateescape").splitlines()

    begin = params["marker"].replace("{mark}", params["marker_begin"])
    end = params["marker"].replace("{mark}", params["marker_end"])
    block = params["block"]
    if params["state"] == "absent" or not block:
        block_lines: list[str] = []
    else:
        block_lines = [begin] + block.splitlines() + [end]

    begin_at = next((i for i, line in enumerate(lines) if line == begin), None)
    end_at = next((i for i, line in enumerate(lines) if line == end), None)
    if begin_at is not None and end_at is not None and begin_at <= end_at:
        lines = lines[:begin_at] + block_lines + lines[end_at + 1:]
        position = None
    else:
        after, before_pattern = params["insertafter"], params["insertbefore"]
        if before_pattern == "BOF":
            position = 0
        elif before_pattern:
            index = _find(lines, before_pattern)
            position = index if index >= 0 else len(lines)
        elif after and after != "EOF":
            index = _find(lines, after)
            position = index + 1 if index >= 0 else len(lines)
        else:
            position = len(lines)
        new_block = list(block_lines)
        if new_block and params["prepend_newline"] and position > 0 and lines[position - 1].strip():
            new_block.insert(0, "")
        if new_block and params["append_newline"] and position < len(lines) and lines[position].strip():
            new_block.append("")
        lines = lines[:position] + new_block + lines[position:]

    text = "\n".join(lines)
    if lines:
        text += "\n"
    after_bytes = text.encode("utf-8", "surrogateescape")
    if before == after_bytes:
        msg = ""
    elif created:
        msg = "File created"
    elif not block_lines:
        msg = "Block removed"
    else:
        msg = "Block inserted"
    finish_edit(module, path, before, after_bytes, msg, validate=params["validate"],
                make_backup=params["backup"])


if __name__ == "__main__":
    main()
