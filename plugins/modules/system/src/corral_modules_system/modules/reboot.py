#!/usr/bin/python3
"""reboot: documentation; the controller-side action reboots the host and waits for it."""
from __future__ import annotations

DOCUMENTATION = r"""
module: reboot
short_description: Reboot a machine
description:
  - Reboots the host, waits until it has booted again (O(boot_time_command) prints a new value) and answers
    (O(test_command) succeeds), then continues.
  - Refused on a C(local) connection (it would reboot the controller); in check mode the reboot is reported,
    not done.
options:
  pre_reboot_delay:
    description: Seconds to wait before the reboot (whole minutes on Linux, given to C(shutdown -r)).
    type: int
    default: 0
  post_reboot_delay:
    description: Seconds to wait after the host answers again.
    type: int
    default: 0
  reboot_timeout:
    description: Seconds to wait for the host to come back and pass O(test_command).
    type: int
    default: 600
  connect_timeout:
    description: The connection timeout of each attempt to reach the host after the reboot.
    type: int
  test_command:
    description: A command that must succeed on the rebooted host.
    type: str
    default: whoami
  msg:
    description: The message of the reboot to logged-in users.
    type: str
    default: Reboot initiated by Ansible
  search_paths:
    description: Where the reboot command's program is looked for.
    type: list
    elements: str
    default: ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin']
  boot_time_command:
    description: A command that prints something new after each boot.
    type: str
    default: cat /proc/sys/kernel/random/boot_id
  reboot_command:
    description:
      - The command that reboots; its program is looked for in O(search_paths) unless it is an absolute path.
    type: str
    default: '[determined based on target OS]'
"""

EXAMPLES = r"""
- reboot:
    reboot_timeout: 3600
"""

RETURN = r"""
rebooted:
  description: Whether the host was rebooted.
  returned: always
  type: bool
elapsed:
  description: Seconds the reboot took.
  returned: always
  type: int
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "reboot runs through its controller-side action"}))
    sys.exit(1)
