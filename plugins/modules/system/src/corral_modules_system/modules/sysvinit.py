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
  sleep:
    description: Seconds to wait between the stop and the start of a restart.
    type: int
    default: 1
  pattern:
    description: A text looked for in C(ps auxww) to tell whether the service runs, when its status is unreliable.
    type: str
  arguments:
    description: Extra arguments for the init script.
    type: str
    aliases: [args]
  runlevels:
    description: The runlevels the service is enabled or disabled in (C(update-rc.d NAME enable|disable LEVELS)).
    type: list
    elements: str
  daemonize:
    description: Run the init script detached from the module (for scripts that do not detach themselves).
    type: bool
    default: false
notes:
  - Enabling a service with no C(rc?.d) links registers its script first (C(update-rc.d NAME defaults)); a
    restart is a stop, C(sleep) seconds, then a start, as in Ansible.
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
status:
  description: What was done for C(enabled) and for the state (C(changed), C(rc), C(stdout), C(stderr)).
  returned: always
  type: dict
"""

import glob
import os
import re
import subprocess
import time

from corral.module_utils.basic import AnsibleModule

_TOOL_DIRS = ["/sbin", "/usr/sbin", "/bin", "/usr/bin"]
_STOPPED_WORDS = ("stop", "is dead ", "dead but ", "could not access pid file", "inactive")
_STARTED_WORDS = ("run", "start", "active")


def script_path(name: str) -> str:
    """The init script of ``name`` (a path is taken as it is)."""
    return name if name.startswith("/") else f"/etc/init.d/{name}"


def is_enabled(name: str, runlevel: str | None = None) -> bool:
    """Whether a start link of ``name`` exists (in ``runlevel``, or in any)."""
    level = runlevel or "?"
    if not os.path.isdir("/etc/rc0.d/"):
        return bool(glob.glob(f"/etc/init.d/rc{level}.d/S??{name}"))
    return bool(glob.glob(f"/etc/rc{level}.d/S??{name}"))


def in_process_table(module: AnsibleModule, pattern: str) -> bool:
    rc, out, _err = module.run_command([module.get_bin_path("ps", True), "auxww"])
    return rc == 0 and any(pattern in line for line in out.splitlines())


def running_state(module: AnsibleModule, name: str, script: str, service: str | None) -> bool:
    """Whether the service runs: its status command's words, else its return code,
    else the process table (with a warning)."""
    command = [service, name, "status"] if service else [script, "status"]
    rc, out, _err = module.run_command(command)
    known = started = False
    if name == "iptables" and "ACCEPT" in out:
        known = started = True
    if not known and out.count("\n") <= 1:
        cleaned = out.lower().replace(name.lower(), "")
        if any(word in cleaned for word in _STOPPED_WORDS):
            known = True
        elif any(word in cleaned for word in _STARTED_WORDS) and "not " not in cleaned:
            known = started = True
    if not known and rc in (1, 2, 3, 4, 69):
        known = True
    if not known:
        if rc == 0:
            return True
        if in_process_table(module, name):
            module.warn("Used ps output to match service name and determine it is up, this is very unreliable")
            return True
        module.warn("Unable to determine if service is up, assuming it is down")
    return started


def _record(entry: dict, changed: bool, outcome: tuple | None) -> None:
    entry["changed"] = changed
    entry["rc"], entry["stdout"], entry["stderr"] = outcome if outcome else (None, None, None)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True, "aliases": ["service"]},
            "state": {"type": "str", "choices": ["started", "stopped", "restarted", "reloaded"]},
            "enabled": {"type": "bool"},
            "sleep": {"type": "int", "default": 1},
            "pattern": {"type": "str"},
            "arguments": {"type": "str", "aliases": ["args"]},
            "runlevels": {"type": "list", "elements": "str"},
            "daemonize": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
        required_one_of=[["state", "enabled"]],
    )
    params = module.params
    name, state, enabled, runlevels = params["name"], params["state"], params["enabled"], params["runlevels"]
    result: dict = {"name": name, "changed": False, "status": {}}
    script = script_path(name)
    if not os.path.exists(script):
        module.fail_json(msg=f"Could not find the requested service {name}: ")
    tools = {tool: module.get_bin_path(tool) or module.get_bin_path(tool, opt_dirs=_TOOL_DIRS)
             for tool in ("chkconfig", "update-rc.d", "insserv", "service")}
    if params["pattern"]:
        started = in_process_table(module, params["pattern"])
    else:
        started = running_state(module, name, script, tools["service"])

    enable_entry: dict = {}
    result["status"]["enabled"] = enable_entry
    outcome = None
    if runlevels:
        enable_entry["runlevels"] = runlevels
        wrong = [level for level in runlevels if enabled != is_enabled(name, level)]
        changed = bool(wrong)
        if changed and not module.check_mode:
            if tools["update-rc.d"]:
                outcome = module.run_command([tools["update-rc.d"], name, "enable" if enabled else "disable",
                                              *runlevels])
            elif tools["chkconfig"]:
                outcome = module.run_command([tools["chkconfig"], "--level", "".join(runlevels), name,
                                              "on" if enabled else "off"])
    else:
        changed = enabled is not None and enabled != is_enabled(name)
        if changed and not module.check_mode:
            if tools["update-rc.d"]:
                # "defaults" registers the script (its links) and enables it
                outcome = module.run_command([tools["update-rc.d"], name, "defaults" if enabled else "disable"])
            elif tools["chkconfig"]:
                outcome = module.run_command([tools["chkconfig"], name, "on" if enabled else "off"])
    result["changed"] = changed
    _record(enable_entry, changed, None if module.check_mode else outcome)
    if outcome and "illegal runlevel specified" in (outcome[2] or ""):
        module.fail_json(msg=f"Illegal runlevel specified for enable operation on service {name}", **result)

    state_entry: dict = {}
    result["status"][state] = state_entry
    outcome = None
    acted = False
    if state:
        action = re.sub(r"p?ed$", "", state.lower())

        def run(verb: str) -> tuple:
            command = f"{script} {verb} {params['arguments'] or ''}"
            if params["daemonize"]:
                proc = subprocess.Popen(command, shell=True, start_new_session=True, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                done: tuple = (0 if proc.poll() in (None, 0) else proc.returncode, "", "")
            else:
                done = module.run_command(command, use_unsafe_shell=True)
            if done[0] != 0:
                module.fail_json(msg=f"Failed to {action} service: {name}", rc=done[0], stdout=done[1],
                                 stderr=done[2])
            return done

        if action == "restart":
            acted = True
            if not module.check_mode:
                for verb in ("stop", "start"):
                    outcome = run(verb)
                    if params["sleep"]:
                        time.sleep(params["sleep"])
        elif started != (action == "start") or started == (action == "stop"):
            acted = True
            if not module.check_mode:
                outcome = run(action)
    result["changed"] = result["changed"] or acted
    _record(state_entry, acted, None if module.check_mode else outcome)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
