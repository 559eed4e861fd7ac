#!/usr/bin/python3
"""import_tasks: documentation of the keyword."""
from __future__ import annotations

DOCUMENTATION = r"""
module: import_tasks
short_description: Import a task list
description:
  - Puts the tasks of a file in the place of this task when the playbook is parsed (statically).
  - Keywords such as C(when), C(tags) or C(become) on it apply to each imported task; loops are not allowed.
options:
  file:
    description: The file of tasks to import.
    type: str
  free-form:
    description:
      - "The file to import, given directly (C(- import_tasks: file.yml)); loops and conditions apply to the
        imported tasks, not to this statement. Use M(include_tasks) for a dynamic include."
"""

EXAMPLES = r"""
- import_tasks: setup.yml
- import_tasks:
    file: setup.yml
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "import_tasks is a keyword of the playbook language, not a module to run"}))
    sys.exit(1)
