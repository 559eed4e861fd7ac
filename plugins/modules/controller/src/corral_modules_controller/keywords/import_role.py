#!/usr/bin/python3
"""import_role: documentation of the keyword."""
from __future__ import annotations

DOCUMENTATION = r"""
module: import_role
short_description: Import a role into a play
description:
  - Puts the tasks of a role in the place of this task when the playbook is parsed (statically), as a
    play's C(roles) list does.
options:
  public:
    description:
      - Whether the role's C(vars) and C(defaults) are visible to the rest of the play (from parsing on, so earlier tasks see them too; the default follows C(DEFAULT_PRIVATE_ROLE_VARS)).
    default: true
extends_documentation_fragment: [role]
"""

EXAMPLES = r"""
- import_role:
    name: webserver
    tasks_from: install
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "import_role is a keyword of the playbook language, not a module to run"}))
    sys.exit(1)
