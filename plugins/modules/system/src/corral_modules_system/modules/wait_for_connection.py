#!/usr/bin/python3
"""wait_for_connection: documentation of the action of that name (nothing runs on the target)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: wait_for_connection
short_description: Waits until the target is reachable and usable
description:
  - Waits for a total of O(timeout) seconds for the target to answer.
  - Each attempt opens the connection anew, giving up on it after O(connect_timeout) seconds (for connections
    with a connect timeout, as ssh), and runs the C(ping) module; attempts are O(sleep) seconds apart.
  - Useful after a reboot, or while a host is being provisioned.
options:
  connect_timeout:
    description: Maximum number of seconds to wait for a connection to happen before closing and retrying.
    type: int
    default: 5
  delay:
    description: Number of seconds to wait before starting to poll.
    type: int
    default: 0
  sleep:
    description: Number of seconds to sleep between checks.
    type: int
    default: 1
  timeout:
    description: Maximum number of seconds to wait for.
    type: int
    default: 600
attributes:
  action:
    support: full
  async:
    support: none
  check_mode:
    support: none
  diff_mode:
    support: none
notes:
  - In check mode the task is skipped.
"""

EXAMPLES = r"""
- name: Wait 600 seconds for the target to be reachable and usable
  wait_for_connection:

- name: Wait 300 seconds, starting to check after 60
  wait_for_connection:
    delay: 60
    timeout: 300
"""

RETURN = r"""
elapsed:
  description: The number of whole seconds that elapsed waiting for the connection to appear.
  returned: always
  type: int
  sample: 23
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "wait_for_connection runs through its controller-side action"}))
    sys.exit(1)
