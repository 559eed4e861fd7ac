#!/usr/bin/python3
"""hostname: the system's current and permanent host name."""
from __future__ import annotations

DOCUMENTATION = r"""
module: hostname
short_description: Manage hostname
description:
  - Sets the host name the system has now and the one it keeps across reboots, with the method of its platform
    (O(use)). Debian-like systems keep it in C(/etc/hostname); systemd systems set it with C(hostnamectl).
  - The result's facts (C(ansible_hostname), C(ansible_nodename), C(ansible_fqdn), C(ansible_domain)) follow
    the new name.
options:
  name:
    description: The host name.
    type: str
    required: true
  use:
    description:
      - The method; by default the one of the target's platform and distribution.
      - V(debian) and V(alpine) write C(/etc/hostname), V(sles) C(/etc/HOSTNAME) and V(openbsd) C(/etc/myname)
        and nothing else (the name the system runs with changes at the next boot, as with ansible-core). V(systemd) runs
        C(hostnamectl); V(redhat) writes
        C(/etc/sysconfig/network), V(openrc) C(/etc/conf.d/hostname), V(freebsd) C(/etc/rc.conf.d/hostname) and
        V(solaris) C(/etc/nodename), and they run C(hostname NAME); V(darwin), V(macos) and V(macosx) run C(scutil).
      - V(generic) has no method and fails, as in ansible-core.
    type: str
    choices: [alpine, debian, freebsd, generic, macos, macosx, darwin, openbsd, openrc, redhat, sles, solaris, systemd]
"""

EXAMPLES = r"""
- hostname:
    name: web01
"""

RETURN = r"""
name:
  description: The host name asked for.
  returned: success
  type: str
ansible_facts:
  description: C(ansible_hostname), C(ansible_nodename), C(ansible_fqdn) and C(ansible_domain) after the change.
  returned: success
  type: dict
"""

import os
import platform
import re
import socket

from corral.module_utils.basic import AnsibleModule

#: use -> (file holding the permanent name, how a line of it names the host: a regex whose group 1 is the
#: name, and the line written)
_FILES = {
    "debian": ("/etc/hostname", None, "{name}"),
    "alpine": ("/etc/hostname", None, "{name}"),
    "sles": ("/etc/HOSTNAME", None, "{name}"),
    "openbsd": ("/etc/myname", None, "{name}"),
    "solaris": ("/etc/nodename", None, "{name}"),
    "redhat": ("/etc/sysconfig/network", r"^HOSTNAME=(.*)$", "HOSTNAME={name}"),
    "openrc": ("/etc/conf.d/hostname", r'^hostname="?([^"]*)"?$', 'hostname="{name}"'),
    "freebsd": ("/etc/rc.conf.d/hostname", r'^hostname="?([^"]*)"?$', 'hostname="{name}"'),
}
#: the methods that keep only the permanent name (the running system's name is not touched)
_FILE_ONLY = ("debian", "alpine", "sles", "openbsd")
_DEBIAN_LIKE = ("debian", "ubuntu", "linuxmint", "raspbian", "kali", "pop", "devuan")
_REDHAT_LIKE = ("rhel", "centos", "fedora", "rocky", "almalinux", "ol", "amzn", "arch", "manjaro")


def _os_release() -> dict[str, str]:
    found: dict[str, str] = {}
    try:
        with open("/etc/os-release", encoding="utf-8") as handle:
            for line in handle:
                key, sep, value = line.strip().partition("=")
                if sep:
                    found[key] = value.strip('"')
    except OSError:
        pass
    return found


def _detected() -> str:
    system = platform.system()
    if system in ("FreeBSD", "OpenBSD"):
        return system.lower()
    if system == "SunOS":
        return "solaris"
    if system == "Darwin":
        return "darwin"
    release = _os_release()
    family = [release.get("ID", "")] + release.get("ID_LIKE", "").split()
    if any(name in _DEBIAN_LIKE for name in family):
        return "debian"
    if "alpine" in family:
        return "alpine"
    if any(name in ("suse", "opensuse", "sles") for name in family):
        return "sles"
    if "gentoo" in family:
        return "openrc"
    if any(name in _REDHAT_LIKE for name in family) or os.path.isdir("/run/systemd/system"):
        return "systemd"
    return "generic"


class _Strategy:
    """Reads and sets one platform's current and permanent host names."""

    def __init__(self, module: AnsibleModule, use: str) -> None:
        self.module = module
        self.use = use

    def _run(self, *command: str) -> str:
        rc, out, err = self.module.run_command(list(command))
        if rc != 0:
            self.module.fail_json(msg=f"Command failed rc={rc}, out={out}, err={err}")
        return out.strip()

    def current(self) -> str:
        if self.use == "generic":
            self.module.fail_json(msg="")
        if self.use in _FILE_ONLY:
            return self.permanent()
        if self.use == "systemd":
            return self._run(self.module.get_bin_path("hostnamectl", required=True), "--transient", "hostname")
        if self.use in ("darwin", "macos", "macosx"):
            return self._run("/usr/sbin/scutil", "--get", "HostName")
        return self._run(self.module.get_bin_path("hostname", required=True))

    def set_current(self, name: str) -> None:
        if self.use in _FILE_ONLY:
            return
        if self.use == "systemd":
            self._run(self.module.get_bin_path("hostnamectl", required=True), "--transient", "set-hostname", name)
        elif self.use in ("darwin", "macos", "macosx"):
            self._run("/usr/sbin/scutil", "--set", "HostName", name)
        else:
            self._run(self.module.get_bin_path("hostname", required=True), name)

    def permanent(self) -> str:
        if self.use == "systemd":
            return self._run(self.module.get_bin_path("hostnamectl", required=True), "--static", "hostname")
        if self.use in ("darwin", "macos", "macosx"):
            return self._run("/usr/sbin/scutil", "--get", "LocalHostName")
        path, pattern, _line = _FILES[self.use]
        try:
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except FileNotFoundError:
            lines = []
        except OSError as exc:
            self.module.fail_json(msg=f"failed to read hostname: {exc}")
        if pattern is None:
            return lines[0].strip() if lines else ""
        for line in lines:
            match = re.match(pattern, line.strip())
            if match:
                return match.group(1).strip()
        if self.use == "redhat":
            self.module.fail_json(msg=f"Unable to locate HOSTNAME entry in {path}")
        return ""

    def set_permanent(self, name: str) -> None:
        if self.use == "systemd":
            self._run(self.module.get_bin_path("hostnamectl", required=True), "--static", "set-hostname", name)
            return
        if self.use in ("darwin", "macos", "macosx"):
            self._run("/usr/sbin/scutil", "--set", "LocalHostName", re.sub(r"[^A-Za-z0-9-]", "-", name))
            return
        path, pattern, template = _FILES[self.use]
        wanted = template.format(name=name)
        lines: list[str] = []
        if pattern is not None and os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
            replaced = [wanted if re.match(pattern, line.strip()) else line for line in lines]
            lines = replaced if replaced != lines else lines + [wanted]
        else:
            lines = [wanted]
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
        except OSError as exc:
            self.module.fail_json(msg=f"failed to update hostname: {exc}")


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "use": {"type": "str", "choices": ["alpine", "darwin", "debian", "freebsd", "generic", "macos", "macosx", "openbsd",
                                                "openrc", "redhat", "sles", "solaris", "systemd"]},
        },
        supports_check_mode=True,
    )
    name = module.params["name"]
    strategy = _Strategy(module, module.params["use"] or _detected())
    current, permanent = strategy.current(), strategy.permanent()
    changed = current != name or permanent != name
    result = {"changed": changed, "name": name}
    if changed:
        result["diff"] = {"before": f"hostname = {current}\n", "after": f"hostname = {name}\n"}
        if not module.check_mode:
            if permanent != name:
                strategy.set_permanent(name)
            if current != name:
                strategy.set_current(name)
    fqdn = socket.getfqdn()
    result["ansible_facts"] = {"ansible_hostname": name.split(".")[0], "ansible_nodename": name,
                               "ansible_fqdn": fqdn, "ansible_domain": ".".join(fqdn.split(".")[1:])}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
