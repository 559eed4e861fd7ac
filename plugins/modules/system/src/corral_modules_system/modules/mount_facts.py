#!/usr/bin/python3
"""mount_facts: the host's mounts, from fstab-like files, the kernel's mount table or ``mount``."""
from __future__ import annotations

DOCUMENTATION = r"""
module: mount_facts
short_description: Retrieve mount information
description:
  - Sets the facts C(mount_points) (each mount point, from the first source that lists it) and
    C(aggregate_mounts) (every entry of every source, with O(include_aggregate_mounts)).
  - Each mount has C(device), C(mount), C(fstype), C(options), C(uuid), C(dump) and C(passno) (for file sources),
    C(ansible_context) (the source and its line) and, when the mount point exists, its usage (C(block_*),
    C(inode_*), C(size_*), from C(statvfs)).
  - corral reads the Linux formats (fstab, C(/proc/mounts), C(mount) output); Solaris' C(/etc/vfstab) and AIX's
    C(/etc/filesystems) are not read.
options:
  devices:
    description: Shell patterns; only the mounts whose device matches one are kept.
    type: list
    elements: str
  fstypes:
    description: Shell patterns; only the mounts whose file system type matches one are kept.
    type: list
    elements: str
  sources:
    description:
      - The sources, in order; a missing or empty file is skipped, and a file seen before (a symbolic link to it
        too).
      - V(all) is V(static) and V(dynamic); V(static) is C(/etc/fstab), C(/etc/vfstab) and C(/etc/filesystems);
        V(dynamic) is C(/etc/mtab), C(/proc/mounts) and C(/etc/mnttab), and O(mount_binary) when none of them
        exists. V(mount) is the output of O(mount_binary). Without this option, V(all).
    type: list
    elements: str
  mount_binary:
    description: The C(mount) program (a name looked up in C(PATH), or a path), or null for none.
    type: raw
    default: mount
  timeout:
    description: Seconds to wait for the usage of one mount (a hung network file system), unset to wait forever.
    type: float
  on_timeout:
    description: What a mount whose usage took longer than O(timeout) does.
    type: str
    choices: [error, warn, ignore]
    default: error
  include_aggregate_mounts:
    description:
      - Return every entry in C(aggregate_mounts). Unset, the list is empty and a warning names the sources that
        list a mount point more than once; V(false) silences the warning.
    type: bool
"""

EXAMPLES = r"""
- mount_facts:
    fstypes: [ext4, xfs]
- debug:
    var: ansible_facts.mount_points['/'].size_available
"""

RETURN = r"""
ansible_facts:
  description: C(mount_points) and C(aggregate_mounts).
  returned: always
  type: dict
"""

import fnmatch
import os
import re
import threading
from typing import Any

from corral.module_utils.basic import AnsibleModule

_STATIC = ["/etc/fstab", "/etc/vfstab", "/etc/filesystems"]
_DYNAMIC = ["/etc/mtab", "/proc/mounts", "/etc/mnttab"]
#: formats corral does not read
_UNREAD = ("/etc/vfstab", "/etc/filesystems", "/etc/mnttab")
_MOUNT_LINE = re.compile(r"^(?P<device>\S+) on (?P<mount>.+?) type (?P<fstype>\S+) \((?P<options>[^)]*)\)\s*$")


def _unescape(text: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), text)


def _file_entries(path: str) -> list[dict]:
    entries = []
    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split()
            if len(fields) < 4:
                continue
            entry: dict[str, Any] = {"device": _unescape(fields[0]), "mount": _unescape(fields[1]), "fstype": fields[2],
                                     "options": fields[3],
                                     "ansible_context": {"source": path, "source_data": line}}
            for index, name in ((4, "dump"), (5, "passno")):     # present only when the line has them
                if len(fields) > index and fields[index].isdigit():
                    entry[name] = int(fields[index])
            entries.append(entry)
    return entries


def _mount_entries(module: AnsibleModule, binary: str) -> list[dict]:
    path = binary if os.path.isabs(binary) else module.get_bin_path(binary)
    if path is None:
        return []
    rc, out, _err = module.run_command([path])
    entries = []
    for line in out.splitlines():
        match = _MOUNT_LINE.match(line)
        if match:
            entries.append(dict(match.groupdict(), ansible_context={"source": "mount", "source_data": line}))
    return entries


def _uuids() -> dict[str, str]:
    found = {}
    directory = "/dev/disk/by-uuid"
    if os.path.isdir(directory):
        for name in os.listdir(directory):
            found[os.path.realpath(os.path.join(directory, name))] = name
    return found


def _usage(path: str) -> dict:
    stats = os.statvfs(path)
    return {"block_size": stats.f_frsize, "block_total": stats.f_blocks, "block_available": stats.f_bavail,
            "block_used": stats.f_blocks - stats.f_bfree, "inode_total": stats.f_files,
            "inode_available": stats.f_favail, "inode_used": stats.f_files - stats.f_ffree,
            "size_total": stats.f_blocks * stats.f_frsize, "size_available": stats.f_bavail * stats.f_frsize}


def _usage_within(module: AnsibleModule, path: str) -> dict:
    """The usage of the mount at ``path``, within O(timeout) (``{}`` when it is not a directory here)."""
    if not os.path.isdir(path):
        return {}
    timeout = module.params["timeout"]
    found: dict = {}

    def read() -> None:
        try:
            found.update(_usage(path))
        except OSError:
            pass

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        message = f"Timed out getting mount information for {path} (timeout={timeout})"
        if module.params["on_timeout"] == "error":
            module.fail_json(msg=message)
        if module.params["on_timeout"] == "warn":
            module.warn(message)
        return {}
    return found


def _has_content(path: str) -> bool:
    """Whether the file holds anything (read, not sized: the kernel's tables have size 0)."""
    try:
        with open(path, "rb") as handle:
            return bool(handle.read(1))
    except OSError:
        return False


def _sources(module: AnsibleModule) -> list[str]:
    """The source list with the aliases expanded, repeats (and symlinks to a file seen) left out."""
    requested = module.params["sources"] or ["all"]
    if len(requested) != len(set(requested)):
        module.warn(f"mount_facts option 'sources' contains duplicate entries, repeat sources will be ignored: "
                    f"{requested}")
    expanded: list[str] = []
    for source in requested:
        if source == "all":
            expanded += _STATIC + _DYNAMIC + ["dynamic-fallback"]
        elif source == "static":
            expanded += _STATIC
        elif source == "dynamic":
            expanded += _DYNAMIC + ["dynamic-fallback"]
        else:
            expanded.append(source)
    seen: set[str] = set()
    chosen = []
    dynamic_found = False
    for source in expanded:
        if source in ("mount", "dynamic-fallback"):
            if source == "dynamic-fallback" and dynamic_found:
                continue
            if "mount" not in seen and module.params["mount_binary"] is not None:
                seen.add("mount")
                chosen.append("mount")
            continue
        real = os.path.realpath(source)
        if real in seen or source in _UNREAD or not os.path.isfile(source) or not _has_content(source):
            continue
        seen.add(real)
        chosen.append(source)
        dynamic_found = dynamic_found or source in _DYNAMIC
    return chosen


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "devices": {"type": "list", "elements": "str"},
            "fstypes": {"type": "list", "elements": "str"},
            "sources": {"type": "list", "elements": "str"},
            "mount_binary": {"type": "raw", "default": "mount"},
            "timeout": {"type": "float"},
            "on_timeout": {"type": "str", "choices": ["error", "warn", "ignore"], "default": "error"},
            "include_aggregate_mounts": {"type": "bool"},
        },
        supports_check_mode=True,
    )
    params = module.params
    binary = params["mount_binary"]
    if binary is not None and not isinstance(binary, str):
        module.fail_json(msg=f"argument 'mount_binary' must be a string or null, not {binary}")
    uuids = _uuids()
    mount_points: dict[str, dict] = {}
    aggregate: list[dict] = []
    repeats: dict[str, list[str]] = {}
    for source in _sources(module):
        entries = _mount_entries(module, str(binary)) if source == "mount" else _file_entries(source)
        mounts = [entry["mount"] for entry in entries]
        for entry in entries:
            if params["devices"] and not any(fnmatch.fnmatch(entry["device"], p) for p in params["devices"]):
                continue
            if params["fstypes"] and not any(fnmatch.fnmatch(entry["fstype"], p) for p in params["fstypes"]):
                continue
            device = entry["device"]
            entry["uuid"] = device[len("UUID="):] if device.startswith("UUID=") else uuids.get(
                os.path.realpath(device)) if device.startswith("/") else None
            entry.update(_usage_within(module, entry["mount"]))
            if entry["mount"] in mount_points:
                repeats.setdefault(source, mounts)
            else:
                mount_points[entry["mount"]] = entry
            aggregate.append(entry)
    if params["include_aggregate_mounts"] is None and repeats:
        listed = ", ".join(f"{source} ({mounts})" for source, mounts in repeats.items())
        module.warn(f"mount_facts: ignoring repeat mounts in the following sources: {listed}. You can disable this "
                    "warning by configuring the 'include_aggregate_mounts' option as True or False.")
    module.exit_json(ansible_facts={"mount_points": mount_points,
                                    "aggregate_mounts": aggregate if params["include_aggregate_mounts"] else []})


if __name__ == "__main__":
    main()
