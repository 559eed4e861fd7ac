#!/usr/bin/python3
"""group: local groups, as ansible-core's Linux implementation manages them (groupadd, groupmod,
groupdel; lgroupadd and the other libuser commands with ``local``)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: group
short_description: Add or remove local groups
description:
  - Creates, changes (gid) or removes a group with C(groupadd), C(groupmod) and C(groupdel); with
    O(local), with C(lgroupadd), C(lgroupmod) and C(lgroupdel), looking in C(/etc/group) only.
options:
  name:
    description: The group's name.
    type: str
    required: true
  gid:
    description: The group's numeric id.
    type: int
  state:
    description: Whether the group exists.
    type: str
    choices: [absent, present]
    default: present
  force:
    description: Delete the group even when it is some account's primary group (C(groupdel -f)). Not with O(local).
    type: bool
    default: false
  system:
    description: Create a system group (C(-r)).
    type: bool
    default: false
  local:
    description:
      - Use the libuser commands and look for the group in C(/etc/group) only (for hosts with central
        authentication). Those commands must be installed.
    type: bool
    default: false
  non_unique:
    description: Allow a gid that another group has (C(-o)). Requires O(gid).
    type: bool
    default: false
  gid_min:
    description: Overrides C(GID_MIN) of C(/etc/login.defs) when the group is created. Not with O(local).
    type: int
  gid_max:
    description: Overrides C(GID_MAX) of C(/etc/login.defs) when the group is created. Not with O(local).
    type: int
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
  returned: when the group exists after the task
  type: int
state:
  description: The state asked for.
  returned: always
  type: str
system:
  description: O(system).
  returned: when the group exists after the task
  type: bool
stdout:
  description: What the command run printed.
  returned: when it printed something
  type: str
stderr:
  description: What the command run printed on stderr.
  returned: when it printed something
  type: str
"""

import grp
from typing import Any

from corral.module_utils.basic import AnsibleModule
from corral_accounts.local import Outcome, listed_in, record_outcome, refuse_with_local

GROUP_FILE = "/etc/group"


class Group:
    """One group and what the task asks of it."""

    def __init__(self, module: AnsibleModule) -> None:
        self.module = module
        self.params = params = module.params
        self.name: str = params["name"]
        self.local: bool = params["local"]
        self.gid: int | None = params["gid"]
        if self.local:
            refuse_with_local(module, ("gid_min", "gid_max"))

    def exists(self) -> bool:
        if self.local:
            return listed_in(self.module, GROUP_FILE, "group", self.name)
        try:
            grp.getgrnam(self.name)
            return True
        except KeyError:
            return False

    def info(self) -> grp.struct_group | None:
        if not self.exists():
            return None
        try:
            return grp.getgrnam(self.name)
        except KeyError:
            return None

    def _binary(self, name: str) -> str:
        return self.module.get_bin_path(f"l{name}" if self.local else name, True)

    def _refuse_taken_gid(self) -> None:
        """libuser's commands do not check it: fail when another group has the gid."""
        if self.gid:
            for group in grp.getgrall():
                if group.gr_gid == self.gid and group.gr_name != self.name:
                    self.module.fail_json(msg=f"GID '{self.gid}' already exists with group '{group.gr_name}'")

    def _gid_options(self) -> list[str]:
        return ["-g", str(self.gid)] + (["-o"] if self.params["non_unique"] else [])

    def delete(self) -> Outcome:
        command = [self._binary("groupdel")] + (["-f"] if self.params["force"] else [])
        return self.module.run_command(command + [self.name])

    def add(self) -> Outcome:
        command = [self._binary("groupadd")]
        if self.local:
            self._refuse_taken_gid()
        if self.gid is not None:
            command += self._gid_options()
        if self.params["system"]:
            command.append("-r")
        for option in ("gid_min", "gid_max"):
            if self.params[option] is not None:
                command += ["-K", f"{option.upper()}={self.params[option]}"]
        return self.module.run_command(command + [self.name])

    def modify(self) -> Outcome:
        command = [self._binary("groupmod")]
        if self.local:
            self._refuse_taken_gid()
        info = self.info()
        if self.gid is None or info is None or info.gr_gid == self.gid:
            return None, "", ""
        if self.module.check_mode:
            return 0, "", ""
        return self.module.run_command(command + self._gid_options() + [self.name])


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
            "name": {"type": "str", "required": True},
            "force": {"type": "bool", "default": False},
            "gid": {"type": "int"},
            "system": {"type": "bool", "default": False},
            "local": {"type": "bool", "default": False},
            "non_unique": {"type": "bool", "default": False},
            "gid_min": {"type": "int"},
            "gid_max": {"type": "int"},
        },
        supports_check_mode=True,
        required_if=[["non_unique", True, ["gid"]]],
    )
    if module.params["force"] and module.params["local"]:
        module.fail_json(msg="force is not a valid option for local, force=True and local=True are mutually exclusive")
    group = Group(module)
    result: dict[str, Any] = {"name": group.name, "state": module.params["state"]}
    rc: int | None = None
    out = err = ""
    if module.params["state"] == "absent":
        if group.exists():
            if module.check_mode:
                module.exit_json(changed=True)
            rc, out, err = group.delete()
            if rc != 0:
                module.fail_json(name=group.name, msg=err)
    else:
        if not group.exists():
            if module.check_mode:
                module.exit_json(changed=True)
            rc, out, err = group.add()
        else:
            rc, out, err = group.modify()
        if rc is not None and rc != 0:
            module.fail_json(name=group.name, msg=err)
    record_outcome(result, (rc, out, err))
    info = group.info()
    if info is not None:
        result.update(system=module.params["system"], gid=info.gr_gid)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
