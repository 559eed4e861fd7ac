#!/usr/bin/python3
"""slurp: read a file from the target, base64-encoded."""
from __future__ import annotations

DOCUMENTATION = r"""
module: slurp
short_description: Read a file from the target
description:
  - Returns the content of a file on the target, base64-encoded (decode it with the C(b64decode) filter).
options:
  src:
    description: The file to read.
    type: path
    required: true
    aliases: [path]
"""

EXAMPLES = r"""
- slurp:
    src: /proc/mounts
  register: mounts

- debug:
    msg: "{{ mounts.content | b64decode }}"
"""

RETURN = r"""
content:
  description: The file's content, base64-encoded.
  returned: success
  type: str
encoding:
  description: Always C(base64).
  returned: success
  type: str
source:
  description: The file that was read.
  returned: success
  type: str
"""

import base64
import errno
import os

from corral.module_utils.basic import AnsibleModule


def main() -> None:
    module = AnsibleModule(argument_spec={"src": {"type": "path", "required": True, "aliases": ["path"]}},
                           supports_check_mode=True)
    source = module.params["src"]
    try:
        with open(source, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            msg = f"file not found: {source}"
        elif exc.errno == errno.EACCES:
            msg = f"file is not readable: {source}"
        elif exc.errno == errno.EISDIR or os.path.isdir(source):
            msg = f"source is a directory and must be a file: {source}"
        else:
            msg = f"unable to slurp file: {exc}"
        module.fail_json(msg=msg)
    module.exit_json(content=base64.b64encode(data).decode("ascii"), source=source, encoding="base64")


if __name__ == "__main__":
    main()
