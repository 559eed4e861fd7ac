#!/usr/bin/python3
"""service: documentation; the action picks systemd or sysvinit for the target."""
from __future__ import annotations

DOCUMENTATION = r"""
module: service
short_description: Manage services
description:
  - Controls services with the target's service manager (C(ansible_service_mgr)), through the M(systemd) or
    M(sysvinit) module. Fails clearly when the target has no service manager that corral supports.
options:
  name:
    type: str
    required: true
  state:
    type: str
    choices: [reloaded, restarted, started, stopped]
  enabled:
    type: bool
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
