#!/usr/bin/python3
"""apt: Debian packages."""
from __future__ import annotations

DOCUMENTATION = r"""
module: apt
short_description: Manage Debian packages with apt
description:
  - Installs, upgrades or removes packages with C(apt-get), or installs a local C(.deb) file with O(deb).
options:
  name:
    description: Package names, optionally with a version (C(nginx=1.22*)).
    type: list
    elements: str
    aliases: [package, pkg]
  state:
    type: str
    choices: [absent, latest, present, fixed, build-dep]
    default: present
  update_cache:
    description: Run C(apt-get update) first.
    type: bool
    default: false
    aliases: [update-cache]
  cache_valid_time:
    description: Skip the update when the cache is younger than this many seconds.
    type: int
    default: 0
  deb:
    description: A local C(.deb) file to install.
    type: path
  purge:
    type: bool
    default: false
  install_recommends:
    type: bool
    aliases: [install-recommends]
  autoremove:
    type: bool
    default: false
"""

EXAMPLES = r"""
- apt:
    name: [nginx, curl]
    update_cache: true
    cache_valid_time: 3600
"""

RETURN = r"""
cache_updated:
  description: Whether the cache was updated.
  returned: success
  type: bool
stdout:
  description: apt-get's output.
  returned: when a command ran
  type: str
"""

import os
import time

from corral.module_utils.basic import AnsibleModule

_ENV = {"DEBIAN_FRONTEND": "noninteractive", "DEBIAN_PRIORITY": "critical", "LANG": "C", "LC_ALL": "C"}


def installed_version(module: AnsibleModule, name: str) -> str | None:
    rc, out, _err = module.run_command(["dpkg-query", "-W", "-f=${Status}\t${Version}", name],
                                       environ_update=_ENV)
    if rc != 0 or "\t" not in out:
        return None
    status, version = out.split("\t", 1)
    return version if status.endswith(" installed") else None


def _deb_field(module: AnsibleModule, deb: str, field: str) -> str:
    rc, out, err = module.run_command(["dpkg-deb", "-f", deb, field])
    if rc != 0:
        module.fail_json(msg=f"Unable to read {deb}: {err.strip()}")
    return out.strip()


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "list", "elements": "str", "aliases": ["package", "pkg"]},
            "state": {"type": "str", "default": "present",
                      "choices": ["absent", "build-dep", "fixed", "latest", "present"]},
            "update_cache": {"type": "bool", "default": False, "aliases": ["update-cache"]},
            "cache_valid_time": {"type": "int", "default": 0},
            "deb": {"type": "path"},
            "purge": {"type": "bool", "default": False},
            "install_recommends": {"type": "bool", "aliases": ["install-recommends"]},
            "autoremove": {"type": "bool", "default": False},
            "force": {"type": "bool", "default": False},
            "dpkg_options": {"type": "str", "default": "force-confdef,force-confold"},
            "default_release": {"type": "str", "aliases": ["default-release"]},
            "allow_downgrade": {"type": "bool", "default": False},
            "lock_timeout": {"type": "int", "default": 60},
        },
        mutually_exclusive=[["deb", "name"]],
        required_one_of=[["name", "deb", "update_cache", "autoremove"]],
        supports_check_mode=True,
    )
    params = module.params
    apt_get = module.get_bin_path("apt-get")
    if apt_get is None:
        module.fail_json(msg="apt-get was not found: this target does not use apt")
    result: dict = {"changed": False, "cache_updated": False}

    if params["update_cache"]:
        stamp = "/var/lib/apt/periodic/update-success-stamp"
        lists = "/var/lib/apt/lists"
        mtime = max((os.path.getmtime(p) for p in (stamp, lists) if os.path.exists(p)), default=0)
        if not params["cache_valid_time"] or time.time() - mtime > params["cache_valid_time"]:
            if not module.check_mode:
                rc, out, err = module.run_command([apt_get, "update"], environ_update=_ENV)
                if rc != 0:
                    module.fail_json(msg=f"Failed to update apt cache: {err.strip()}", rc=rc, stdout=out, stderr=err)
            result.update(cache_updated=True, changed=True)
        result["cache_update_time"] = int(mtime)

    if params["deb"]:
        deb = params["deb"]
        if not os.path.exists(deb):
            module.fail_json(msg=f"deb file {deb} does not exist")
        name, version = _deb_field(module, deb, "Package"), _deb_field(module, deb, "Version")
        if installed_version(module, name) == version and not params["force"]:
            module.exit_json(**result)
        result["changed"] = True
        if not module.check_mode:
            rc, out, err = module.run_command(["dpkg", "-i", deb], environ_update=_ENV)
            result.update(rc=rc, stdout=out, stderr=err)
            if rc != 0:
                module.fail_json(msg=f"dpkg -i {deb} failed: {err.strip()}", **result)
        module.exit_json(**result)

    names = params["name"] or []
    state = params["state"]
    if state in ("present", "fixed", "latest", "build-dep"):
        wanted = []
        for spec in names:
            name, _, version = spec.partition("=")
            have = installed_version(module, name)
            if have is None or state == "latest" or (version and not have.startswith(version.rstrip("*"))):
                wanted.append(spec)
        if state == "latest" and wanted:
            rc, out, _err = module.run_command([apt_get, "-s", "install"] + wanted, environ_update=_ENV)
            if rc == 0 and all(installed_version(module, s.partition("=")[0]) for s in wanted) \
                    and "0 upgraded, 0 newly installed" in out:
                wanted = []
        if wanted:
            result["changed"] = True
            if not module.check_mode:
                command = [apt_get, "-y", "-o", "Dpkg::Options::=--force-confdef",
                           "-o", "Dpkg::Options::=--force-confold"]
                if params["install_recommends"] is False:
                    command.append("--no-install-recommends")
                elif params["install_recommends"]:
                    command.append("--install-recommends")
                if params["allow_downgrade"]:
                    command.append("--allow-downgrades")
                command += ["build-dep" if state == "build-dep" else "install"] + wanted
                rc, out, err = module.run_command(command, environ_update=_ENV)
                result.update(rc=rc, stdout=out, stderr=err)
                if rc != 0:
                    module.fail_json(msg=f"'{' '.join(command)}' failed: {err.strip()}", **result)
    else:
        present = [spec for spec in names if installed_version(module, spec.partition("=")[0])]
        if present:
            result["changed"] = True
            if not module.check_mode:
                command = [apt_get, "-y", "purge" if params["purge"] else "remove"] + present
                rc, out, err = module.run_command(command, environ_update=_ENV)
                result.update(rc=rc, stdout=out, stderr=err)
                if rc != 0:
                    module.fail_json(msg=f"'{' '.join(command)}' failed: {err.strip()}", **result)
    if params["autoremove"] and not module.check_mode:
        rc, out, _err = module.run_command([apt_get, "-y", "autoremove"], environ_update=_ENV)
        if rc == 0 and "0 to remove" not in out:
            result["changed"] = True
    if result.get("stdout") is not None:
        result["stdout_lines"] = result["stdout"].splitlines()
    module.exit_json(**result)


if __name__ == "__main__":
    main()
