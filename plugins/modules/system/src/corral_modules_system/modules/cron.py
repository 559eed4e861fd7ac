#!/usr/bin/python3
"""cron: named entries in a user's crontab or in a /etc/cron.d file."""
from __future__ import annotations

DOCUMENTATION = r"""
module: cron
short_description: Manage cron entries
description:
  - "Keeps a named job (marked with a C(#Ansible: NAME) comment line, as Ansible does) or an environment variable
    in a user's crontab (through the C(crontab) program) or in a file of C(/etc/cron.d) (O(cron_file))."
options:
  name:
    description: The entry's name (its marker comment).
    type: str
    required: true
  job:
    description: The command to run.
    type: str
    aliases: [value]
  state:
    type: str
    choices: [absent, present]
    default: present
  user:
    description: Whose crontab (default the connection's user); the user field of a O(cron_file) line.
    type: str
  cron_file:
    description: A file in C(/etc/cron.d) (a name, or an absolute path) instead of the user's crontab.
    type: path
  minute:
    type: str
    default: "*"
  hour:
    type: str
    default: "*"
  day:
    type: str
    default: "*"
    aliases: [dom]
  month:
    type: str
    default: "*"
  weekday:
    type: str
    default: "*"
    aliases: [dow]
  special_time:
    type: str
    choices: [annually, daily, hourly, monthly, reboot, weekly, yearly]
  disabled:
    description: Keep the job commented out.
    type: bool
    default: false
  env:
    description:
      - The entry is an environment variable, written C(NAME="JOB"); a new one goes at the top unless
        O(insertafter) or O(insertbefore) places it.
    type: bool
    default: false
  insertafter:
    description:
      - With O(state=present) and O(env), a new variable goes after the declaration of this variable
        (which must exist).
    type: str
  insertbefore:
    description:
      - With O(state=present) and O(env), a new variable goes before the declaration of this variable
        (which must exist).
    type: str
  backup:
    type: bool
    default: false
"""

EXAMPLES = r"""
- cron:
    name: nightly backup
    minute: "0"
    hour: "2"
    job: /usr/local/bin/backup
"""

RETURN = r"""
jobs:
  description: The names of the jobs after the change.
  returned: success
  type: list
"""

import os
import pwd
import re

from corral.module_utils.basic import AnsibleModule

_MARK = "#Ansible: "


def _read(module: AnsibleModule, path: str | None, user: str | None) -> str:
    if path:
        if not os.path.exists(path):
            return ""
        with open(path) as handle:
            return handle.read()
    crontab = module.get_bin_path("crontab")
    if crontab is None:
        module.fail_json(msg="Failed to find required executable \"crontab\"; install cron or use cron_file")
    command = [crontab] + (["-u", user] if user else []) + ["-l"]
    rc, out, err = module.run_command(command)
    if rc != 0 and "no crontab" not in err.lower():
        module.fail_json(msg=f"Unable to read crontab: {err.strip()}")
    return out if rc == 0 else ""


def _write(module: AnsibleModule, path: str | None, user: str | None, text: str) -> None:
    if path:
        tmp = os.path.join(module.tmpdir, "cron")
        with open(tmp, "w") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        module.atomic_move(tmp, path)
        return
    crontab = module.get_bin_path("crontab", True)
    command = [crontab] + (["-u", user] if user else []) + ["-"]
    rc, _out, err = module.run_command(command, data=text, binary_data=True)
    if rc != 0:
        module.fail_json(msg=f"Unable to write crontab: {err.strip()}")


def _set_env(module: AnsibleModule, lines: list[str], name: str, value: str | None) -> list[str]:
    """``lines`` with the variable ``name`` declared as ``name="value"`` (removed when ``value`` is None).

    An existing declaration is replaced where it is; a new one goes first, or after/before the declaration
    named by O(insertafter)/O(insertbefore), failing when there is none."""
    if " " in name:
        module.fail_json(msg="Invalid name for environment variable")
    declares = re.compile(rf"^{re.escape(name)}=")
    index = next((i for i, line in enumerate(lines) if declares.match(line)), None)
    if value is None:
        return [line for line in lines if not declares.match(line)]
    decl = f'{name}="{value}"'
    if index is not None:
        return [decl if declares.match(line) else line for line in lines] if lines[index] != decl else lines
    other = module.params["insertafter"] or module.params["insertbefore"]
    if not other:
        return [decl, *lines]
    found = next((i for i, line in enumerate(lines) if re.match(rf"^{re.escape(other)}=", line)), None)
    if found is None:
        module.fail_json(msg=f"Variable named '{other}' not found.")
    at = found + 1 if module.params["insertafter"] else found
    return [*lines[:at], decl, *lines[at:]]


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "user": {"type": "str"},
            "job": {"type": "str", "aliases": ["value"]},
            "cron_file": {"type": "path"},
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
            "backup": {"type": "bool", "default": False},
            "minute": {"type": "str", "default": "*"},
            "hour": {"type": "str", "default": "*"},
            "day": {"type": "str", "default": "*", "aliases": ["dom"]},
            "month": {"type": "str", "default": "*"},
            "weekday": {"type": "str", "default": "*", "aliases": ["dow"]},
            "special_time": {"type": "str", "choices": ["annually", "daily", "hourly", "monthly", "reboot",
                                                        "weekly", "yearly"]},
            "disabled": {"type": "bool", "default": False},
            "env": {"type": "bool", "default": False},
            "insertafter": {"type": "str"},
            "insertbefore": {"type": "str"},
        },
        supports_check_mode=True,
        mutually_exclusive=[["insertafter", "insertbefore"]],
    )
    params = module.params
    name, state = params["name"], params["state"]
    path = params["cron_file"]
    if path == "/etc/crontab":
        module.fail_json(msg="Will not manage /etc/crontab via cron_file, see documentation.")
    if path and not re.search(r"^[A-Z0-9_-]+$", os.path.basename(path), re.I):
        module.warn(f'Filename portion of cron_file ("{os.path.basename(path)}") should consist solely of upper- '
                    "and lower-case letters, digits, underscores, and hyphens")
    if path and not os.path.isabs(path):
        path = os.path.join("/etc/cron.d", path)
    user = params["user"]
    if path and not user and state == "present":
        module.fail_json(msg="To use cron_file=... parameter you must specify user=... as well")
    if path and not user:
        user = pwd.getpwuid(os.getuid()).pw_name
    if state == "present" and params["job"] is None:
        module.fail_json(msg="You must specify 'job' to install a new cron job or variable")
    if state == "present" and (params["insertafter"] or params["insertbefore"]) and not params["env"]:
        module.fail_json(msg="Insertafter and insertbefore parameters are valid only with env=yes")

    before = _read(module, path, None if path else user)
    lines = before.splitlines()
    if params["env"]:
        new_lines = _set_env(module, lines, name, params["job"] if state == "present" else None)
    else:
        if params["special_time"]:
            timing = f"@{params['special_time']}"
        else:
            timing = " ".join(params[key] for key in ("minute", "hour", "day", "month", "weekday"))
        job_line = f"{timing} {user + ' ' if path else ''}{params['job']}"
        if params["disabled"]:
            job_line = "#" + job_line
        new_lines, found, skip = [], False, False
        for line in lines:
            if skip:
                skip = False
                continue
            if line == _MARK + name:
                found = True
                skip = True
                if state == "present":
                    new_lines += [line, job_line]
                continue
            new_lines.append(line)
        if state == "present" and not found:
            new_lines += [_MARK + name, job_line]
    after = "\n".join(new_lines) + ("\n" if new_lines else "")
    changed = after != before
    result = {"changed": changed, "jobs": [line[len(_MARK):] for line in new_lines if line.startswith(_MARK)],
              "envs": [line.split("=")[0] for line in new_lines if re.match(r"^\S+=", line)]}
    if module.diff:
        result["diff"] = {"before": before, "after": after, "before_header": path or f"crontab of {user or 'current user'}",
                          "after_header": path or f"crontab of {user or 'current user'}"}
    if changed and not module.check_mode:
        if params["backup"] and path and os.path.exists(path):
            result["backup_file"] = module.backup_local(path)
        if path and not new_lines and state == "absent":
            os.unlink(path)
        else:
            _write(module, path, None if path else user, after)
    if path:
        result["cron_file"] = path
    module.exit_json(**result)


if __name__ == "__main__":
    main()
