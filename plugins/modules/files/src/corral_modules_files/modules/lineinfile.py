#!/usr/bin/python3
"""lineinfile: make sure one line is (or is not) in a text file."""
from __future__ import annotations

DOCUMENTATION = r"""
module: lineinfile
short_description: Manage one line in a text file
description:
  - Ensures a line is present (replacing the last line matching O(regexp) or O(search_string), or inserting it)
    or absent (removing every matching line).
options:
  path:
    description: The file to edit.
    type: path
    required: true
    aliases: [dest, destfile, name]
  regexp:
    description: A Python regular expression; for C(present) the last matching line is replaced, for C(absent)
      every matching line is removed.
    type: str
    aliases: [regex]
  search_string:
    description: Like O(regexp), but a literal string that the line contains.
    type: str
  state:
    type: str
    choices: [absent, present]
    default: present
  line:
    description: The line to put in the file (required for C(present)).
    type: str
    aliases: [value]
  backrefs:
    description: Expand O(regexp)'s groups (C(\1)) in O(line); if nothing matches the file is left unchanged.
    type: bool
    default: false
  insertafter:
    description: Insert after the last line matching this regular expression, or C(EOF).
    type: str
  insertbefore:
    description: Insert before the last line matching this regular expression, or C(BOF).
    type: str
  firstmatch:
    description: Use the first line matching O(insertafter)/O(insertbefore) instead of the last.
    type: bool
    default: false
  create:
    description: Create the file if it does not exist.
    type: bool
    default: false
  backup:
    description: Keep a timestamped copy of the file before changing it.
    type: bool
    default: false
  validate:
    description: A command, with C(%s) for the new file, that must succeed before the file is replaced.
    type: str
  encoding:
    description:
      - The character set of the file (a Python codec name). The file is read in it with universal newlines, so a
        file that is changed is written back with C(\\n) line ends; a file that is not valid in it fails the task.
    type: str
    default: utf-8
extends_documentation_fragment: [files]
"""

EXAMPLES = r"""
- lineinfile:
    path: /etc/selinux/config
    regexp: '^SELINUX='
    line: SELINUX=enforcing

- lineinfile:
    path: /etc/hosts
    line: 127.0.0.1 app.local
    create: true
"""

RETURN = r"""
msg:
  description: What happened (C(line added), C(line replaced), C(N line(s) removed)).
  returned: always
  type: str
backup:
  description: The backup file's name, or empty.
  returned: always
  type: str
found:
  description: For C(absent), how many lines were removed.
  returned: state=absent
  type: int
"""

import os
import re

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.files import finish_edit


def _matches(line: str, regexp, search: str | None) -> bool:
    text = line.rstrip("\r\n")
    if regexp is not None:
        return regexp.search(text) is not None
    return search is not None and search in text


def _last_index(lines: list[str], pattern: str, first: bool) -> int:
    compiled = re.compile(pattern)
    found = -1
    for index, line in enumerate(lines):
        if compiled.search(line.rstrip("\r\n")):
            found = index
            if first:
                break
    return found


def present(module: AnsibleModule, lines: list[str], line: str) -> tuple[list[str], str]:
    params = module.params
    regexp = re.compile(params["regexp"]) if params["regexp"] is not None else None
    search = params["search_string"]
    found = -1
    match = None
    if regexp is not None or search is not None:
        for index, current in enumerate(lines):
            if _matches(current, regexp, search):
                found = index
                if regexp is not None:
                    match = regexp.search(current.rstrip("\r\n"))
                if params["firstmatch"]:
                    break
    if found >= 0:
        new = match.expand(line) if params["backrefs"] and match else line
        if lines[found].rstrip("\r\n") == new:
            return lines, ""
        ending = lines[found][len(lines[found].rstrip("\r\n")):] or os.linesep
        lines = lines[:found] + [new + ending] + lines[found + 1:]
        return lines, "line replaced"
    if params["backrefs"]:
        return lines, ""
    if any(current.rstrip("\r\n") == line for current in lines):
        return lines, ""
    after, before = params["insertafter"], params["insertbefore"]
    if lines and not lines[-1].endswith("\n"):
        lines = lines[:-1] + [lines[-1] + os.linesep]
    entry = line + os.linesep
    if before == "BOF":
        position = 0
    elif before:
        index = _last_index(lines, before, params["firstmatch"])
        position = index if index >= 0 else len(lines)
    elif after and after != "EOF":
        index = _last_index(lines, after, params["firstmatch"])
        position = index + 1 if index >= 0 else len(lines)
    else:
        position = len(lines)
    return lines[:position] + [entry] + lines[position:], "line added"


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "required": True, "aliases": ["dest", "destfile", "name"]},
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
            "regexp": {"type": "str", "aliases": ["regex"]},
            "search_string": {"type": "str"},
            "line": {"type": "str", "aliases": ["value"]},
            "insertafter": {"type": "str"},
            "insertbefore": {"type": "str"},
            "backrefs": {"type": "bool", "default": False},
            "create": {"type": "bool", "default": False},
            "backup": {"type": "bool", "default": False},
            "firstmatch": {"type": "bool", "default": False},
            "validate": {"type": "str"},
            "encoding": {"type": "str", "default": "utf-8"},
        },
        mutually_exclusive=[["insertbefore", "insertafter"], ["regexp", "search_string"],
                            ["backrefs", "search_string"]],
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    path = params["path"]
    encoding = params["encoding"]
    if os.path.isdir(path):
        module.fail_json(rc=256, msg=f"Path {path} is a directory !")
    state = params["state"]
    if state == "present":
        if params["line"] is None:
            module.fail_json(msg="line is required with state=present")
        if params["backrefs"] and params["regexp"] is None:
            module.fail_json(msg="regexp is required with backrefs=true")
    elif params["regexp"] is None and params["search_string"] is None and params["line"] is None:
        module.fail_json(msg="one of line, search_string, or regexp is required with state=absent")

    if not os.path.exists(path):
        if state == "absent":
            module.exit_json(changed=False, found=0, msg="file not present", backup="",
                             diff={"before": "", "after": "", "before_header": f"{path} (content)",
                                   "after_header": f"{path} (content)"})
        if not params["create"]:
            module.fail_json(rc=257, msg=f"Destination {path} does not exist !")
        if not os.path.isdir(os.path.dirname(path) or ".") and not module.check_mode:
            os.makedirs(os.path.dirname(path))
        before = b""
        lines = []
    else:
        # read as text in universal-newline mode: a file written back gets "\n" line ends
        with open(path, encoding=encoding) as handle:
            lines = handle.readlines()
        before = "".join(lines).encode(encoding)

    if state == "present":
        lines, msg = present(module, lines, params["line"])
        after = "".join(lines).encode(encoding)
        finish_edit(module, path, before, after, msg, validate=params["validate"], make_backup=params["backup"],
                    backup="")
    regexp = re.compile(params["regexp"]) if params["regexp"] is not None else None
    kept = [line for line in lines
            if not (_matches(line, regexp, params["search_string"]) if (regexp or params["search_string"] is not None)
                    else line.rstrip("\r\n") == params["line"])]
    found = len(lines) - len(kept)
    after = "".join(kept).encode(encoding)
    finish_edit(module, path, before, after, f"{found} line(s) removed" if found else "",
                validate=params["validate"], make_backup=params["backup"], found=found, backup="")


if __name__ == "__main__":
    main()
