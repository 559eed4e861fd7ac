#!/usr/bin/python3
"""group: local groups."""
from __future__ import annotations

DOCUMENTATION = r"""
module: group
short_description: Add or remove local groups
description:
  - Creates, changes (gid) or removes a local group with C(groupadd), C(groupmod) and C(groupdel).
options:
  name:
    description: The group's name.
    type: str
    required: true
  gid:
    description: The group's numeric id.
    type: int
  state:
    type: str
    choices: [absent, present]
    default: present
  system:
    description: Create a system group.
    type: bool
    default: false
  non_unique:
    description: Allow a gid that another group has.
    type: bool
    default: false
"""

EXAMPLES = r"""
- group:
    name: deploy
    gid: 2000
"""

RETURN = r"""
name:
  description: The group's name.
  returned: always
  type: str
gid:
  description: The group's id.
  returned: when present
  type: int
state:
  description: The group's state.
  returned: always
  type: str
"""

import grp

from corral.module_utils.basic import AnsibleModule


def _lookup(name: str):
    try:
        return grp.getgrnam(name)
    except KeyError:
        return None


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "gid": {"type": "int"},
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
            "system": {"type": "bool", "default": False},
            "local": {"type": "bool", "default": False},
            "non_unique": {"type": "bool", "default": False},
            "force": {"type": "bool", "default": False},
            "gid_min": {"type": "int"},
            "gid_max": {"type": "int"},
        },
        supports_check_mode=True,
        required_if=[["non_unique", True, ["gid"]]],
    )
    params = module.params
    name = params["name"]
    current = _lookup(name)
    result = {"name": name, "state": params["state"], "changed": False}
    if params["state"] == "absent":
        if current is not None:
            result["changed"] = True
            if not module.check_mode:
                command = [module.get_bin_path("groupdel", True)]
                if params["force"]:
                    command.append("-f")
                module.run_command(command + [name], check_rc=True)
        module.exit_json(**result)
    if current is None:
        result["changed"] = True
        if not module.check_mode:
            command = [module.get_bin_path("groupadd", True)]
            if params["gid"] is not None:
                command += ["-g", str(params["gid"])]
                if params["non_unique"]:
                    command.append("-o")
            if params["system"]:
                command.append("-r")
            module.run_command(command + [name], check_rc=True)
    elif params["gid"] is not None and current.gr_gid != params["gid"]:
        result["changed"] = True
        if not module.check_mode:
            command = [module.get_bin_path("groupmod", True), "-g", str(params["gid"])]
            if params["non_unique"]:
                command.append("-o")
            module.run_command(command + [name], check_rc=True)
    after = _lookup(name)
    result["gid"] = after.gr_gid if after else params["gid"]
    result["system"] = params["system"]
    module.exit_json(**result)


if __name__ == "__main__":
    main()
