#!/usr/bin/python3
"""dnf5: packages on Fedora and Red Hat family hosts, through the ``dnf5`` command."""
from __future__ import annotations

DOCUMENTATION = r"""
module: dnf5
short_description: Manages packages with dnf5
description:
  - Installs, upgrades and removes packages with the C(dnf5) command; which packages are installed is read with
    C(rpm -q). The work is M(dnf)'s, with C(dnf5) run instead of C(dnf).
  - Unlike ansible-core's module, which drives dnf's Python API, corral runs the command line; the options become
    its flags (C(--enablerepo), C(--exclude), C(--installroot), C(--setopt=install_weak_deps=False), ...).
  - Tested with a stand-in C(dnf) and C(rpm) that record their arguments, since dnf does not run on the machines
    corral is tested on.
options:
  auto_install_module_deps:
    description:
      - In ansible-core, installs C(python3-libdnf5), which the module needs. corral's implementation runs the
        C(dnf5) command and needs no Python library, so there is never anything to install.
    type: bool
    default: true
extends_documentation_fragment: [dnf]
"""

EXAMPLES = r"""
- dnf5:
    name: [httpd, mod_ssl]
    state: latest
"""

RETURN = r"""
results:
  description: What was done (or, with O(list), the packages).
  returned: always
  type: list
rc:
  description: The exit code of the dnf command run.
  returned: when a command ran
  type: int
"""

from corral.module_utils.basic import AnsibleModule
from corral_dnf.cli import ARGUMENT_SPEC, run


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            **ARGUMENT_SPEC,
            "auto_install_module_deps": {"type": "bool", "default": True},
        },
        required_one_of=[["name", "list", "update_cache"]],
        mutually_exclusive=[["name", "list"], ["best", "nobest"]],
        supports_check_mode=True,
    )
    run(module, module.get_bin_path("dnf5", required=True))


if __name__ == "__main__":
    main()
