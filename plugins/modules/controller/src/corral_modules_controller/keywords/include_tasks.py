#!/usr/bin/python3
"""include_tasks: documentation of the keyword."""
from __future__ import annotations

DOCUMENTATION = r"""
module: include_tasks
short_description: Dynamically include a task list
description:
  - Loads and runs the tasks of a file when the play reaches this task (dynamically), once per loop item.
options:
  apply:
    description: Task keywords (C(tags), C(become), ...) applied to every included task.
    type: str
  file:
    description: The file of tasks to include.
    type: str
  free-form:
    description:
      - "The file to include, given directly (C(- include_tasks: file.yml)), as O(file)."
      - Keywords such as C(loop) and C(when) apply to this statement; C(until) is not supported.
"""

EXAMPLES = r"""
- include_tasks: "{{ item }}.yml"
  loop: [users, groups]
- include_tasks:
    file: install.yml
    apply:
      tags: [install]
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "include_tasks is a keyword of the playbook language, not a module to run"}))
    sys.exit(1)
