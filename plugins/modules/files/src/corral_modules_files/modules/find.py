#!/usr/bin/python3
"""find: list files on the target that match criteria."""
from __future__ import annotations

DOCUMENTATION = r"""
module: find
short_description: Find files by name, age, size, content and type
description:
  - Returns the files under one or more directories that match every given criterion.
options:
  paths:
    description: The directories to search.
    type: list
    elements: str
    required: true
    aliases: [name, path]
  patterns:
    description: Shell globs (or Python regular expressions with O(use_regex)) matched against the base name.
    type: list
    elements: str
    default: []
    aliases: [pattern]
  excludes:
    description: Patterns of base names to leave out.
    type: list
    elements: str
    aliases: [exclude]
  contains:
    description: A regular expression that a line of the file must match.
    type: str
  file_type:
    type: str
    choices: [any, directory, file, link]
    default: file
  age:
    description: Select files older than this (C(2d), C(3h), C(-1w) for younger than).
    type: str
  age_stamp:
    type: str
    choices: [atime, ctime, mtime]
    default: mtime
  size:
    description: Select files at least this big (C(10k), C(-1m) for at most).
    type: str
  recurse:
    type: bool
    default: false
  hidden:
    description: Include files whose name starts with a dot.
    type: bool
    default: false
  follow:
    type: bool
    default: false
  depth:
    description: How many levels to descend when recursing.
    type: int
  use_regex:
    type: bool
    default: false
  get_checksum:
    type: bool
    default: false
  limit:
    description: Return at most this many files.
    type: int
"""

EXAMPLES = r"""
- find:
    paths: /var/log
    patterns: "*.log"
    age: 2d
    recurse: true
  register: old_logs
"""

RETURN = r"""
files:
  description: The matching files, each with C(path) and the facts of RV(ansible.builtin.stat#stat).
  returned: success
  type: list
matched:
  description: How many files matched.
  returned: success
  type: int
examined:
  description: How many files were looked at.
  returned: success
  type: int
"""

import fnmatch
import grp
import os
import pwd
import re
import stat
import time

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.file_attrs import format_mode

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SIZES = {"b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4}


def _name_matches(name: str, patterns: list[str], use_regex: bool) -> bool:
    if use_regex:
        return any(re.match(pattern + r"\Z", name) for pattern in patterns)
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def _info(path: str, st: os.stat_result) -> dict:
    mode = st.st_mode
    info = {
        "path": path, "mode": format_mode(mode), "isdir": stat.S_ISDIR(mode), "isreg": stat.S_ISREG(mode),
        "islnk": stat.S_ISLNK(mode), "ischr": stat.S_ISCHR(mode), "isblk": stat.S_ISBLK(mode),
        "isfifo": stat.S_ISFIFO(mode), "issock": stat.S_ISSOCK(mode), "uid": st.st_uid, "gid": st.st_gid,
        "size": st.st_size, "inode": st.st_ino, "dev": st.st_dev, "nlink": st.st_nlink,
        "atime": st.st_atime, "mtime": st.st_mtime, "ctime": st.st_ctime,
        "wusr": bool(mode & stat.S_IWUSR), "rusr": bool(mode & stat.S_IRUSR), "xusr": bool(mode & stat.S_IXUSR),
        "wgrp": bool(mode & stat.S_IWGRP), "rgrp": bool(mode & stat.S_IRGRP), "xgrp": bool(mode & stat.S_IXGRP),
        "woth": bool(mode & stat.S_IWOTH), "roth": bool(mode & stat.S_IROTH), "xoth": bool(mode & stat.S_IXOTH),
        "isuid": bool(mode & stat.S_ISUID), "isgid": bool(mode & stat.S_ISGID),
    }
    try:
        info["pw_name"] = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        pass
    try:
        info["gr_name"] = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        pass
    return info


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "paths": {"type": "list", "required": True, "aliases": ["name", "path"], "elements": "str"},
            "patterns": {"type": "list", "default": [], "aliases": ["pattern"], "elements": "str"},
            "excludes": {"type": "list", "aliases": ["exclude"], "elements": "str"},
            "contains": {"type": "str"},
            "read_whole_file": {"type": "bool", "default": False},
            "file_type": {"type": "str", "default": "file", "choices": ["any", "directory", "file", "link"]},
            "age": {"type": "str"},
            "age_stamp": {"type": "str", "default": "mtime", "choices": ["atime", "ctime", "mtime"]},
            "size": {"type": "str"},
            "recurse": {"type": "bool", "default": False},
            "hidden": {"type": "bool", "default": False},
            "follow": {"type": "bool", "default": False},
            "get_checksum": {"type": "bool", "default": False},
            "checksum_algorithm": {"type": "str", "default": "sha1"},
            "use_regex": {"type": "bool", "default": False},
            "depth": {"type": "int"},
            "encoding": {"type": "str"},
            "limit": {"type": "int"},
            "mode": {"type": "raw"},
            "exact_mode": {"type": "bool", "default": True},
        },
        supports_check_mode=True,
    )
    params = module.params
    patterns = params["patterns"] or (["*"] if not params["use_regex"] else [".*"])
    age = None
    if params["age"]:
        match = re.match(r"^(-?\d+)(s|m|h|d|w)?$", params["age"].lower())
        if not match:
            module.fail_json(age=params["age"], msg="failed to process age")
        age = int(match.group(1)) * _UNITS[match.group(2) or "s"]
    size = None
    if params["size"]:
        match = re.match(r"^(-?\d+)(b|k|m|g|t)?$", params["size"].lower())
        if not match:
            module.fail_json(size=params["size"], msg="failed to process size")
        size = int(match.group(1)) * _SIZES[match.group(2) or "b"]
    contains = re.compile(params["contains"]) if params["contains"] else None
    now = time.time()
    files: list[dict] = []
    examined = 0
    skipped: dict[str, str] = {}

    for top in params["paths"]:
        top = os.path.expanduser(os.path.expandvars(top))
        if not os.path.isdir(top):
            skipped[top] = f"{top} was skipped as it does not seem to be a valid directory or it cannot be accessed"
            continue
        for root, dirs, names in os.walk(top, followlinks=params["follow"]):
            depth = root[len(top):].count(os.sep) + 1 if root != top else 1
            entries = sorted(names + dirs)
            if not params["recurse"] or (params["depth"] and depth >= params["depth"]):
                dirs[:] = []
            for name in entries:
                path = os.path.join(root, name)
                if not params["hidden"] and name.startswith("."):
                    continue
                examined += 1
                try:
                    st = os.stat(path) if params["follow"] else os.lstat(path)
                except OSError:
                    continue
                kind = ("link" if stat.S_ISLNK(st.st_mode) else "directory" if stat.S_ISDIR(st.st_mode)
                        else "file" if stat.S_ISREG(st.st_mode) else "other")
                if params["file_type"] != "any" and kind != params["file_type"]:
                    continue
                if not _name_matches(name, patterns, params["use_regex"]):
                    continue
                if params["excludes"] and _name_matches(name, params["excludes"], params["use_regex"]):
                    continue
                if age is not None:
                    elapsed = now - getattr(st, f"st_{params['age_stamp']}")
                    if (age >= 0 and elapsed < age) or (age < 0 and elapsed > -age):
                        continue
                if size is not None and kind == "file":
                    if (size >= 0 and st.st_size < size) or (size < 0 and st.st_size > -size):
                        continue
                if params["mode"] is not None:
                    wanted = int(str(params["mode"]), 8) if isinstance(params["mode"], str) else params["mode"]
                    have = stat.S_IMODE(st.st_mode)
                    if (params["exact_mode"] and have != wanted) or (not params["exact_mode"] and have & wanted != wanted):
                        continue
                if contains is not None:
                    if kind != "file":
                        continue
                    try:
                        with open(path, encoding=params["encoding"] or "utf-8", errors="replace") as handle:
                            text = handle.read()
                    except OSError:
                        continue
                    if params["read_whole_file"]:
                        if not contains.search(text):
                            continue
                    elif not any(contains.match(line) for line in text.splitlines()):
                        continue
                info = _info(path, st)
                if params["get_checksum"] and kind == "file" and os.access(path, os.R_OK):
                    info["checksum"] = module.digest_from_file(path, params["checksum_algorithm"])
                files.append(info)
                if params["limit"] and len(files) >= params["limit"]:
                    break
            if params["limit"] and len(files) >= params["limit"]:
                break
    result = {"files": files, "matched": len(files), "examined": examined, "changed": False,
              "skipped_paths": skipped}
    if skipped:
        result["msg"] = "Not all paths examined, check warnings for details"
        for message in skipped.values():
            module.warn(message)
    else:
        result["msg"] = "All paths examined"
    module.exit_json(**result)


if __name__ == "__main__":
    main()
