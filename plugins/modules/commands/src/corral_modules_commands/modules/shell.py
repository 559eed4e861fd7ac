#!/usr/bin/python3
"""shell: documentation; the action runs the command module with a shell."""
from __future__ import annotations

DOCUMENTATION = r"""
module: shell
short_description: Run a command on the target through a shell
description:
  - Runs the command with C(/bin/sh) (or O(executable)), so pipes, redirections, C(&&) and variables work.
options:
  free_form:
    description: The shell command line.
  cmd:
    description: The command line, as an option.
    type: str
  chdir:
    description: Change into this directory first.
    type: path
  creates:
    description: A path or glob; when it exists the command is not run.
    type: path
  removes:
    description: A path or glob; when it does not exist the command is not run.
    type: path
  executable:
    description: The shell to use (an absolute path).
    type: path
  stdin:
    description: Text given to the command on its standard input.
    type: str
  stdin_add_newline:
    type: bool
    default: true
"""

EXAMPLES = r"""
- shell: cat /etc/passwd | wc -l >> /tmp/count.txt
  args:
    chdir: /tmp
    creates: /tmp/count.txt
"""

RETURN = r"""
cmd:
  description: The command line.
  returned: always
  type: str
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
    print(json.dumps({"failed": True, "msg": "shell runs through its action (the command module)"}))
    sys.exit(1)
