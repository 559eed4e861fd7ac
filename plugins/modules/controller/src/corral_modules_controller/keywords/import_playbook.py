#!/usr/bin/python3
"""import_playbook: documentation of the keyword."""
from __future__ import annotations

DOCUMENTATION = r"""
module: import_playbook
short_description: Import a playbook
description:
  - Includes the plays of another playbook file in the place of this entry, when the playbook is parsed.
  - It is a play-level entry, not a task; the path is relative to the importing playbook.
options:
  free-form:
    description:
      - The path of the playbook to import, given directly (there is no option of that name).
"""

EXAMPLES = r"""
- import_playbook: webservers.yml
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "import_playbook is a keyword of the playbook language, not a module to run"}))
    sys.exit(1)
