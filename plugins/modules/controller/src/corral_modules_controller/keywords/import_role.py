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
  allow_duplicates:
    description: Run the role again with the same parameters, whatever the role's metadata says.
    type: bool
    default: true
  defaults_from:
    description: The file of the role's C(defaults/) folder to load.
    type: str
    default: main
  handlers_from:
    description: The file of the role's C(handlers/) folder to load.
    type: str
    default: main
  name:
    description: The role.
    type: str
    required: true
  public:
    description:
      - Whether the role's C(vars) and C(defaults) are visible to the rest of the play (from parsing on, so earlier tasks see them too; the default follows C(DEFAULT_PRIVATE_ROLE_VARS)).
    type: bool
    default: true
  rolespec_validate:
    description: Validate the role's arguments against its argument spec (C(meta/argument_specs.yml)).
    type: bool
    default: true
  tasks_from:
    description: The file of the role's C(tasks/) folder to run.
    type: str
    default: main
  vars_from:
    description: The file of the role's C(vars/) folder to load.
    type: str
    default: main
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
