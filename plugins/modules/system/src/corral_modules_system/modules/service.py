#!/usr/bin/python3
"""service: documentation; the action picks systemd or sysvinit for the target."""
from __future__ import annotations

DOCUMENTATION = r"""
module: service
short_description: Manage services
description:
  - Controls services with the target's service manager (C(ansible_service_mgr)), through the M(systemd) or
    M(sysvinit) module. A service manager corral has no module for (a container's first process, C(service))
    is handled through the C(/etc/init.d) scripts with M(sysvinit) (C(runlevel) ignored). The arguments systemd
    does not use (C(pattern), C(runlevel), C(sleep), C(arguments)) are dropped with a warning there.
options:
  name:
    type: str
    required: true
  state:
    type: str
    choices: [reloaded, restarted, started, stopped]
  enabled:
    type: bool
  sleep:
    description: Seconds between the stop and the start of a restart (init scripts).
    type: int
  pattern:
    description: A text looked for in C(ps auxww) to tell whether the service runs (init scripts).
    type: str
  runlevel:
    description: The runlevel of OpenRC services; init scripts and systemd do without it.
    type: str
    default: default
  arguments:
    description: Extra arguments for the init script.
    type: str
    default: ""
    aliases: [args]
  use:
    description: The service module to use instead of detecting it (C(systemd), C(sysvinit)).
    type: str
    default: auto
"""

EXAMPLES = r"""
- service:
    name: nginx
    state: restarted
"""

RETURN = r"""
name:
  description: The service.
  returned: always
  type: str
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "service runs through its controller-side action"}))
    sys.exit(1)
