#!/usr/bin/python3
"""sysvinit: services with init scripts in /etc/init.d."""
from __future__ import annotations

DOCUMENTATION = r"""
module: sysvinit
short_description: Manage services with System V init scripts
description:
  - Starts, stops, restarts or reloads a service through its C(/etc/init.d) script, and enables or disables it
    with C(update-rc.d) or C(chkconfig).
options:
  name:
    type: str
    required: true
    aliases: [service]
  state:
    type: str
    choices: [reloaded, restarted, started, stopped]
  enabled:
    type: bool
  arguments:
    description: Extra arguments for the init script.
    type: str
    default: ""
    aliases: [args]
"""

EXAMPLES = r"""
- sysvinit:
    name: apache2
    state: started
    enabled: true
"""

RETURN = r"""
name:
  description: The service.
  returned: always
  type: str
state:
  description: The requested state.
  returned: when state was given
  type: str
"""

import glob
import os
import shlex

from corral.module_utils.basic import AnsibleModule


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True, "aliases": ["service"]},
            "state": {"type": "str", "choices": ["reloaded", "restarted", "started", "stopped"]},
            "enabled": {"type": "bool"},
            "sleep": {"type": "int", "default": 1},
            "pattern": {"type": "str"},
            "arguments": {"type": "str", "default": "", "aliases": ["args"]},
            "runlevels": {"type": "list", "elements": "str"},
            "daemonize": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
        required_one_of=[["state", "enabled"]],
    )
    params = module.params
    name = params["name"]
    script = f"/etc/init.d/{name}"
    if not os.path.exists(script):
        module.fail_json(name=name, msg=f"Could not find the requested service {name}: no init script {script}")
    extra = shlex.split(params["arguments"])
    result = {"name": name, "changed": False}
    rc, _out, _err = module.run_command([script, "status"] + extra)
    running = rc == 0

    def act(action: str) -> None:
        result["changed"] = True
        if not module.check_mode:
            rc, out, err = module.run_command([script, action] + extra)
            if rc != 0:
                module.fail_json(msg=f"Unable to {action} service {name}: {(err or out).strip()}", rc=rc, **result)

    if params["enabled"] is not None:
        enabled = bool(glob.glob(f"/etc/rc[2345].d/S??{name}"))
        if enabled != params["enabled"]:
            result["changed"] = True
            if not module.check_mode:
                tool = module.get_bin_path("update-rc.d") or module.get_bin_path("chkconfig")
                if tool is None:
                    module.fail_json(msg="Neither update-rc.d nor chkconfig was found to enable the service")
                if tool.endswith("update-rc.d"):
                    command = [tool, name, "enable" if params["enabled"] else "disable"]
                else:
                    command = [tool, name, "on" if params["enabled"] else "off"]
                module.run_command(command, check_rc=True)
        result["enabled"] = params["enabled"]
    state = params["state"]
    if state == "started" and not running:
        act("start")
    elif state == "stopped" and running:
        act("stop")
    elif state == "restarted":
        act("restart")
    elif state == "reloaded":
        act("reload" if running else "start")
    if state:
        result["state"] = state
    module.exit_json(**result)


if __name__ == "__main__":
    main()
