#!/usr/bin/python3
"""known_hosts: host keys in an SSH known_hosts file.

Lines are matched the way ``ssh-keygen -F`` matches them (comma-separated patterns with
``*``/``?`` and ``!`` negation, case-insensitive; hashed ``|1|salt|hash`` names; ``@cert-authority``
and ``@revoked`` lines included), so no ``ssh-keygen`` is needed on the target.
"""
from __future__ import annotations

DOCUMENTATION = r"""
module: known_hosts
short_description: Add or remove a host key from a known_hosts file
description:
  - Adds or removes host keys in a C(known_hosts) file. A host may have several keys, one for each key type.
  - Adding a key replaces the host's first key of the same type that differs from it, and puts the new line at
    the end of the file.
options:
  name:
    description:
      - The host to add or remove; it must match the host part of O(key) (a name, an IP address, or C([host]:port)
        for a custom port). It is converted to lowercase.
    type: str
    required: true
    aliases: [host]
  key:
    description:
      - The host key line, as it appears in a known_hosts file (C(<hostname[,IP]> ssh-rsa <pubkey>)), as
        C(ssh-keyscan) prints it; a leading C(@cert-authority) marker is allowed.
      - Required for O(state=present). With O(state=absent), only the host's key of that type is removed;
        without it, every key of the host (except C(@cert-authority) and C(@revoked) lines) is removed, the
        previous file kept as C(PATH.old), and the result is changed whenever some line matched the host.
    type: str
  path:
    description:
      - The known_hosts file; it is created when needed, but its directory must exist.
    type: path
    default: ~/.ssh/known_hosts
  hash_host:
    description: Hash the host name in the line written.
    type: bool
    default: false
  state:
    description: C(present) adds the key, C(absent) removes keys.
    type: str
    choices: [absent, present]
    default: present
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
"""

EXAMPLES = r"""
- known_hosts:
    name: git.example.com
    key: "git.example.com ssh-ed25519 AAAAC3Nza..."

- known_hosts:
    name: "[git.example.com]:2222"
    key: "[git.example.com]:2222 ssh-ed25519 AAAAC3Nza..."
    hash_host: true
"""

RETURN = r"""
diff:
  description: The file's content before and after (as the module computes it).
  returned: always
  type: dict
"""

import base64
import hashlib
import hmac
import os
import re
import shutil
import tempfile

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.files import path_info

_MARKERS = ("@cert-authority", "@revoked")


def _parse(line: str) -> dict | None:
    """``{"marker", "host", "type", "key"}`` of a known_hosts line (its comment ignored), or None."""
    fields = line.split()
    marker = ""
    if fields and fields[0].startswith("@"):
        marker, fields = fields[0], fields[1:]
    if len(fields) < 3 or fields[0].startswith("#"):
        return None
    return {"marker": marker, "host": fields[0], "type": fields[1], "key": fields[2]}


def _pattern_matches(pattern: str, name: str) -> bool:
    regex = "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern.lower())
    return re.fullmatch(regex, name) is not None


def _host_matches(field: str, name: str) -> bool:
    """Whether ``name`` (lowercase) is one of the hosts of a line's host field."""
    if field.startswith("|1|"):
        parts = field.split("|")
        if len(parts) != 4:
            return False
        try:
            digest = hmac.new(base64.b64decode(parts[2]), name.encode(), hashlib.sha1).digest()
        except ValueError:
            return False
        return base64.b64encode(digest).decode() == parts[3]
    matched = False
    for pattern in field.split(","):
        if pattern.startswith("!"):
            if _pattern_matches(pattern[1:], name):
                return False
        elif _pattern_matches(pattern, name):
            matched = True
    return matched


def _matching_lines(lines: list[str], name: str) -> list[tuple[int, dict]]:
    """(index, parsed line) of every line for ``name``, in file order (what ``ssh-keygen -F`` finds)."""
    found = []
    for index, line in enumerate(lines):
        parsed = _parse(line)
        if parsed and _host_matches(parsed["host"], name):
            found.append((index, parsed))
    return found


def _hashed(key: str) -> str:
    """``key`` with its (first) host name hashed, as ``ssh-keygen -H`` writes it."""
    fields = key.split()
    host = fields[0].split(",")[0].lower()
    if fields[0].startswith(("@", "|")) or any(char in host for char in "*?!"):
        return key
    salt = os.urandom(20)
    digest = hmac.new(salt, host.encode(), hashlib.sha1).digest()
    hashed = f"|1|{base64.b64encode(salt).decode()}|{base64.b64encode(digest).decode()}"
    return " ".join([hashed] + fields[1:]) + "\n"


def _search(matches: list[tuple[int, dict]], key: str | None) -> tuple[bool, bool, int | None]:
    """(host found, key to be replaced or added, index of the line of the same key type)."""
    if not matches:
        return False, False, None
    if not key:
        return True, False, None
    wanted = _parse(key)
    for index, line in matches:
        candidate = dict(wanted or {})
        if line["marker"] == "@cert-authority":
            if candidate == line:
                return True, False, index
            continue
        if candidate.get("host", "").startswith("|1|") and line["host"].startswith("|1|"):
            candidate["host"] = line["host"]     # an already hashed name keeps its salt
        if candidate == line:
            return True, False, index
        if candidate.get("type") == line["type"]:
            return True, True, index
    return True, True, None


def _write(module: AnsibleModule, path: str, content: str) -> None:
    """Replace ``path`` by ``content`` through a temporary file beside it (its directory must exist)."""
    try:
        handle = tempfile.NamedTemporaryFile("w", dir=os.path.dirname(path) or ".", delete=False)
    except OSError as exc:
        error = str(exc)
    else:
        error = ""
        with handle:
            handle.write(content)
        if os.path.exists(path):
            shutil.copymode(path, handle.name)
        else:
            os.chmod(handle.name, 0o666 & ~_umask())
        module.atomic_move(handle.name, path)
    if error:
        module.fail_json(msg=f"Failed to write to file '{path}': {error}")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


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
    name, key, path, state = params["name"].lower(), params["key"], params["path"], params["state"]
    if re.search(r"\S+(\s+)?,(\s+)?", name):
        module.fail_json(msg="Comma separated list of names is not supported. "
                             "Please pass a single name to lookup in the known_hosts file.")
    if state == "present" and key is None:
        module.fail_json(msg="No key specified when adding a host")
    if key:
        if not _matching_lines(key.splitlines()[:1], name):
            module.fail_json(msg="Host parameter does not match hashed host field in supplied key", rc=1)
        if not key.endswith("\n"):
            key += "\n"
        if params["hash_host"]:
            key = _hashed(key)

    exists = os.path.exists(path)
    before = ""
    if exists:
        with open(path) as handle:
            before = handle.read()
    lines = before.splitlines(keepends=True)
    found, replace, index = _search(_matching_lines(lines, name), key)

    after_lines = list(lines)
    if key and index is not None and (replace or state == "absent"):
        del after_lines[index]
    if state == "present" and (replace or not found):
        after_lines.append(key)
    after = "".join(after_lines)
    changed = (found and state == "absent" and (not key or index is not None)) or \
        (state == "present" and (replace or not found))
    diff = {"before_header": path if exists else "/dev/null", "after_header": path,
            "before": before, "after": after}
    if module.check_mode:
        module.exit_json(changed=changed, diff=diff)
    if changed:
        if state == "absent" and not key:
            # every key of the host goes, as ssh-keygen -R removes them (keeping PATH.old)
            kept = [line for line in lines if not ((parsed := _parse(line)) and not parsed["marker"]
                                                   and _host_matches(parsed["host"], name))]
            if kept != lines:
                shutil.copy2(path, f"{path}.old")
                _write(module, path, "".join(kept))
        else:
            _write(module, path, after)
    result = {"changed": changed, "diff": diff, "name": params["name"], "key": params["key"], "path": path,
              "hash_host": params["hash_host"], "state": state}
    if os.path.exists(path):
        result.update({k: v for k, v in path_info(path).items() if k != "path"})
    module.exit_json(**result)


if __name__ == "__main__":
    main()
