#!/usr/bin/python3
"""systemd_service (alias systemd): units managed by systemd."""
from __future__ import annotations

DOCUMENTATION = r"""
module: systemd_service
short_description: Manage systemd units
description:
  - Starts, stops, restarts or reloads a unit, enables, disables or masks it, and reloads systemd's
    configuration. Fails with a clear message when systemd is not the service manager of the target.
options:
  name:
    description: The unit (C(.service) is implied).
    type: str
    aliases: [service, unit]
  state:
    type: str
    choices: [reloaded, restarted, started, stopped]
  enabled:
    type: bool
  force:
    description: Pass C(--force) to C(enable), C(disable) and C(mask), overriding conflicting symlinks.
    type: bool
  masked:
    type: bool
  daemon_reload:
    description: Run C(systemctl daemon-reload) first.
    type: bool
    default: false
    aliases: [daemon-reload]
  daemon_reexec:
    description: Run C(systemctl daemon-reexec) first.
    type: bool
    default: false
    aliases: [daemon-reexec]
  scope:
    type: str
    choices: [system, user, global]
    default: system
  no_block:
    type: bool
    default: false
"""

EXAMPLES = r"""
- systemd_service:
    name: nginx
    state: started
    enabled: true
"""

RETURN = r"""
name:
  description: The unit.
  returned: always
  type: str
state:
  description: The requested state.
  returned: when state was given
  type: str
status:
  description: The unit's properties (C(systemctl show)).
  returned: success
  type: dict
"""

import os

from corral.module_utils.basic import AnsibleModule


#: the commands C(force) applies to
_FORCEABLE = ("enable", "disable", "mask")


def _pid1() -> str:
    try:
        with open("/proc/1/comm") as handle:
            return handle.read().strip()
    except OSError:
        return "unknown"


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "aliases": ["service", "unit"]},
            "state": {"type": "str", "choices": ["reloaded", "restarted", "started", "stopped"]},
            "enabled": {"type": "bool"},
            "force": {"type": "bool"},
            "masked": {"type": "bool"},
            "daemon_reload": {"type": "bool", "default": False, "aliases": ["daemon-reload"]},
            "daemon_reexec": {"type": "bool", "default": False, "aliases": ["daemon-reexec"]},
            "scope": {"type": "str", "default": "system", "choices": ["system", "user", "global"]},
            "no_block": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
        required_one_of=[["state", "enabled", "masked", "daemon_reload", "daemon_reexec"]],
        required_by={"state": "name", "enabled": "name", "masked": "name"},
    )
    params = module.params
    name = params["name"]
    systemctl = module.get_bin_path("systemctl")
    if systemctl is None or not os.path.isdir("/run/systemd/system"):
        module.fail_json(name=name, msg=f"No service manager: systemd is not running on this host (PID 1 is "
                                        f"'{_pid1()}'), so {name or 'systemd'} cannot be managed with systemd")
    base = [systemctl] + ([f"--{params['scope']}"] if params["scope"] != "system" else [])
    result = {"name": name, "changed": False}
    if params["daemon_reload"] and not module.check_mode:
        module.run_command(base + ["daemon-reload"], check_rc=True)
    if params["daemon_reexec"] and not module.check_mode:
        module.run_command(base + ["daemon-reexec"], check_rc=True)
    if not name:
        module.exit_json(**result)
    unit = name if "." in name else f"{name}.service"
    rc, out, err = module.run_command(base + ["show", unit])
    status = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    if status.get("LoadState") == "not-found" and (params["state"] or params["enabled"] is not None):
        module.fail_json(msg=f"Could not find the requested service {name}: host", name=name)
    result["status"] = status

    def act(*command: str) -> None:
        result["changed"] = True
        if not module.check_mode:
            forced = ["--force"] if params["force"] and command[0] in _FORCEABLE else []
            rc, out, err = module.run_command(base + forced + list(command) + [unit])
            if rc != 0:
                module.fail_json(msg=f"Unable to {command[0]} service {name}: {err.strip()}", **result)

    if params["masked"] is not None:
        masked = status.get("UnitFileState") == "masked"
        if masked != params["masked"]:
            act("mask" if params["masked"] else "unmask")
    if params["enabled"] is not None:
        rc, out, _err = module.run_command(base + ["is-enabled", unit])
        enabled = rc == 0 and out.strip() in ("enabled", "enabled-runtime", "alias", "static", "indirect")
        if enabled != params["enabled"]:
            act("enable" if params["enabled"] else "disable")
        result["enabled"] = params["enabled"]
    state = params["state"]
    if state:
        active = status.get("ActiveState") in ("active", "activating", "reloading")
        block = ["--no-block"] if params["no_block"] else []
        if state == "started" and not active:
            act("start", *block)
        elif state == "stopped" and active:
            act("stop", *block)
        elif state == "restarted":
            act("restart", *block)
        elif state == "reloaded":
            act("reload-or-restart" if active else "start", *block)
        result["state"] = state
    module.exit_json(**result)


if __name__ == "__main__":
    main()
