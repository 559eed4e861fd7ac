#!/usr/bin/python3
"""dnf: packages on Fedora and Red Hat family hosts, through the ``dnf`` command (``yum`` is routed here)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: dnf
short_description: Manages packages with the dnf package manager
description:
  - Installs, upgrades and removes packages with the C(dnf) command (C(dnf5) with O(use_backend=dnf5), or with
    V(auto) on a host that only has C(dnf5)); which packages are installed is read with C(rpm -q). C(yum) tasks
    run this module, as ansible-core routes them.
  - Unlike ansible-core's module, which drives dnf's Python API, corral runs the command line; the options become
    its flags (C(--enablerepo), C(--exclude), C(--installroot), C(--setopt=install_weak_deps=False), ...).
  - Tested with a stand-in C(dnf) and C(rpm) that record their arguments, since dnf does not run on the machines
    corral is tested on.
options:
  use_backend:
    description: The dnf to run.
    type: str
    default: auto
    choices:
      auto: C(dnf5) when the host has only it, else C(dnf).
      dnf: The C(dnf) command.
      dnf4: An alias of V(dnf).
      dnf5: The C(dnf5) command.
      yum: An alias of V(auto).
      yum4: An alias of V(dnf).
extends_documentation_fragment: [dnf]
"""

EXAMPLES = r"""
- dnf:
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


def _binary(module: AnsibleModule) -> str:
    backend = module.params["use_backend"]
    if backend in ("dnf", "dnf4", "yum4"):
        return module.get_bin_path("dnf", required=True)
    if backend == "dnf5":
        return module.get_bin_path("dnf5", required=True)
    dnf = module.get_bin_path("dnf")
    return dnf or module.get_bin_path("dnf5", required=True)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            **ARGUMENT_SPEC,
            "use_backend": {"type": "str", "default": "auto",
                            "choices": ["auto", "dnf", "dnf4", "dnf5", "yum", "yum4"]},
        },
        required_one_of=[["name", "list", "update_cache"]],
        mutually_exclusive=[["name", "list"], ["best", "nobest"]],
        supports_check_mode=True,
    )
    run(module, _binary(module))


if __name__ == "__main__":
    main()
