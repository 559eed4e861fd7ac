#!/usr/bin/python3
"""getent: entries of a name service database (passwd, group, hosts, ...) as facts."""
from __future__ import annotations

DOCUMENTATION = r"""
module: getent
short_description: A wrapper to the unix getent utility
description:
  - Runs C(getent) against one of the target's databases and returns its entries in the host's facts, as
    C(getent_<database>), a dict from each entry's first field to the list of its other fields.
  - An entry that appears several times (a host name with several addresses...) maps to a list of those
    lists.
options:
  database:
    description: The name of a getent database of the target (C(passwd), C(group), C(hosts), C(services)...).
    type: str
    required: true
  key:
    description: The entry to look up; without it, every entry of the database is returned.
    type: str
  service:
    description: Look the entry up with this service only (C(getent -s)), instead of the configured ones.
    type: str
  split:
    description:
      - The character that separates the fields of an entry, as C(:) or C(\t); by default C(:) for
        C(passwd), C(shadow), C(group) and C(gshadow), and runs of white space for the other databases.
      - It must not be empty.
    type: str
  fail_key:
    description: Fail when O(key) is not found; with C(false) the key maps to C(null) and the task succeeds.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  facts:
    support: full
notes:
  - Not all databases support enumeration (a lookup without O(key)); see the target's documentation.
"""

EXAMPLES = r"""
- getent:
    database: passwd
    key: root
- debug:
    var: ansible_facts.getent_passwd.root

- name: Get http service info, no error if missing
  getent:
    database: services
    key: http
    fail_key: false
"""

RETURN = r"""
ansible_facts:
  description: Facts to add to ansible_facts.
  returned: always
  type: dict
  contains:
    getent_<database>:
      description:
        - The entries found, by their first field; each a list of the other fields, or a list of such lists
          for an entry found more than once.
      returned: always
      type: dict
"""

from corral.module_utils.basic import AnsibleModule

#: databases whose fields are separated by ':' (the others: by white space)
_COLON_DATABASES = ("passwd", "shadow", "group", "gshadow")
#: getent's exit codes (other than 0) and what they mean
_FAILURES = {1: "Missing arguments, or database unknown.",
             2: "One or more supplied key could not be found in the database.",
             3: "Enumeration not supported on this database."}


def _entries(output: str, split: str | None) -> dict:
    """``getent``'s lines as {first field: other fields}, repeated entries as lists of those."""
    entries: dict = {}
    seen_twice: set[str] = set()
    for line in output.splitlines():
        fields = line.split(split)
        if not fields:
            continue
        name, values = fields[0], fields[1:]
        if name not in entries:
            entries[name] = values
        elif name in seen_twice:
            entries[name].append(values)
        else:
            entries[name] = [entries[name], values]
            seen_twice.add(name)
    return entries


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "database": {"type": "str", "required": True},
            "key": {"type": "str", "no_log": False},
            "service": {"type": "str"},
            "split": {"type": "str"},
            "fail_key": {"type": "bool", "default": True},
        },
        supports_check_mode=True,
    )
    params = module.params
    database, key, split = params["database"], params["key"], params["split"]
    if split is None:
        split = ":" if database in _COLON_DATABASES else None
    elif split == "":
        module.fail_json(msg="Invalid split value. The value must be a non-empty string")
    command = [module.get_bin_path("getent", True)]
    if params["service"] is not None:
        command += ["-s", params["service"]]
    command.append(database)
    if key is not None:
        command.append(key)
    rc, out, err = module.run_command(command)
    fact = f"getent_{database}"
    if rc == 0:
        module.exit_json(ansible_facts={fact: _entries(out, split)})
    msg = _FAILURES.get(rc, "Unexpected failure!")
    if rc == 2 and not params["fail_key"]:
        module.exit_json(ansible_facts={fact: {key: None}}, msg=msg)
    module.fail_json(msg=msg)


if __name__ == "__main__":
    main()
