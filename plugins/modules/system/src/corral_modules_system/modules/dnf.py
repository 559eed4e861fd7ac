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
  name:
    description: Package names or specifiers (C(name-1.0), C(@group), a local C(.rpm) path or URL); C(*) with
      O(state=latest) upgrades everything.
    type: list
    elements: str
    aliases: [pkg]
    default: []
  list:
    description: List packages (C(installed), C(updates), C(available), C(repos) or a name), as C(dnf list) does.
    type: str
  state:
    description: V(present)/V(installed), V(latest), or V(absent)/V(removed); V(present) when not given.
    type: str
    choices: [absent, present, installed, removed, latest]
  enablerepo:
    description: Repositories to enable for the transaction.
    type: list
    elements: str
    default: []
  disablerepo:
    description: Repositories to disable for the transaction.
    type: list
    elements: str
    default: []
  conf_file:
    description: The dnf configuration file.
    type: str
  disable_gpg_check:
    description: Do not check the packages' signatures.
    type: bool
    default: 'no'
  installroot:
    description: The root to install into.
    type: str
    default: /
  releasever:
    description: The release to install from.
    type: str
  autoremove:
    description: Remove the packages nothing needs any more.
    type: bool
    default: 'no'
  exclude:
    description: Packages to leave out.
    type: list
    elements: str
    default: []
  skip_broken:
    description: Skip unavailable packages and broken dependencies.
    type: bool
    default: 'no'
  update_cache:
    description: Refresh the metadata first (C(dnf makecache --refresh)).
    type: bool
    default: 'no'
    aliases: [expire-cache]
  update_only:
    description: With V(latest), only upgrade installed packages.
    type: bool
    default: 'no'
  security:
    description: With V(latest), only security updates.
    type: bool
    default: 'no'
  bugfix:
    description: With V(latest), only bug fix updates.
    type: bool
    default: 'no'
  enable_plugin:
    description: Plugins to enable.
    type: list
    elements: str
    default: []
  disable_plugin:
    description: Plugins to disable.
    type: list
    elements: str
    default: []
  disable_excludes:
    description: Disable the excludes of the configuration (C(all), C(main) or a repository id).
    type: str
  validate_certs:
    description: Validate the HTTPS certificate of a package URL (corral downloads it, then installs the file).
    type: bool
    default: 'yes'
  sslverify:
    description: Verify the repositories' certificates.
    type: bool
    default: 'yes'
  allow_downgrade:
    description:
      - Allow a specifier with a version (C(name-1.0)) to replace another installed version of the package; without
        it such a package is left as it is.
    type: bool
    default: 'no'
  install_weak_deps:
    description: Install weak dependencies.
    type: bool
    default: 'yes'
  download_only:
    description: Download the packages, install nothing.
    type: bool
    default: 'no'
  download_dir:
    description: Where O(download_only) puts the packages.
    type: str
  lock_timeout:
    description: Seconds to wait for dnf's lock.
    type: int
    default: 30
  cacheonly:
    description: Use the cache only.
    type: bool
    default: 'no'
  allowerasing:
    description: Allow erasing installed packages to resolve dependencies.
    type: bool
    default: 'no'
  nobest:
    description: Allow other than the best candidates (the opposite of O(best)).
    type: bool
  best:
    description: Install the best candidates or fail.
    type: bool
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
from corral_dnf.cli import run


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
            "name": {"type": "list", "elements": "str", "aliases": ["pkg"], "default": []},
            "list": {"type": "str"},
            "state": {"type": "str", "choices": ["absent", "present", "installed", "removed", "latest"]},
            "enablerepo": {"type": "list", "elements": "str", "default": []},
            "disablerepo": {"type": "list", "elements": "str", "default": []},
            "conf_file": {"type": "str"},
            "disable_gpg_check": {"type": "bool", "default": False},
            "installroot": {"type": "str", "default": "/"},
            "releasever": {"type": "str"},
            "autoremove": {"type": "bool", "default": False},
            "exclude": {"type": "list", "elements": "str", "default": []},
            "skip_broken": {"type": "bool", "default": False},
            "update_cache": {"type": "bool", "default": False, "aliases": ["expire-cache"]},
            "update_only": {"type": "bool", "default": False},
            "security": {"type": "bool", "default": False},
            "bugfix": {"type": "bool", "default": False},
            "enable_plugin": {"type": "list", "elements": "str", "default": []},
            "disable_plugin": {"type": "list", "elements": "str", "default": []},
            "disable_excludes": {"type": "str"},
            "validate_certs": {"type": "bool", "default": True},
            "sslverify": {"type": "bool", "default": True},
            "allow_downgrade": {"type": "bool", "default": False},
            "install_weak_deps": {"type": "bool", "default": True},
            "download_only": {"type": "bool", "default": False},
            "download_dir": {"type": "str"},
            "lock_timeout": {"type": "int", "default": 30},
            "cacheonly": {"type": "bool", "default": False},
            "allowerasing": {"type": "bool", "default": False},
            "nobest": {"type": "bool"},
            "best": {"type": "bool"},
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
