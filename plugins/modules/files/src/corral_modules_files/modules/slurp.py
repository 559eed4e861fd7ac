#!/usr/bin/python3
"""slurp: read a file from the target, base64-encoded (or as text with ``armor: false``)."""
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
  armor:
    description:
      - Base64-encode the content (the default). With C(false) the content is returned as it is, which must then
        be UTF-8 text (JSON carries the result); a file that is not fails the task.
    type: bool
    default: true
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
  description: C(base64), or C(utf-8) when O(armor) is false.
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
    module = AnsibleModule(argument_spec={"src": {"type": "path", "required": True, "aliases": ["path"]},
                                          "armor": {"type": "bool", "default": True}},
                           supports_check_mode=True)
    source = module.params["src"]
    try:
        with open(source, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            msg = f"File not found: {source}"
        elif exc.errno == errno.EACCES:
            msg = f"File is not readable: {source}"
        elif exc.errno == errno.EISDIR or os.path.isdir(source):
            msg = f"Source is a directory and must be a file: {source}"
        else:
            msg = f"Unable to slurp file: {exc}"
        module.fail_json(msg=msg)
    if module.params["armor"]:
        module.exit_json(content=base64.b64encode(data).decode("ascii"), source=source, encoding="base64")
    module.exit_json(content=data, source=source, encoding="utf-8")


if __name__ == "__main__":
    main()
