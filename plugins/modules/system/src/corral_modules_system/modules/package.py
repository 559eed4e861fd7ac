#!/usr/bin/python3
"""package: documentation; the action runs the target's package manager module."""
from __future__ import annotations

DOCUMENTATION = r"""
module: package
short_description: Generic package manager
description:
  - Installs or removes packages with the module for the target's package manager (C(ansible_pkg_mgr)); corral
    provides M(apt).
options:
  name:
    description: The package name, or a list of names, as the package manager's module takes them.
    type: str
    required: true
  state:
    description: C(present), C(latest) or C(absent).
    type: str
    required: true
  use:
    description: The package module to use instead of detecting it.
    type: str
    default: auto
"""

EXAMPLES = r"""
- package:
    name: ntpdate
    state: present
"""

RETURN = r"""
changed:
  description: Whether packages were installed or removed.
  returned: always
  type: bool
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "package runs through its controller-side action"}))
    sys.exit(1)
