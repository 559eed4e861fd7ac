#!/usr/bin/python3
"""ping: check that a module can run on the target (Python works, the connection too)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: ping
short_description: Check that the target can run a module
description:
  - Runs a trivial module on the target and returns C(pong). It checks the connection and the target's
    Python, not ICMP reachability.
options:
  data:
    description: The value to return as RV(ping). The value C(crash) makes the module raise an exception.
    type: str
    default: pong
"""

EXAMPLES = r"""
- name: Check every host
  ping:

- name: Make the module fail, to test error handling
  ping:
    data: crash
"""

RETURN = r"""
ping:
  description: The value of O(data).
  returned: success
  type: str
  sample: pong
"""

from corral.module_utils.basic import AnsibleModule


def main() -> None:
    module = AnsibleModule(argument_spec={"data": {"type": "str", "default": "pong"}},
                           supports_check_mode=True)
    if module.params["data"] == "crash":
        raise Exception("boom")
    module.exit_json(ping=module.params["data"])


if __name__ == "__main__":
    main()
