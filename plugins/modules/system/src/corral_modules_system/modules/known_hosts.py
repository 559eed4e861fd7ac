#!/usr/bin/python3
"""known_hosts: host keys in an SSH known_hosts file."""
from __future__ import annotations

DOCUMENTATION = r"""
module: known_hosts
short_description: Add or remove a host key from a known_hosts file
description:
  - Keeps one host's key line in a known_hosts file, replacing a key of the same type for that host, or removes
    the host's keys.
options:
  name:
    description: The host name (or C([host]:port)) the key is for.
    type: str
    required: true
    aliases: [host]
  key:
    description: The key line, as C(ssh-keyscan) prints it (C(host keytype base64)); required for C(present).
    type: str
  path:
    description: The known_hosts file.
    type: path
    default: ~/.ssh/known_hosts
  hash_host:
    description: Hash the host name in the line.
    type: bool
    default: false
  state:
    type: str
    choices: [absent, present]
    default: present
"""

EXAMPLES = r"""
- known_hosts:
    name: git.example.com
    key: "git.example.com ssh-ed25519 AAAAC3Nza..."
"""

RETURN = r"""
diff:
  description: The file's content before and after.
  returned: changed and --diff
  type: dict
"""

import base64
import hashlib
import hmac
import os

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.files import path_info


def _host_matches(field: str, name: str) -> bool:
    for entry in field.split(","):
        if entry.startswith("|1|"):
            try:
                _, _, salt, digest = entry.split("|")
                computed = hmac.new(base64.b64decode(salt), name.encode(), hashlib.sha1).digest()
                if base64.b64encode(computed).decode() == digest:
                    return True
            except ValueError:
                continue
        elif entry == name:
            return True
    return False


def _hashed(name: str) -> str:
    salt = os.urandom(20)
    digest = hmac.new(salt, name.encode(), hashlib.sha1).digest()
    return f"|1|{base64.b64encode(salt).decode()}|{base64.b64encode(digest).decode()}"


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True, "aliases": ["host"]},
            "key": {"type": "str", "no_log": False},
            "path": {"type": "path", "default": "~/.ssh/known_hosts"},
            "hash_host": {"type": "bool", "default": False},
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
        },
        supports_check_mode=True,
    )
    params = module.params
    name, path, state = params["name"].lower(), params["path"], params["state"]
    key_type = key_data = None
    if state == "present":
        if not params["key"]:
            module.fail_json(msg="No key specified when adding a host")
        fields = params["key"].split()
        if len(fields) < 3:
            module.fail_json(msg="Invalid key specified: the key must be a line 'host keytype base64'")
        if not _host_matches(fields[0].lower(), name) and not fields[0].startswith("|1|"):
            module.fail_json(msg="Host parameter does not match hashed host field in supplied key"
                             if fields[0].startswith("|") else
                             f"Host parameter ({name}) does not match the host in the key ({fields[0]})")
        key_type, key_data = fields[1], fields[2]
    before = ""
    if os.path.exists(path):
        with open(path) as handle:
            before = handle.read()
    lines = before.splitlines()
    kept, found = [], False
    for line in lines:
        fields = line.split()
        if len(fields) >= 3 and not line.startswith("#") and _host_matches(fields[0], name):
            if state == "present" and fields[1] == key_type:
                if fields[2] == key_data and not found:
                    kept.append(line)
                    found = True
                continue
            if state == "absent":
                continue
        kept.append(line)
    if state == "present" and not found:
        host_field = _hashed(name) if params["hash_host"] else name
        kept.append(f"{host_field} {key_type} {key_data}")
    after = "\n".join(kept) + ("\n" if kept else "")
    changed = after != before
    result = {"changed": changed, "name": name, "path": path, "key": params["key"], "hash_host": params["hash_host"],
              "diff": {"before": before, "after": after, "before_header": path, "after_header": path}}
    if changed and not module.check_mode:
        directory = os.path.dirname(path)
        if directory and not os.path.isdir(directory):
            os.makedirs(directory, mode=0o700)
        tmp = os.path.join(module.tmpdir, "known_hosts")
        with open(tmp, "w") as handle:
            handle.write(after)
        module.atomic_move(tmp, path)
    if os.path.exists(path):
        result.update({k: v for k, v in path_info(path).items() if k != "path"})
    module.exit_json(**result)


if __name__ == "__main__":
    main()
