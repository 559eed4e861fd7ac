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
    elements: path
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
    description:
      - A regular expression matched against the file's content, at the start of each line (C(re.match)), or
        with O(read_whole_file) anywhere in the whole content (C(re.search)). Only with O(file_type=file).
    type: str
  read_whole_file:
    description: Apply O(contains) to the whole content at once instead of line by line.
    type: bool
    default: false
  encoding:
    description:
      - The encoding O(contains) reads files with (the Python default when unset). A file that does not decode,
        or an unknown encoding, skips the searched path with a warning, as ansible-core does.
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
  checksum_algorithm:
    description: The algorithm of the O(get_checksum) checksum.
    type: str
    default: sha1
    choices: [md5, sha1, sha224, sha256, sha384, sha512]
    aliases: [checksum, checksum_algo]
  mode:
    description:
      - Select objects with this permission mode, octal (V("0644")) or symbolic (V(u=rw,g=r,o=r)).
    type: raw
  exact_mode:
    description: Match O(mode) exactly; when false, an object matches when it has any of the O(mode) bits.
    type: bool
    default: true
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
import locale
import os
import pwd
import re
import stat
import time

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.file_attrs import format_mode, parse_mode

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SIZES = {"b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4}


def _name_matches(name: str, patterns: list[str], use_regex: bool) -> bool:
    if use_regex:
        return any(re.match(pattern + r"\Z", name) for pattern in patterns)
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


class _PathSkipped(Exception):
    """A searched path given up part-way, with the reason ansible-core reports for it."""


def _mode_matches(st: os.stat_result, mode: object, exact: bool) -> bool:
    """Whether ``st`` has ``mode`` (octal or symbolic): all its bits when ``exact``, else any of them."""
    if not mode:
        return True
    wanted = stat.S_IMODE(parse_mode(mode, 0, False))
    have = stat.S_IMODE(st.st_mode)
    return have == wanted if exact else bool(have & wanted)


def _content_matches(path: str, regex: re.Pattern, encoding: str | None, whole: bool) -> bool:
    """Whether the file's text matches ``regex`` (each line's start, or anywhere in the whole text).

    Raises _PathSkipped when the file does not decode or the encoding is unknown; an unreadable file
    does not match."""
    try:
        with open(path, encoding=encoding) as handle:
            if whole:
                return bool(regex.search(handle.read()))
            return any(regex.match(line) for line in handle)
    except LookupError as exc:
        raise _PathSkipped(str(exc)) from exc
    except UnicodeDecodeError as exc:
        named = encoding or f"{locale.getpreferredencoding(False).lower()} (Python default)"
        raise _PathSkipped(f"Failed to decode the file {path!r} with encoding: {named}") from exc
    except OSError:
        return False


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


def _search(module: AnsibleModule, top: str, patterns: list[str], age: int | None, size: int | None,
            contains: re.Pattern | None, now: float, files: list[dict], tally: dict[str, int]) -> None:
    """Append to ``files`` what under ``top`` matches every criterion, counting the entries examined in
    ``tally["examined"]``.

    Raises _PathSkipped (or ModeError, a ValueError, for a bad O(mode)) to give up on ``top``: what it found
    before stays in ``files``, as with ansible-core."""
    params = module.params
    for root, dirs, names in os.walk(top, followlinks=params["follow"]):
        depth = root[len(top):].count(os.sep) + 1 if root != top else 1
        entries = sorted(names + dirs)
        if not params["recurse"] or (params["depth"] and depth >= params["depth"]):
            dirs[:] = []
        for name in entries:
            path = os.path.join(root, name)
            if not params["hidden"] and name.startswith("."):
                continue
            tally["examined"] += 1
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
            if (contains is not None and params["file_type"] == "file"
                    and not _content_matches(path, contains, params["encoding"], params["read_whole_file"])):
                continue
            if not _mode_matches(st, params["mode"], params["exact_mode"]):
                continue
            info = _info(path, st)
            if params["get_checksum"] and kind == "file" and os.access(path, os.R_OK):
                info["checksum"] = module.digest_from_file(path, params["checksum_algorithm"])
            files.append(info)
            if params["limit"] and len(files) >= params["limit"]:
                return


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "paths": {"type": "list", "required": True, "aliases": ["name", "path"], "elements": "path"},
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
            "checksum_algorithm": {"type": "str", "default": "sha1", "aliases": ["checksum", "checksum_algo"],
                                   "choices": ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]},
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
    if params["mode"] and not isinstance(params["mode"], str):
        module.fail_json(msg="argument 'mode' is not a string and conversion is not allowed, value is of type "
                             f"{type(params['mode']).__name__}")
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
    tally = {"examined": 0}
    skipped: dict[str, str] = {}

    for top in params["paths"]:
        top = os.path.expanduser(os.path.expandvars(top))
        if not os.path.isdir(top):
            skipped[top] = f"{top!r} is not a directory"
            continue
        try:
            _search(module, top, patterns, age, size, contains, now, files, tally)
        except (_PathSkipped, ValueError) as exc:
            skipped[top] = str(exc)
        if params["limit"] and len(files) >= params["limit"]:
            break
    result = {"files": files, "matched": len(files), "examined": tally["examined"], "changed": False,
              "skipped_paths": skipped}
    if skipped:
        result["msg"] = "Not all paths examined, check warnings for details"
        for top, message in skipped.items():
            module.warn(f"Skipped '{top}' path due to this access issue: {message}\n")
    else:
        result["msg"] = "All paths examined"
    module.exit_json(**result)


if __name__ == "__main__":
    main()
