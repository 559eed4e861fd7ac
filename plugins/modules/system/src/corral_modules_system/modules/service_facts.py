#!/usr/bin/python3
"""service_facts: the services of the host, from each service manager found on it."""
from __future__ import annotations

DOCUMENTATION = r"""
module: service_facts
short_description: Return service state information as fact data
description:
  - Sets the fact C(services), each service by name, with its C(name), C(state) (V(running), V(stopped),
    V(failed), V(inactive)...), C(source) (V(systemd), V(sysv), V(openrc)) and, for systemd units, C(status)
    (the unit file's state, V(enabled), V(disabled), V(static), V(masked)...).
  - SysV services come from C(service --status-all) (those it cannot tell the state of are left out), systemd
    units from C(systemctl) when systemd runs the host, OpenRC services from C(rc-status).
  - The task is skipped, with a message, when no service can be found.
options: {}
"""

EXAMPLES = r"""
- service_facts:
- debug:
    var: ansible_facts.services['ssh'].state
"""

RETURN = r"""
ansible_facts:
  description: C(services), the services by name.
  returned: always
  type: dict
"""

import os
import re

from corral.module_utils.basic import AnsibleModule

_SYSV_LINE = re.compile(r"^\s*\[\s*([+-])\s*\]\s+(\S.*?)\s*$")


def _sysv(module: AnsibleModule) -> dict[str, dict[str, str]]:
    service = module.get_bin_path("service")
    if service is None:
        return {}
    rc, out, _err = module.run_command([service, "--status-all"])
    found = {}
    for line in out.splitlines():
        match = _SYSV_LINE.match(line)
        if match:
            name = match.group(2)
            found[name] = {"name": name, "state": "running" if match.group(1) == "+" else "stopped",
                           "source": "sysv"}
    return found


def _systemd(module: AnsibleModule) -> dict[str, dict[str, str]]:
    systemctl = module.get_bin_path("systemctl")
    if systemctl is None or not os.path.isdir("/run/systemd/system"):
        return {}
    found: dict[str, dict[str, str]] = {}
    rc, out, _err = module.run_command([systemctl, "list-units", "--no-pager", "--type", "service", "--all",
                                        "--plain", "--no-legend"])
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 4 or not fields[0].endswith(".service"):
            continue
        unit, _load, active, sub = fields[:4]
        state = "running" if sub == "running" else "failed" if active == "failed" else "stopped"
        found[unit] = {"name": unit, "state": state, "status": "unknown", "source": "systemd"}
    rc, out, _err = module.run_command([systemctl, "list-unit-files", "--no-pager", "--type", "service",
                                        "--all", "--plain", "--no-legend"])
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 2 or not fields[0].endswith(".service"):
            continue
        unit, status = fields[0], fields[1]
        entry = found.setdefault(unit, {"name": unit, "state": "inactive", "status": status, "source": "systemd"})
        entry["status"] = status
    return found


def _openrc(module: AnsibleModule) -> dict[str, dict[str, str]]:
    rc_status = module.get_bin_path("rc-status")
    if rc_status is None:
        return {}
    rc, out, _err = module.run_command([rc_status, "--all", "--nocolor"])
    found = {}
    for line in out.splitlines():
        match = re.match(r"^\s+(\S+)\s+\[\s*(\w+)\s*\]", line)
        if match:
            name, state = match.groups()
            found[name] = {"name": name, "state": "running" if state == "started" else "stopped",
                           "source": "openrc"}
    return found


def main() -> None:
    module = AnsibleModule(argument_spec={}, supports_check_mode=True)
    services: dict[str, dict[str, str]] = {}
    for scan in (_sysv, _openrc, _systemd):
        services.update(scan(module))
    if not services:
        module.exit_json(skipped=True, msg="Failed to find any services. This can be due to privileges or some "
                                           "other configuration issue.")
    module.exit_json(ansible_facts={"services": services})


if __name__ == "__main__":
    main()
