#!/usr/bin/python3
"""fetch: documentation; the work is done by the controller-side action."""
from __future__ import annotations

DOCUMENTATION = r"""
module: fetch
short_description: Copy a file from the target to the controller
description:
  - Stores the file under O(dest)/HOSTNAME/PATH on the controller (or directly at O(dest) with O(flat)), only
    when its checksum differs.
options:
  src:
    description: The file on the target (not a directory).
    type: str
    required: true
  dest:
    description: A directory on the controller (relative paths are relative to the playbook).
    type: str
    required: true
  flat:
    description: Store the file as O(dest) (or O(dest)/BASENAME when O(dest) ends with C(/)).
    type: bool
    default: false
  fail_on_missing:
    type: bool
    default: true
  validate_checksum:
    description: Check the fetched file's checksum against the target's.
    type: bool
    default: true
"""

EXAMPLES = r"""
- fetch:
    src: /etc/hostname
    dest: backups/
"""

RETURN = r"""
dest:
  description: Where the file was stored on the controller.
  returned: success
  type: str
checksum:
  description: SHA-1 of the fetched file.
  returned: success
  type: str
remote_checksum:
  description: SHA-1 of the file on the target.
  returned: success
  type: str
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "fetch runs through its controller-side action"}))
    sys.exit(1)
