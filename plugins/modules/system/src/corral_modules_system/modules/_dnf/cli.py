"""The dnf and dnf5 modules' shared work: the transaction through the ``dnf``/``dnf5`` command line.

Carried in the payload of both modules (their ``python_roots``); each module builds its ``AnsibleModule``
from :data:`ARGUMENT_SPEC` and its own options, and hands it and the command to run to :func:`run`."""
from __future__ import annotations

import os
import re
import time

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.urls import fetch_url

#: the options of dnf and dnf5 (documented by the ``dnf`` fragment); each module adds its own
ARGUMENT_SPEC: dict = {
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
}

_FLAG_LISTS = {"enablerepo": "--enablerepo", "disablerepo": "--disablerepo", "exclude": "--exclude",
               "enable_plugin": "--enableplugin", "disable_plugin": "--disableplugin"}
_FLAG_BOOLS = {"disable_gpg_check": "--nogpgcheck", "skip_broken": "--skip-broken", "security": "--security",
               "bugfix": "--bugfix", "download_only": "--downloadonly", "cacheonly": "--cacheonly",
               "allowerasing": "--allowerasing"}


def _flags(module: AnsibleModule) -> list[str]:
    params = module.params
    flags = ["-y"]
    for option, flag in _FLAG_LISTS.items():
        flags += [f"{flag}={value}" for value in params[option]]
    flags += [flag for option, flag in _FLAG_BOOLS.items() if params[option]]
    for option, flag in (("conf_file", "--config"), ("releasever", "--releasever"),
                         ("disable_excludes", "--disableexcludes"), ("download_dir", "--downloaddir")):
        if params[option]:
            flags.append(f"{flag}={params[option]}")
    if params["installroot"] != "/":
        flags.append(f"--installroot={params['installroot']}")
    if not params["install_weak_deps"]:
        flags.append("--setopt=install_weak_deps=False")
    if not params["sslverify"]:
        flags.append("--setopt=sslverify=False")
    best = params["best"] if params["best"] is not None else (not params["nobest"] if params["nobest"] is not None
                                                               else None)
    if best is not None:
        flags.append("--best" if best else "--nobest")
    return flags


def _installed(module: AnsibleModule, spec: str) -> bool:
    """Whether ``spec`` (a name, or a name with a version) is installed, by ``rpm -q``."""
    if spec.startswith("@"):
        return False
    rpm = module.get_bin_path("rpm", required=True)
    root = module.params["installroot"]
    rc, _out, _err = module.run_command([rpm, "-q", *([f"--root={root}"] if root != "/" else []),
                                         "--whatprovides" if "/" in spec else "--", spec])
    return rc == 0


def _package_name(path: str) -> str:
    """A local or remote ``.rpm`` file's package name (C(name-version-release.arch.rpm))."""
    base = os.path.basename(path)[:-len(".rpm")]
    return re.sub(r"-[^-]+-[^-]+$", "", base)


def _download(module: AnsibleModule, url: str) -> str:
    """Download a package URL (O(validate_certs) honoured) to a file that dnf installs."""
    response, info = fetch_url(module, url)
    if response is None or info["status"] != 200:
        module.fail_json(msg=f"Failure downloading {url}, {info['msg']}", results=[])
    path = os.path.join(module.tmpdir, os.path.basename(url))
    with open(path, "wb") as handle:
        handle.write(response.read())
    return path


def _run(module: AnsibleModule, command: list[str]) -> tuple[int, str]:
    """Run dnf, waiting up to O(lock_timeout) seconds while another dnf holds the lock."""
    deadline = time.monotonic() + module.params["lock_timeout"]
    while True:
        rc, out, err = module.run_command(command)
        if rc == 0 or "lock" not in err.lower() or time.monotonic() > deadline:
            break
        time.sleep(1)
    if rc != 0:
        module.fail_json(msg=err.strip() or out.strip(), rc=rc, results=[], failures=[err.strip()])
    return rc, out


def run(module: AnsibleModule, dnf: str) -> None:
    """Do what the module's parameters ask with the command ``dnf``, and exit the module."""
    params = module.params
    flags = _flags(module)
    result: dict = {"changed": False, "results": [], "msg": ""}
    if params["update_cache"] and not module.check_mode:
        _run(module, [dnf, "makecache", "--refresh", *flags[1:]])
    if params["list"]:
        rc, out = _run(module, [dnf, "list", *flags[1:], params["list"]])
        result["results"] = [line for line in out.splitlines() if line.strip()]
        module.exit_json(**result)
    names = params["name"]
    state = params["state"] or ("absent" if params["autoremove"] and not names else "present")
    command: list[str] = []
    if state in ("absent", "removed"):
        targets = [name for name in names if _installed(module, name)]
        if targets or (params["autoremove"] and not names):
            command = [dnf, "autoremove" if params["autoremove"] and not names else "remove", *flags, *targets]
            result["results"] = [f"Removed: {name}" for name in targets]
    elif state == "latest":
        if names == ["*"]:
            rc, _out, _err = module.run_command([dnf, "check-update", *flags[1:]])
            if rc == 100:
                command = [dnf, "upgrade", *flags]
        else:
            installed = [name for name in names if _installed(module, name)]
            missing = [name for name in names if name not in installed]
            updates = []
            if installed:
                rc, out, _err = module.run_command([dnf, "check-update", *flags[1:], *installed])
                updates = [name for name in installed if rc == 100 and re.search(rf"^{re.escape(name)}\.", out, re.M)]
            targets = updates + ([] if params["update_only"] else missing)
            if targets:
                command = [dnf, "install" if missing and not params["update_only"] else "upgrade", *flags, *targets]
                result["results"] = [f"Installed: {name}" for name in targets]
    else:
        targets = []
        for name in names:
            probe = _package_name(name) if name.endswith(".rpm") else name
            if _installed(module, probe):
                continue
            base = re.sub(r"-[0-9][^-]*(-[^-]+)?$", "", name)
            if base != name and not params["allow_downgrade"] and _installed(module, base):
                continue    # another version is installed: dnf would downgrade or switch it
            if re.match(r"^https?://", name) and name.endswith(".rpm"):
                name = _download(module, name)
            targets.append(name)
        if targets:
            command = [dnf, "install", *flags, *targets]
            result["results"] = [f"Installed: {name}" for name in targets]
    if command:
        result["changed"] = True
        if not module.check_mode:
            rc, out = _run(module, command)
            result["rc"] = rc
            if params["autoremove"] and names and state in ("absent", "removed"):
                _run(module, [dnf, "autoremove", *flags])
    module.exit_json(**result)

