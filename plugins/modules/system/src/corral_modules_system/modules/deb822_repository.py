#!/usr/bin/python3
"""deb822_repository: an apt source in deb822 format (``/etc/apt/sources.list.d/NAME.sources``)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: deb822_repository
short_description: Add and remove deb822 formatted repositories
description:
  - Writes the source O(name) to C(/etc/apt/sources.list.d/NAME.sources) in deb822 format, one field per option
    given (in the order of the option names, as ansible-core writes them), or removes it with its key file.
  - O(signed_by) may be an armored key (kept in the file), a fingerprint or a keyring path (written as given), or a
    URL whose key is downloaded to C(/etc/apt/keyrings/NAME.asc) (C(.gpg) for a binary key).
  - corral writes the file itself and needs no Python C(debian) library on the target.
options:
  name:
    description: The source's name (C(X-Repolib-Name)), which also names its files.
    type: str
    required: true
  state:
    description: Whether the source should be there.
    type: str
    choices: [absent, present]
    default: present
  types:
    description: The package types (C(Types)).
    type: list
    elements: str
    choices: [deb, deb-src]
    default: [deb]
  uris:
    description: The archive base URIs (C(URIs)).
    type: list
    elements: str
  suites:
    description: The suites (C(Suites)); one ending in C(/) is an exact path, without components.
    type: list
    elements: str
  components:
    description: The components (C(Components)).
    type: list
    elements: str
  architectures:
    description: C(Architectures).
    type: list
    elements: str
  languages:
    description: C(Languages).
    type: list
    elements: str
  targets:
    description: C(Targets).
    type: list
    elements: str
  signed_by:
    description: The key (C(Signed-By)), see above.
    type: str
  enabled:
    description: C(Enabled).
    type: bool
  trusted:
    description: C(Trusted).
    type: bool
  allow_insecure:
    description: C(Allow-Insecure).
    type: bool
  allow_weak:
    description: C(Allow-Weak).
    type: bool
  allow_downgrade_to_insecure:
    description: C(Allow-Downgrade-To-Insecure).
    type: bool
  by_hash:
    description: C(By-Hash).
    type: bool
  check_date:
    description: C(Check-Date).
    type: bool
  check_valid_until:
    description: C(Check-Valid-Until).
    type: bool
  date_max_future:
    description: C(Date-Max-Future), in seconds.
    type: int
  inrelease_path:
    description: C(Inrelease-Path).
    type: str
  pdiffs:
    description: C(Pdiffs).
    type: bool
  include:
    description: C(Include) (apt 3.1 and later).
    type: list
    elements: str
  exclude:
    description: C(Exclude) (apt 3.1 and later).
    type: list
    elements: str
  mode:
    description: The mode of the file.
    type: raw
    default: '0644'
  install_python_debian:
    description:
      - In ansible-core, installs the Python C(debian) library the module needs. corral's implementation does not
        use it, so there is never anything to install.
    type: bool
    default: false
"""

EXAMPLES = r"""
- deb822_repository:
    name: example
    types: [deb]
    uris: https://dl.example.com/debian
    suites: [stable]
    components: [main]
    signed_by: https://dl.example.com/key.asc
"""

RETURN = r"""
dest:
  description: The path of the file.
  returned: always
  type: str
key_filename:
  description: The path of the downloaded key, or null.
  returned: always
  type: str
repo:
  description: The file's content (null when removed).
  returned: always
  type: str
"""

import os
import re

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.urls import fetch_url

SOURCES_DIR = "/etc/apt/sources.list.d"
KEYRINGS_DIR = "/etc/apt/keyrings"
#: option -> field, where the field is not the option's words capitalized and joined with ``-``
_FIELDS = {"name": "X-Repolib-Name", "uris": "URIs"}
_NOT_FIELDS = ("state", "mode", "install_python_debian")


def _field(option: str) -> str:
    return _FIELDS.get(option) or "-".join(word.capitalize() for word in option.split("_"))


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value)


def _multiline(text: str) -> str:
    """A field value of several lines: each continuation line indented, empty ones written ``.``."""
    lines = text.strip("\n").splitlines()
    return "\n" + "\n".join(f"    {line.strip() or '.'}" for line in lines)


def _key(module: AnsibleModule, name: str, signed_by: str) -> tuple[str, str | None, bool]:
    """The C(Signed-By) value, the key file written (or ``None``) and whether that changed anything."""
    if not re.match(r"^[a-z][a-z0-9+.-]*://", signed_by):
        if "\n" in signed_by.strip():
            return _multiline(signed_by), None, False
        return signed_by, None, False
    response, info = fetch_url(module, signed_by)
    if response is None or info["status"] not in (200, None):   # a file: URL has no status
        module.fail_json(msg=f"Failed to download key at {signed_by}: {info['msg']}")
    data = response.read()
    armored = b"-----BEGIN PGP PUBLIC KEY BLOCK-----" in data
    path = os.path.join(KEYRINGS_DIR, f"{name}.{'asc' if armored else 'gpg'}")
    changed = True
    if os.path.exists(path):
        with open(path, "rb") as handle:
            changed = handle.read() != data
    if changed and not module.check_mode:
        os.makedirs(KEYRINGS_DIR, mode=0o755, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        os.chmod(path, 0o644)
    return path, path, changed


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "allow_downgrade_to_insecure": {"type": "bool"},
            "allow_insecure": {"type": "bool"},
            "allow_weak": {"type": "bool"},
            "architectures": {"type": "list", "elements": "str"},
            "by_hash": {"type": "bool"},
            "check_date": {"type": "bool"},
            "check_valid_until": {"type": "bool"},
            "components": {"type": "list", "elements": "str"},
            "date_max_future": {"type": "int"},
            "enabled": {"type": "bool"},
            "exclude": {"type": "list", "elements": "str"},
            "include": {"type": "list", "elements": "str"},
            "inrelease_path": {"type": "str"},
            "install_python_debian": {"type": "bool", "default": False},
            "languages": {"type": "list", "elements": "str"},
            "mode": {"type": "raw", "default": "0644"},
            "name": {"type": "str", "required": True},
            "pdiffs": {"type": "bool"},
            "signed_by": {"type": "str"},
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
            "suites": {"type": "list", "elements": "str"},
            "targets": {"type": "list", "elements": "str"},
            "trusted": {"type": "bool"},
            "types": {"type": "list", "elements": "str", "default": ["deb"], "choices": ["deb", "deb-src"]},
            "uris": {"type": "list", "elements": "str"},
        },
        mutually_exclusive=[["include", "exclude"]],
        supports_check_mode=True,
    )
    params = module.params
    name = params["name"]
    dest = os.path.join(SOURCES_DIR, re.sub(r"[^a-zA-Z0-9._-]", "-", name) + ".sources")
    if params["state"] == "absent":
        key_files = [os.path.join(KEYRINGS_DIR, f"{name}.{suffix}") for suffix in ("asc", "gpg")]
        existing = [path for path in [dest] + key_files if os.path.exists(path)]
        if existing and not module.check_mode:
            for path in existing:
                os.remove(path)
        module.exit_json(changed=bool(existing), dest=dest, repo=None,
                         key_filename=next((path for path in key_files if os.path.exists(path)), key_files[1]))
    changed = False
    key_filename = None
    fields = []
    for option in sorted(params):
        value = params[option]
        if option in _NOT_FIELDS or value is None:
            continue
        if option == "signed_by":
            text, key_filename, changed = _key(module, name, value)
        else:
            text = _value(value)
        fields.append(f"{_field(option)}:{'' if text.startswith(chr(10)) else ' '}{text}")
    repo = "\n".join(fields) + "\n"
    current = None
    if os.path.exists(dest):
        with open(dest, encoding="utf-8") as handle:
            current = handle.read()
    changed = changed or current != repo
    result = {"changed": changed, "dest": dest, "repo": repo, "key_filename": key_filename}
    if module.check_mode:
        module.exit_json(**result)
    if current != repo:
        staging = f"{dest}.corral-tmp"
        with open(staging, "w", encoding="utf-8") as handle:
            handle.write(repo)
        os.replace(staging, dest)
    result["changed"] = module.set_mode_if_different(dest, params["mode"], changed)
    module.exit_json(**module.add_path_info(result))


if __name__ == "__main__":
    main()
