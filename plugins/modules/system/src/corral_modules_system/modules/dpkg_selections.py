#!/usr/bin/python3
"""dpkg_selections: a package's selection state in dpkg (hold, install, deinstall, purge)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: dpkg_selections
short_description: Dpkg package selection selections
description:
  - Sets a package's selection state with C(dpkg --set-selections), for instance to hold it at its version.
  - The package must be known to dpkg (installed, or in its database); C(DPKG_ADMINDIR) selects another database.
options:
  name:
    description: The package.
    type: str
    required: true
  selection:
    description: The selection state.
    type: str
    choices: [install, hold, deinstall, purge]
    required: true
"""

EXAMPLES = r"""
- dpkg_selections:
    name: python3
    selection: hold
"""

RETURN = r"""
before:
  description: The selection before.
  returned: success
  type: str
after:
  description: The selection asked for.
  returned: success
  type: str
"""

from corral.module_utils.basic import AnsibleModule


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "selection": {"type": "str", "required": True, "choices": ["install", "hold", "deinstall", "purge"]},
        },
        supports_check_mode=True,
    )
    dpkg = module.get_bin_path("dpkg", required=True)
    name, selection = module.params["name"], module.params["selection"]
    rc, out, _err = module.run_command([dpkg, "--get-selections", name], check_rc=True)
    fields = out.split()
    if len(fields) < 2:
        module.fail_json(msg=f"Failed to find package '{name}' to perform selection '{selection}'.")
    current = fields[1]
    changed = current != selection
    if changed and not module.check_mode:
        module.run_command([dpkg, "--set-selections"], data=f"{name} {selection}", check_rc=True)
    module.exit_json(changed=changed, before=current, after=selection)


if __name__ == "__main__":
    main()
