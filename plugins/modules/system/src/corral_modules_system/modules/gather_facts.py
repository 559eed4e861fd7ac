#!/usr/bin/python3
"""gather_facts: documentation; the controller-side action runs setup."""
from __future__ import annotations

DOCUMENTATION = r"""
module: gather_facts
short_description: Gathers facts about remote hosts
description:
  - Gathers the host's facts as a play's C(gather_facts) does, with the M(setup) module; the task's arguments
    (C(gather_subset), C(gather_timeout), C(filter), C(fact_path)) are the module's.
  - The facts become C(ansible_facts) of the host, and the host counts as having gathered facts.
options:
  parallel:
    description:
      - Run the facts modules in parallel. corral runs one facts module (M(setup)), so the value changes
        nothing.
    type: bool
"""

EXAMPLES = r"""
- name: Gather the minimal facts
  gather_facts:
    gather_subset: min
"""

RETURN = r"""
ansible_facts:
  description: The facts gathered.
  returned: success
  type: dict
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "gather_facts runs through its controller-side action"}))
    sys.exit(1)
