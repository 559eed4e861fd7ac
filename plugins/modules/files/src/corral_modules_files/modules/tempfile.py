#!/usr/bin/python3
"""tempfile: create a temporary file or directory on the target."""
from __future__ import annotations

DOCUMENTATION = r"""
module: tempfile
short_description: Create a temporary file or directory
description:
  - Creates a uniquely named file or directory (mode 0600/0700) and returns its path. It is not removed
    automatically.
options:
  state:
    description: What to create.
    type: str
    choices: [directory, file]
    default: file
  path:
    description: Where to create it (default the system's temporary directory).
    type: path
  prefix:
    type: str
    default: ansible.
  suffix:
    type: str
    default: ""
"""

EXAMPLES = r"""
- tempfile:
    state: directory
    suffix: build
  register: build_dir
"""

RETURN = r"""
path:
  description: The path of what was created.
  returned: success
  type: str
"""

import os
import tempfile

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.files import path_info


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "state": {"type": "str", "default": "file", "choices": ["file", "directory"]},
            "path": {"type": "path"},
            "prefix": {"type": "str", "default": "ansible."},
            "suffix": {"type": "str", "default": ""},
        },
    )
    params = module.params
    try:
        if params["state"] == "file":
            handle, path = tempfile.mkstemp(prefix=params["prefix"], suffix=params["suffix"], dir=params["path"])
            os.close(handle)
        else:
            path = tempfile.mkdtemp(prefix=params["prefix"], suffix=params["suffix"], dir=params["path"])
    except OSError as exc:
        module.fail_json(msg=f"Failed to create temporary {params['state']}: {exc}")
    module.exit_json(changed=True, **path_info(path))


if __name__ == "__main__":
    main()
