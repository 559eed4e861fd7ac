#!/usr/bin/python3
"""rpm_key: public keys in the RPM database."""
from __future__ import annotations

DOCUMENTATION = r"""
module: rpm_key
short_description: Adds or removes a gpg key from the rpm db
description:
  - Imports a public key into the RPM database (C(rpmkeys --import)) unless a key of the same id is there, or
    removes it (C(rpm --erase --allmatches gpg-pubkey-ID)). The key's id is read with C(gpg).
  - Tested with a stand-in C(rpm)/C(rpmkeys) that records its arguments, since RPM does not run on the machines
    corral is tested on.
options:
  key:
    description:
      - The key, as a URL, a file on the host or, to remove it, its id (8, 16 or 40 hexadecimal digits, with or
        without C(0x)).
    type: str
    required: true
  state:
    description: Whether the key should be in the database.
    type: str
    choices: [absent, present]
    default: present
  validate_certs:
    description: Validate the HTTPS certificate of a key URL.
    type: bool
    default: 'yes'
  fingerprint:
    description: The fingerprints the key (or one of its subkeys) must have; another key is refused.
    type: list
    elements: str
"""

EXAMPLES = r"""
- rpm_key:
    key: https://download.example.com/RPM-GPG-KEY-example
    fingerprint: EBC6 E12C 62B1 C734 026B 2122 A20E 5214 6B8D 79E6
"""

RETURN = r"""
changed:
  description: Whether the database changed.
  returned: always
  type: bool
"""

import os
import re
import tempfile

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.urls import fetch_url

_KEY_ID = re.compile(r"^(?:0x)?([0-9a-fA-F]{8}|[0-9a-fA-F]{16}|[0-9a-fA-F]{40})$")


def _key_details(module: AnsibleModule, path: str) -> tuple[str, list[str]]:
    """The key's short id (lowercase) and the fingerprints of the key and its subkeys."""
    gpg = module.get_bin_path("gpg", required=True)
    with tempfile.TemporaryDirectory() as home:
        rc, out, err = module.run_command([gpg, "--homedir", home, "--no-tty", "--batch", "--with-colons",
                                           "--fixed-list-mode", "--with-fingerprint", "--show-keys", path])
    key_id = ""
    fingerprints = []
    for line in out.splitlines():
        fields = line.split(":")
        if fields[0] == "pub" and len(fields) > 4 and not key_id:
            key_id = fields[4][-8:].lower()
        elif fields[0] == "fpr" and len(fields) > 9:
            fingerprints.append(fields[9].upper())
    if not key_id:
        module.fail_json(msg=f"Not a public key: {module.params['key']}")
    return key_id, fingerprints


def _installed(module: AnsibleModule) -> set[str]:
    rpm = module.get_bin_path("rpm", required=True)
    rc, out, _err = module.run_command([rpm, "-q", "gpg-pubkey"])
    return {match.group(1).lower() for match in re.finditer(r"gpg-pubkey-([0-9a-fA-F]+)-", out)}


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "key": {"type": "str", "required": True, "no_log": False},
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
            "validate_certs": {"type": "bool", "default": True},
            "fingerprint": {"type": "list", "elements": "str"},
        },
        supports_check_mode=True,
    )
    key, state = module.params["key"], module.params["state"]
    with tempfile.TemporaryDirectory() as scratch:
        path = None
        if re.match(r"^(https?|ftp|file)://", key):
            response, info = fetch_url(module, key)
            if response is None or info["status"] not in (200, None):
                module.fail_json(msg=f"failed to fetch key at {key} , error was: {info['msg']}")
            path = os.path.join(scratch, "key")
            with open(path, "wb") as handle:
                handle.write(response.read())
        elif os.path.isfile(key):
            path = key
        fingerprints: list[str] = []
        if path is not None:
            key_id, fingerprints = _key_details(module, path)
        else:
            match = _KEY_ID.match(key)
            if match is None or state == "present":
                module.fail_json(msg=f"Not a valid key {key}")
            key_id = match.group(1)[-8:].lower()
        wanted = [re.sub(r"\s", "", fingerprint).upper() for fingerprint in module.params["fingerprint"] or []]
        for fingerprint in wanted:
            if fingerprint not in fingerprints:
                module.fail_json(msg=f"The specified fingerprint, '{fingerprint}', does not match any key fingerprints "
                                     f"in '{key}': {fingerprints}")
        present = key_id in _installed(module)
        changed = present != (state == "present")
        if changed and not module.check_mode:
            if state == "present":
                tool = module.get_bin_path("rpmkeys") or module.get_bin_path("rpm", required=True)
                module.run_command([tool, "--import", path], check_rc=True)
            else:
                module.run_command([module.get_bin_path("rpm", required=True), "--erase", "--allmatches",
                                    f"gpg-pubkey-{key_id}"], check_rc=True)
    module.exit_json(changed=changed)


if __name__ == "__main__":
    main()
