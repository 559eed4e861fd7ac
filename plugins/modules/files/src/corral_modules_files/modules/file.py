#!/usr/bin/python3
"""file: the state and attributes of a path (file, directory, link, hard link, touch, absent)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: file
short_description: Manage files, directories, links and their attributes
description:
  - Sets the attributes of a file, directory or link, creates directories and links, touches files, and
    removes paths.
options:
  path:
    description: The path to manage.
    type: path
    required: true
    aliases: [dest, name]
  state:
    description:
      - C(file) only sets attributes of an existing file; C(directory) creates the directory and its parents;
        C(link) and C(hard) create a symbolic or hard link to O(src); C(touch) creates an empty file or updates
        its times; C(absent) removes the path (recursively for a directory).
      - Default is the current state of the path, or C(file).
    type: str
    choices: [absent, directory, file, hard, link, touch]
  src:
    description: The target of the link (C(link), C(hard)). A relative path is relative to the link's directory.
    type: path
  recurse:
    description: Set the attributes of everything under the directory too (C(state=directory)).
    type: bool
    default: false
  force:
    description: Replace an existing file or directory by a link.
    type: bool
    default: false
  follow:
    description: Whether attributes apply to the target of a link rather than the link.
    type: bool
    default: true
  modification_time:
    description: C(now), C(preserve) or a time in O(modification_time_format).
    type: str
  modification_time_format:
    type: str
    default: "%Y%m%d%H%M.%S"
  access_time:
    description: C(now), C(preserve) or a time in O(access_time_format).
    type: str
  access_time_format:
    type: str
    default: "%Y%m%d%H%M.%S"
extends_documentation_fragment: [files]
"""

EXAMPLES = r"""
- name: A directory with its parents
  file:
    path: /srv/app/releases
    state: directory
    mode: "0755"

- name: A link
  file:
    src: /srv/app/releases/1.2
    dest: /srv/app/current
    state: link

- name: Remove a file
  file:
    path: /tmp/scratch
    state: absent
"""

RETURN = r"""
path:
  description: The path (for C(file), C(directory), C(absent)).
  returned: success
  type: str
dest:
  description: The path (for C(link), C(hard), C(touch)).
  returned: success
  type: str
state:
  description: The state of the path afterwards.
  returned: success
  type: str
mode:
  description: Its permissions, in octal.
  returned: success
  type: str
owner:
  description: Its owner's name.
  returned: success
  type: str
"""

import os
import shutil
import time

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.files import path_info, path_state


def _timestamps(module: AnsibleModule, path: str) -> tuple[float, float] | None:
    """The (atime, mtime) to give ``path``, or None to leave both alone.

    Unset times are ``now`` for ``state=touch`` and ``preserve`` otherwise."""
    params = module.params
    now = time.time()
    st = os.stat(path)
    current = {"access_time": st.st_atime, "modification_time": st.st_mtime}
    wanted: dict[str, float | None] = {}
    for key in ("access_time", "modification_time"):
        value = params[key] or ("now" if params["state"] == "touch" else "preserve")
        if value == "preserve":
            wanted[key] = None
        elif value == "now":
            wanted[key] = now
        else:
            try:
                wanted[key] = time.mktime(time.strptime(value, params[f"{key}_format"]))
            except ValueError as exc:
                module.fail_json(msg=f"Error while obtaining timestamp for time {value} using format "
                                     f"{params[f'{key}_format']}: {exc}")
    if wanted["access_time"] is None and wanted["modification_time"] is None:
        return None
    return (wanted["access_time"] if wanted["access_time"] is not None else current["access_time"],
            wanted["modification_time"] if wanted["modification_time"] is not None
            else current["modification_time"])


def _apply_attributes(module: AnsibleModule, path: str, changed: bool, diff: dict) -> bool:
    file_args = module.load_file_common_arguments(module.params, path=path)
    return module.set_fs_attributes_if_different(file_args, changed, diff, expand=False)


def _exit(module: AnsibleModule, diff: dict, **result) -> None:
    """Exit with ``result``, and the diff when the task runs with ``--diff`` (as
    Ansible's: ``state`` only when it changes)."""
    if module.diff:
        if diff["before"].get("state") == diff["after"].get("state"):
            diff["before"].pop("state", None)
            diff["after"].pop("state", None)
        result["diff"] = diff
    module.exit_json(**result)


def _finish(module: AnsibleModule, path: str, state: str, changed: bool, diff: dict, key: str = "path",
            **extra) -> None:
    info = path_info(path) if os.path.lexists(path) else {"path": path, "state": "absent"}
    if key != "path":
        info[key] = info.pop("path")
    info.update(extra)
    _exit(module, diff, changed=changed, **info)


def ensure_absent(module: AnsibleModule, path: str, prev: str, diff: dict) -> None:
    if prev == "absent":
        module.exit_json(changed=False, path=path, state="absent")
    if not module.check_mode:
        try:
            if prev == "directory":
                shutil.rmtree(path)
            else:
                os.unlink(path)
        except OSError as exc:
            module.fail_json(path=path, msg=f"unlinking failed: {exc}")
    diff["after"]["state"] = "absent"
    _exit(module, diff, changed=True, path=path, state="absent")


def ensure_file(module: AnsibleModule, path: str, prev: str, diff: dict) -> None:
    follow = module.params["follow"]
    if prev == "link" and follow:
        path = os.path.realpath(path)
        prev = path_state(path)
    if prev not in ("file", "hard"):
        module.fail_json(path=path, state=prev, msg=f"file ({path}) is {prev}, cannot continue")
    changed = _apply_attributes(module, path, False, diff)
    changed = _set_times(module, path, changed, diff)
    _finish(module, path, "file", changed, diff)


def _set_times(module: AnsibleModule, path: str, changed: bool, diff: dict) -> bool:
    times = _timestamps(module, path)
    if times is None:
        return changed
    st = os.stat(path)
    differing = [(key, now, wanted) for key, now, wanted in (("atime", st.st_atime, times[0]),
                                                              ("mtime", st.st_mtime, times[1]))
                 if round(now, 3) != round(wanted, 3)]
    if not differing:
        return changed
    for key, now, wanted in differing:      # the diff names only the times that change
        diff["before"][key] = now
        diff["after"][key] = wanted
    if not module.check_mode:
        os.utime(path, times)
    return True


def ensure_directory(module: AnsibleModule, path: str, prev: str, diff: dict) -> None:
    params = module.params
    if prev == "link" and params["follow"]:
        target = os.path.realpath(path)
        if os.path.isdir(target):
            path, prev = target, "directory"
    changed = False
    if prev == "absent":
        changed = True
        if module.check_mode:
            _exit(module, diff, changed=True, path=path, state="directory")
        missing = []
        current = path
        while current and not os.path.exists(current):
            missing.append(current)
            current = os.path.dirname(current)
        for directory in reversed(missing):
            try:
                os.mkdir(directory)
            except FileExistsError:
                pass
            except OSError as exc:
                module.fail_json(path=path, msg=f"There was an issue creating {directory} as requested: {exc}")
            _apply_attributes(module, directory, True, {})
    elif prev != "directory":
        module.fail_json(path=path, msg=f"{path} already exists as a {prev}")
    changed = _apply_attributes(module, path, changed, diff)
    if params["recurse"]:
        for root, dirs, files in os.walk(path, followlinks=params["follow"]):
            for name in dirs + files:
                changed = _apply_attributes(module, os.path.join(root, name), changed, {})
    _finish(module, path, "directory", changed, diff)


def ensure_link(module: AnsibleModule, path: str, prev: str, diff: dict, hard: bool) -> None:
    params = module.params
    src = params["src"]
    kind = "hard link" if hard else "symlink"
    if src is None:
        if prev == "link" and not hard:
            src = os.readlink(path)
        else:
            module.fail_json(msg=f"src is required for creating new {'hardlinks' if hard else 'symlinks'}")
    resolved = src if os.path.isabs(src) else os.path.join(os.path.dirname(path), src)
    if hard and not os.path.exists(resolved):
        module.fail_json(path=path, src=src, msg=f"src does not exist: {src}")
    if not hard and not params["force"] and not os.path.exists(resolved):
        module.fail_json(path=path, src=src, msg=f"src file does not exist, use \"force=yes\" if you really want "
                                                 f"to create the link: {resolved}")
    changed = False
    if prev == "absent":
        changed = True
    elif prev == "link" and not hard:
        changed = os.readlink(path) != src
        if changed:     # the diff shows the link's target only when it changes
            diff["before"]["src"] = os.readlink(path)
            diff["after"]["src"] = src
    elif prev in ("hard", "file") and hard:
        changed = not os.path.samefile(path, resolved)
    elif prev == "directory" and not hard and not params["force"]:
        module.fail_json(path=path, src=src, msg=f"refusing to convert from directory to {kind} for {path}")
    elif not params["force"]:
        module.fail_json(path=path, src=src, msg=f"refusing to convert from {prev} to {kind} for {path}")
    else:
        changed = True
    if hard:
        diff["after"]["src"] = src
    if changed and not module.check_mode:
        tmp = os.path.join(os.path.dirname(path), f".{os.getpid()}.{time.time()}.{os.path.basename(path)}")
        try:
            if hard:
                os.link(resolved, tmp)
            else:
                os.symlink(src, tmp)
            if prev == "directory":
                shutil.rmtree(path)
            os.rename(tmp, path)
        except OSError as exc:
            if os.path.lexists(tmp):
                os.unlink(tmp)
            module.fail_json(path=path, msg=f"Error while linking: {exc}")
    if module.check_mode and not os.path.lexists(path):
        _exit(module, diff, changed=changed, dest=path, src=src, state="hard" if hard else "link")
    if not hard and params["follow"] and not os.path.exists(path):
        changed_attrs = changed
    elif hard or params["follow"]:
        changed_attrs = _apply_attributes(module, os.path.realpath(path) if not hard else path, changed, diff)
    else:
        changed_attrs = changed
    _finish(module, path, "link", changed_attrs, diff, key="dest", src=src)


def ensure_touch(module: AnsibleModule, path: str, prev: str, diff: dict) -> None:
    if module.check_mode:
        # as Ansible: a file that would be made shows no diff; an existing one shows
        # the attributes and times it would get
        if prev == "absent":
            module.exit_json(changed=True, dest=path)
        target = os.path.realpath(path) if module.params["follow"] else path
        _apply_attributes(module, target, True, diff)
        _set_times(module, target, True, diff)
        _exit(module, diff, changed=True, dest=path)
    if prev == "absent":
        try:
            open(path, "ab").close()
        except OSError as exc:
            module.fail_json(path=path, msg=f"Error, could not touch target: {exc}")
    elif prev not in ("file", "hard", "directory", "link"):
        module.fail_json(path=path, msg=f"Cannot touch other than files, directories, and hardlinks ({path} is {prev})")
    target = os.path.realpath(path) if module.params["follow"] else path
    # an existing path changes only when its attributes or times do (times "preserve")
    changed = _apply_attributes(module, target, prev == "absent", diff)
    changed = _set_times(module, target, changed, diff)
    _finish(module, path, "file", changed, diff, key="dest")


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "required": True, "aliases": ["dest", "name"]},
            "state": {"type": "str", "choices": ["absent", "directory", "file", "hard", "link", "touch"]},
            "src": {"type": "path"},
            "recurse": {"type": "bool", "default": False},
            "force": {"type": "bool", "default": False},
            "follow": {"type": "bool", "default": True},
            "modification_time": {"type": "str"},
            "modification_time_format": {"type": "str", "default": "%Y%m%d%H%M.%S"},
            "access_time": {"type": "str"},
            "access_time_format": {"type": "str", "default": "%Y%m%d%H%M.%S"},
            "_original_basename": {"type": "str"},
            "_diff_peek": {"type": "bool"},
        },
        add_file_common_args=True,
        supports_check_mode=True,
    )
    params = module.params
    path = params["path"]
    if params["_diff_peek"] is not None:
        appears_binary = False
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                appears_binary = b"\x00" in handle.read(8192)
        module.exit_json(path=path, changed=False, appears_binary=appears_binary)
    prev = path_state(path)
    state = params["state"]
    if state is None:
        if prev == "absent":
            state = "directory" if params["recurse"] else "file"
        elif prev == "hard":
            state = "hard" if params["src"] else "file"
        else:
            state = prev if prev != "link" or params["src"] else "file"
    if params["recurse"] and state != "directory":
        module.fail_json(path=path, msg="recurse option requires state to be 'directory'")
    if params["src"] and state not in ("link", "hard"):
        module.fail_json(path=path, msg="src option requires state to be 'link' or 'hard'")
    if state in ("file", "directory") and prev != "absent" and os.path.isdir(path) and \
            params["_original_basename"] and state == "file":
        path = os.path.join(path, params["_original_basename"])
        prev = path_state(path)
    diff = {"before": {"path": path, "state": prev}, "after": {"path": path, "state": state}}
    if state == "absent":
        ensure_absent(module, path, prev, diff)
    elif state == "file":
        ensure_file(module, path, prev, diff)
    elif state == "directory":
        ensure_directory(module, path, prev, diff)
    elif state in ("link", "hard"):
        ensure_link(module, path, prev, diff, hard=state == "hard")
    else:
        ensure_touch(module, path, prev, diff)


if __name__ == "__main__":
    main()
