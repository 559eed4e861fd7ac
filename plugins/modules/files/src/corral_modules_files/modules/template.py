#!/usr/bin/python3
"""template: documentation; the work is done by the controller-side action (render, then copy)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: template
short_description: Render a Jinja2 template to a file on the target
description:
  - Renders a template file from the controller (searched in C(templates/)) with the task's variables, then
    copies the result to the target like M(copy), only when it differs.
  - The variables C(template_host), C(template_path), C(template_fullpath), C(template_uid),
    C(template_mtime), C(template_run_date), C(template_destpath) and C(ansible_managed) are available.
options:
  src:
    description: The template file on the controller.
    type: path
    required: true
  dest:
    description: The file to write on the target.
    type: path
    required: true
  backup:
    type: bool
    default: false
  force:
    type: bool
    default: true
  validate:
    description: A command, with C(%s) for the new file, that must succeed before the file is put in place.
    type: str
  follow:
    type: bool
    default: false
  newline_sequence:
    description: The line ends of the written file (C(\n), C(\r) or C(\r\n)).
    type: str
    default: "\\n"
    choices: ["\\n", "\\r", "\\r\\n"]
  trim_blocks:
    description: Remove the first newline after a block tag.
    type: bool
    default: true
  lstrip_blocks:
    description: Strip the spaces and tabs before a block tag at the start of a line.
    type: bool
    default: false
  variable_start_string:
    type: str
    default: "{{"
  variable_end_string:
    type: str
    default: "}}"
  block_start_string:
    type: str
    default: "{%"
  block_end_string:
    type: str
    default: "%}"
  comment_start_string:
    description: The string that starts a comment (Jinja2's C({#) when not set).
    type: str
  comment_end_string:
    description: The string that ends a comment (Jinja2's C(#}) when not set).
    type: str
  output_encoding:
    description: The encoding of the written file (the template itself is read as UTF-8).
    type: str
    default: utf-8
extends_documentation_fragment: [files]
notes:
  - "A first line C(#jinja2: trim_blocks: False, variable_start_string: '[%') in the template changes these
    settings for that file, over the task's; it is not written."
  - The written text ends with at least as many newlines as the template file does.
"""

EXAMPLES = r"""
- template:
    src: nginx.conf.j2
    dest: /etc/nginx/nginx.conf
    mode: "0644"
    validate: nginx -t -c %s
"""

RETURN = r"""
dest:
  description: The file that was written.
  returned: success
  type: str
checksum:
  description: SHA-1 of the rendered file.
  returned: success
  type: str
"""

import json
import sys

if __name__ == "__main__":
    print(json.dumps({"failed": True, "msg": "template runs through its controller-side action"}))
    sys.exit(1)
