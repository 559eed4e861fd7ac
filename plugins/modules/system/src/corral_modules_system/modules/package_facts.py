#!/usr/bin/python3
"""package_facts: the installed packages, from the host's package managers."""
from __future__ import annotations

DOCUMENTATION = r"""
module: package_facts
short_description: Package information as facts
description:
  - Sets the fact C(packages), each installed package by name, as a list (a package can be installed in several
    versions or architectures) of dicts with C(name), C(version), C(source) (the manager) and what the manager
    tells (C(arch), C(category), C(origin) for apt; C(release), C(epoch) for rpm).
  - V(apt) reads the cache through C(python3-apt), as Ansible does; when the module's Python lacks it, the
    system's Python that has it does the reading. V(rpm) runs C(rpm -qa), V(apk) C(apk info -v) and V(pacman)
    C(pacman -Q). A requested manager that cannot be used gives a warning.
options:
  manager:
    description: The package managers to ask, in order; V(auto) tries every supported one.
    type: list
    elements: str
    choices:
      auto: Every supported manager, in order (see O(strategy)).
      apt: Debian packages (needs C(python3-apt) on the target).
      rpm: RPM packages.
      yum: An alias of rpm.
      dnf: An alias of rpm.
      dnf5: An alias of rpm.
      zypper: An alias of rpm.
      apk: Alpine packages.
      pacman: Arch Linux packages.
      portage: Gentoo packages (not supported by corral; gives a warning).
      pkg: FreeBSD packages (not supported by corral; gives a warning).
      pkgng: An alias of pkg.
      pkg5: An alias of pkg.
      pkg_info: OpenBSD packages (not supported by corral; gives a warning).
      openbsd_pkg: An alias of pkg_info.
    default: [auto]
  strategy:
    description: With several managers, use the V(first) that works, or V(all) of them.
    type: str
    choices:
      first: Only the first manager that works.
      all: Every manager that works.
    default: first
"""

EXAMPLES = r"""
- package_facts:
- debug:
    msg: "{{ ansible_facts.packages['openssh-server'][0].version }}"
  when: "'openssh-server' in ansible_facts.packages"
"""

RETURN = r"""
ansible_facts:
  description: C(packages), the installed packages by name.
  returned: always
  type: dict
"""

import json
import os
import subprocess
import sys

from corral.module_utils.basic import AnsibleModule

_ALIASES = {"yum": "rpm", "dnf": "rpm", "dnf5": "rpm", "zypper": "rpm", "pkgng": "pkg", "pkg5": "pkg",
            "openbsd_pkg": "pkg_info"}
_AUTO_ORDER = ("apk", "apt", "pacman", "pkg", "pkg_info", "portage", "rpm")

#: run by a Python that has python3-apt: the installed packages as JSON
_APT_READER = """
import json, apt
cache = apt.Cache()
out = []
for package in cache:
    if package.is_installed:
        version = package.installed
        origins = version.origins
        out.append({"name": package.name, "version": version.version, "arch": version.architecture,
                    "category": version.section, "origin": origins[0].origin if origins else ""})
print(json.dumps(out))
"""


class _Unusable(Exception):
    """The manager cannot be used here (its tool or library is missing)."""


def _apt(module: AnsibleModule) -> list[dict]:
    for python in [sys.executable, "/usr/bin/python3", "/usr/bin/python"]:
        if not os.path.exists(python):
            continue
        proc = subprocess.run([python, "-c", _APT_READER], capture_output=True, text=True)
        if proc.returncode == 0:
            return json.loads(proc.stdout)
    raise _Unusable("Failed to import the required Python library (apt) on this host's Python")


def _tool(module: AnsibleModule, name: str) -> str:
    path = module.get_bin_path(name)
    if path is None:
        searched = ":".join(os.environ.get("PATH", "").split(os.pathsep))
        raise _Unusable(f'Failed to find required executable "{name}" in paths: {searched}')
    return path


def _rpm(module: AnsibleModule) -> list[dict]:
    rpm = _tool(module, "rpm")
    rc, out, err = module.run_command([rpm, "-qa", "--queryformat",
                                       "%{NAME}\t%{VERSION}\t%{RELEASE}\t%{EPOCH}\t%{ARCH}\n"])
    if rc != 0:
        raise _Unusable(err.strip())
    packages = []
    for line in out.splitlines():
        name, version, release, epoch, arch = (line.split("\t") + [""] * 5)[:5]
        packages.append({"name": name, "version": version, "release": release,
                         "epoch": None if epoch in ("(none)", "") else int(epoch), "arch": arch})
    return packages


def _apk(module: AnsibleModule) -> list[dict]:
    apk = _tool(module, "apk")
    rc, out, _err = module.run_command([apk, "info", "-v"])
    packages = []
    for line in out.splitlines():
        parts = line.rsplit("-", 2)
        if len(parts) == 3:
            packages.append({"name": parts[0], "version": f"{parts[1]}-{parts[2]}"})
    return packages


def _pacman(module: AnsibleModule) -> list[dict]:
    pacman = _tool(module, "pacman")
    rc, out, _err = module.run_command([pacman, "-Q"])
    return [{"name": name, "version": version}
            for name, _sep, version in (line.partition(" ") for line in out.splitlines())]


_READERS = {"apt": _apt, "rpm": _rpm, "apk": _apk, "pacman": _pacman}


def main() -> None:
    choices = ["auto", "apt", "rpm", "yum", "dnf", "dnf5", "zypper", "apk", "pacman", "portage", "pkg", "pkgng",
               "pkg5", "pkg_info", "openbsd_pkg"]
    module = AnsibleModule(
        argument_spec={
            "manager": {"type": "list", "elements": "str", "default": ["auto"]},
            "strategy": {"type": "str", "default": "first", "choices": ["first", "all"]},
        },
        supports_check_mode=True,
    )
    requested = module.params["manager"]
    unsupported = [name for name in requested if name not in choices]
    if unsupported:
        module.fail_json(msg=f"Unsupported package managers requested: {', '.join(unsupported)}")
    auto = "auto" in requested
    names = list(_AUTO_ORDER) if auto else [_ALIASES.get(name, name) for name in requested]
    packages: dict[str, list[dict]] = {}
    found = False
    for name in dict.fromkeys(names):
        reader = _READERS.get(name)
        try:
            if reader is None:
                raise _Unusable(f"corral does not read {name} packages")
            listed = reader(module)
        except _Unusable as exc:
            if not auto:
                module.warn(f"Requested package manager {name} was not usable by this module: {exc}")
            continue
        found = True
        for package in listed:
            package["source"] = name
            packages.setdefault(package["name"], []).append(package)
        if module.params["strategy"] == "first":
            break
    if not found:
        module.fail_json(msg=f"Could not detect a supported package manager from the following list: {names}, "
                             "or the required Python library is not installed. Check warnings for details.")
    module.exit_json(ansible_facts={"packages": packages})


if __name__ == "__main__":
    main()
