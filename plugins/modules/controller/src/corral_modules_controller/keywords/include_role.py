#!/usr/bin/python3
"""include_role: documentation of the keyword."""
from __future__ import annotations

DOCUMENTATION = r"""
module: include_role
short_description: Load and execute a role
description:
  - Loads and runs a role when the play reaches this task (dynamically), once per loop item.
options:
  apply:
    description: Task keywords (C(tags), C(become), ...) applied to every task of the role.
  public:
    description:
      - Whether the role's C(vars) and C(defaults) are visible to the rest of the play: with V(true), to the tasks after this one.
    default: false
  rescuable:
    description: Whether an error of the include itself is a task failure that C(rescue) can handle, or a fatal
      error.
    type: bool
    default: true
extends_documentation_fragment: [role]
"""

EXAMPLES = r"""
- include_role:
    name: webserver
  when: web_enabled
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "include_role is a keyword of the playbook language, not a module to run"}))
    sys.exit(1)
