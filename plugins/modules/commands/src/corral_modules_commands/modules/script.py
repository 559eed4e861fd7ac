#!/usr/bin/python3
"""script: documentation; the action transfers and runs the script."""
from __future__ import annotations

DOCUMENTATION = r"""
module: script
short_description: Transfer a local script to the target and run it
description:
  - The script (searched in C(files/)) is copied to a private temporary directory on the target, run with the
    given arguments, and removed. The target needs no Python.
options:
  free_form:
    description: The script's path followed by its arguments.
  cmd:
    description: The same, as an option.
    type: str
  creates:
    description: Do not run when this path exists on the target.
    type: str
  removes:
    description: Do not run when this path does not exist on the target.
    type: str
  chdir:
    description: Change into this directory on the target first.
    type: str
  executable:
    description: Run the script with this program (e.g. C(python3)).
    type: str
"""

EXAMPLES = r"""
- script: setup.sh --fast
  args:
    creates: /etc/setup.done
"""

RETURN = r"""
rc:
  description: Exit status.
  returned: always
  type: int
stdout:
  description: Standard output.
  returned: always
  type: str
stderr:
  description: Standard error.
  returned: always
  type: str
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "script runs through its controller-side action"}))
    sys.exit(1)
