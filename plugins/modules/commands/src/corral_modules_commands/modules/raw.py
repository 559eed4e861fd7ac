#!/usr/bin/python3
"""raw: documentation; the action runs the command over the connection."""
from __future__ import annotations

DOCUMENTATION = r"""
module: raw
short_description: Run a command over the connection, without Python on the target
description:
  - Sends the command line to the connection's shell as it is. Useful to install Python, or on devices that
    have none. Always reports changed.
options:
  free_form:
    description: The command line.
    required: true
  executable:
    description: The shell to run the command with (C(executable -c COMMAND)).
    type: str
"""

EXAMPLES = r"""
- raw: apt-get install -y python3
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
    print(json.dumps({"failed": True, "msg": "raw runs through its controller-side action"}))
    sys.exit(1)
