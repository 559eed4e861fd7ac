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
  encoding:
    description:
      - The character set of the file (a Python codec name); the file is read and written in it, with its own
        line ends kept. A file that is not valid in it fails the task.
    type: str
    default: utf-8
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


def _insert_position(lines: list[str], original: str, after: str | None, before: str | None) -> int:
    """Where a block without markers in the file goes: after the last line matching
    ``after`` (or at the end, ``EOF``, no match), before the last line matching ``before``
    (the start for ``BOF``; the end when nothing matches).  A pattern with the
    multi-line flag (``(?m)``) is searched in the whole text."""
    if before is None and after is None:
        after = "EOF"
    if after not in (None, "EOF"):
        pattern = re.compile(after)
    elif before not in (None, "BOF"):
        pattern = re.compile(before)
    else:
        return 0 if before is not None else len(lines)
    position = None
    if pattern.flags & re.MULTILINE:
        match = pattern.search(original)
        if match:
            position = original.count("\n", 0, match.end() if after else match.start())
    else:
        for index, line in enumerate(lines):
            if pattern.search(line):
                position = index
    if position is None:
        return len(lines)
    return position + 1 if after is not None else position


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
            "encoding": {"type": "str", "default": "utf-8"},
        },
        mutually_exclusive=[["insertbefore", "insertafter"]],
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    path = params["path"]
    encoding = params["encoding"]
    present = params["state"] == "present"
    if os.path.isdir(path):
        module.fail_json(rc=256, msg=f"Path {path} is a directory !")
    created = False
    if not os.path.exists(path):
        if not params["create"]:
            module.fail_json(rc=257, msg=f"Path {path} does not exist !")
        if not present:
            module.exit_json(changed=False, msg=f"File {path} not present")
        created = True
        original = ""
    else:
        with open(path, encoding=encoding, newline="") as handle:   # the file's own line ends are kept
            original = handle.read()
    lines = original.splitlines(keepends=True)

    begin = params["marker"].replace("{mark}", params["marker_begin"]) + "\n"
    end = params["marker"].replace("{mark}", params["marker_end"]) + "\n"
    block = params["block"]
    block_lines: list[str] = []
    if present and block:
        block_lines = [begin, *(block if block.endswith("\n") else block + "\n").splitlines(keepends=True), end]

    begin_at = end_at = None
    for index, line in enumerate(lines):     # the last marker lines count
        if line == begin:
            begin_at = index
        if line == end:
            end_at = index
    if begin_at is None or end_at is None:
        position = _insert_position(lines, original, params["insertafter"], params["insertbefore"])
    else:
        position = min(begin_at, end_at)
        del lines[position:max(begin_at, end_at) + 1]
    if position > 0 and not lines[position - 1].endswith("\n"):
        lines[position - 1] += "\n"
    if present and params["prepend_newline"] and position != 0 and lines[position - 1] != "\n":
        lines.insert(position, "\n")
        position += 1
    lines[position:position] = block_lines
    following = position + len(block_lines)
    if present and params["append_newline"] and following < len(lines) and lines[following] != "\n":
        lines.insert(following, "\n")

    text = "".join(lines)
    if text == original and not created:
        msg = ""
    elif created:
        msg = "File created"
    elif not block_lines:
        msg = "Block removed"
    else:
        msg = "Block inserted"
    before = original.encode(encoding)
    after = text.encode(encoding) if text != original else before
    finish_edit(module, path, before, after, msg, validate=params["validate"],
                make_backup=params["backup"])


if __name__ == "__main__":
    main()
