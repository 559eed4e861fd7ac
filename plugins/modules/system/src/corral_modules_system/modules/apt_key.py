#!/usr/bin/python3
"""apt_key: keys in apt's trusted keyrings, through ``apt-key`` (deprecated, as in Ansible)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: apt_key
short_description: Add or remove an apt key
description:
  - Adds a key to apt's trusted keys (or to O(keyring)) from O(data), a O(file), a O(url) or a O(keyserver), or
    removes one, with C(apt-key); a key already there (or already absent) is left alone.
  - Deprecated, as in ansible-core: use M(deb822_repository) with C(signed_by) instead.
  - Needs C(apt-key) and C(gpg) on the target.
options:
  id:
    description:
      - The key's id (8 or 16 hexadecimal digits) or fingerprint (40), with or without C(0x). Without it, the id
        is read from the key given.
    type: str
  data:
    description: The key itself (armored or binary).
    type: str
  file:
    description: A file on the target that holds the key.
    type: path
  keyring:
    description: The keyring (under C(/etc/apt/trusted.gpg.d/)) to add the key to instead of apt's default one.
    type: path
  url:
    description: The URL to download the key from.
    type: str
  keyserver:
    description: The keyserver to receive the key O(id) from.
    type: str
  state:
    description: Whether the key should be there.
    type: str
    choices: [absent, present]
    default: present
  validate_certs:
    description: Validate the HTTPS certificate of O(url).
    type: bool
    default: true
"""

EXAMPLES = r"""
- apt_key:
    url: https://example.com/apt/key.asc
    keyring: /etc/apt/trusted.gpg.d/example.gpg
- apt_key:
    id: 9FED2BCBDCD29CDF762678CBAED4B06F473041FA
    state: absent
"""

RETURN = r"""
after:
  description: The ids of the keys after a change (as long as O(id)).
  returned: on change
  type: list
before:
  description: The ids of the keys before.
  returned: always
  type: list
fp:
  description: The key's id as listed (the long id of a fingerprint).
  returned: always
  type: str
id:
  description: The key's id as given (or read from the key).
  returned: always
  type: str
key_id:
  description: The key's id as given (or read from the key).
  returned: always
  type: str
short_id:
  description: The last 8 digits of the id.
  returned: always
  type: str
"""

import os
import re
import tempfile

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.urls import fetch_url

_HEX_ID = re.compile(r"^(?:[0-9A-F]{8}|[0-9A-F]{16}|[0-9A-F]{40})$")


def _normalized_id(raw: str) -> str | None:
    """``raw`` as upper-case hexadecimal without ``0x`` and spaces, or ``None`` when it is no key id."""
    key_id = raw.replace(" ", "").upper()
    key_id = key_id[2:] if key_id.startswith("0X") else key_id
    return key_id if _HEX_ID.match(key_id) else None


def _apt_key(module: AnsibleModule, keyring: str | None) -> list[str]:
    command = [module.get_bin_path("apt-key", required=True)]
    return command + (["--keyring", keyring] if keyring else [])


def _installed(module: AnsibleModule, keyring: str | None, length: int) -> list[str]:
    """The ids of the (sub)keys apt trusts, as the last ``length`` digits of their long ids."""
    rc, out, err = module.run_command(_apt_key(module, keyring) + ["adv", "--with-colons", "--fixed-list-mode",
                                                                    "--list-public-keys"],
                                      environ_update={"APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE": "1"})
    if rc != 0 and keyring and os.path.exists(keyring):
        module.fail_json(msg=f"Unable to list the keys of {keyring}: {err.strip()}", rc=rc)
    ids: list[str] = []
    for line in out.splitlines():
        fields = line.split(":")
        if fields[0] in ("pub", "sub") and len(fields) > 4:
            ids.append(fields[4].upper()[-length:])
    return ids


def _id_of(module: AnsibleModule, path: str) -> str:
    gpg = module.get_bin_path("gpg", required=True)
    with tempfile.TemporaryDirectory() as home:
        rc, out, err = module.run_command([gpg, "--homedir", home, "--batch", "--no-tty", "--with-colons",
                                           "--fixed-list-mode", "--show-keys", path])
    for line in out.splitlines():
        fields = line.split(":")
        if fields[0] == "pub" and len(fields) > 4:
            return fields[4].upper()
    module.fail_json(msg=f"Unable to read a key from the data given: {err.strip()}")


def _download(module: AnsibleModule, url: str) -> bytes:
    response, info = fetch_url(module, url)
    if info["status"] != 200 or response is None:
        module.fail_json(msg=f"Failed to download key at {url}: {info['msg']}")
    return response.read()


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "id": {"type": "str"},
            "url": {"type": "str"},
            "data": {"type": "str"},
            "file": {"type": "path"},
            "keyring": {"type": "path"},
            "validate_certs": {"type": "bool", "default": True},
            "keyserver": {"type": "str"},
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
        },
        supports_check_mode=True,
        mutually_exclusive=[["data", "file", "keyserver", "url"]],
    )
    module.deprecate("apt_key has been deprecated. Use deb822_repository instead.", version="2.25",
                     collection_name="ansible.builtin")
    params = module.params
    keyring = params["keyring"]
    source_path = params["file"]
    data: bytes | None = params["data"].encode() if params["data"] is not None else None
    if params["url"] and not params["id"]:
        data = _download(module, params["url"])
    key_id: str | None
    with tempfile.TemporaryDirectory() as scratch:
        if data is not None:
            source_path = os.path.join(scratch, "key")
            with open(source_path, "wb") as handle:
                handle.write(data)
        if params["id"]:
            key_id = _normalized_id(params["id"])
        elif source_path and params["state"] == "present":
            key_id = _id_of(module, source_path)
        else:
            key_id = None
        if key_id is None:
            module.fail_json(msg="Invalid key_id", id=params["id"])
        # a fingerprint is looked up by its long id, as apt-key lists keys
        short_form = key_id[-16:] if len(key_id) == 40 else key_id
        ids = _installed(module, keyring, len(short_form))
        result = {"changed": False, "before": ids, "id": params["id"] or key_id, "key_id": key_id, "fp": short_form,
                  "short_id": key_id[-8:]}
        present = short_form in ids
        wanted = params["state"] == "present"
        if present == wanted:
            module.exit_json(**result)
        result["changed"] = True
        if module.check_mode:
            module.exit_json(**result)
        command = _apt_key(module, keyring)
        if not wanted:
            command += ["del", key_id]
        elif params["keyserver"]:
            command += ["adv", "--no-tty", "--keyserver", params["keyserver"], "--recv", key_id]
        elif source_path:
            command += ["add", source_path]
        elif params["url"]:
            source_path = os.path.join(scratch, "key")
            with open(source_path, "wb") as handle:
                handle.write(_download(module, params["url"]))
            command += ["add", source_path]
        else:
            module.fail_json(msg="No key to add: give data, file, url or keyserver", **result)
        rc, out, err = module.run_command(command, environ_update={"APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE": "1"})
        if rc != 0:
            module.fail_json(msg=f"error running {' '.join(command)}: {err.strip()}", rc=rc, stdout=out,
                             stderr=err, **result)
        result["after"] = _installed(module, keyring, len(short_form))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
