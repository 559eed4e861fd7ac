#!/usr/bin/python3
"""setup: gather facts about the target (what ``gather_facts`` runs)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: setup
short_description: Gather facts about the target
description:
  - Returns facts about the target as C(ansible_facts) (the OS, distribution, kernel, Python, user, network
    addresses, memory, processors, mounts, date and time, environment), which become host variables
    (C(ansible_facts.distribution) and C(ansible_distribution)).
  - "Plays run it first unless C(gather_facts: false)."
options:
  gather_subset:
    description:
      - Which groups of facts to gather; C(all) (the default), C(min), or any of C(hardware), C(network),
        C(virtual), C(date_time), C(env), C(mounts); a leading C(!) excludes a group. The C(min) facts are always
        gathered unless C(!min) is given.
    type: list
    elements: str
    default: [all]
  filter:
    description: Only return the facts whose name matches one of these shell patterns.
    type: list
    elements: str
    default: []
  fact_path:
    description: A directory of C(*.fact) files (JSON or INI, or executables printing JSON) for C(ansible_local).
    type: path
    default: /etc/ansible/facts.d
  gather_timeout:
    description: Accepted for compatibility; fact gathering here does not block.
    type: int
    default: 10
"""

EXAMPLES = r"""
- setup:
    gather_subset: [min, network]

- setup:
    filter: [ansible_distribution*]
"""

RETURN = r"""
ansible_facts:
  description: The facts, with their C(ansible_) prefix.
  returned: always
  type: dict
"""

import configparser
import datetime
import fnmatch
import glob
import json
import os
import platform
import pwd
import re
import shutil
import socket
import stat
import struct
import sys
import time
from typing import Any, Callable

from corral.module_utils.basic import AnsibleModule

_SUBSETS = ("hardware", "network", "virtual", "date_time", "env", "mounts", "local")
#: every name Ansible's setup accepts in gather_subset (its collectors and the facts they
#: give, as its error message lists them); names outside _SUBSETS are served by the
#: minimal facts, which are gathered unless "!min" is asked
_ACCEPTED = (
    "all", "all_ipv4_addresses", "all_ipv6_addresses", "apparmor", "architecture", "caps", "chroot", "cmdline",
    "date_time", "default_ipv4", "default_ipv6", "devices", "distribution", "distribution_major_version",
    "distribution_release", "distribution_version", "dns", "effective_group_ids", "effective_user_id", "env",
    "facter", "fibre_channel_wwn", "fips", "hardware", "interfaces", "is_chroot", "iscsi", "kernel",
    "kernel_version", "loadavg", "local", "lsb", "machine", "machine_id", "mounts", "network", "nvme", "ohai",
    "os_family", "pkg_mgr", "platform", "processor", "processor_cores", "processor_count", "python",
    "python_version", "real_user_id", "selinux", "service_mgr", "ssh_host_key_dsa_public",
    "ssh_host_key_ecdsa_public", "ssh_host_key_ed25519_public", "ssh_host_key_rsa_public", "ssh_host_pub_keys",
    "ssh_pub_keys", "system", "system_capabilities", "system_capabilities_enforced", "systemd", "user",
    "user_dir", "user_gecos", "user_gid", "user_id", "user_shell", "user_uid", "virtual", "virtualization_role",
    "virtualization_tech_guest", "virtualization_tech_host", "virtualization_type")
_OS_FAMILY = {
    "debian": "Debian", "ubuntu": "Debian", "linuxmint": "Debian", "raspbian": "Debian", "kali": "Debian",
    "rhel": "RedHat", "centos": "RedHat", "fedora": "RedHat", "rocky": "RedHat", "almalinux": "RedHat",
    "ol": "RedHat", "amzn": "RedHat", "sles": "Suse", "opensuse": "Suse", "opensuse-leap": "Suse",
    "arch": "Archlinux", "manjaro": "Archlinux", "alpine": "Alpine", "gentoo": "Gentoo",
}
_PKG_MGRS = (("apt-get", "apt"), ("dnf", "dnf"), ("yum", "yum"), ("zypper", "zypper"), ("pacman", "pacman"),
             ("apk", "apk"), ("emerge", "portage"))


def _read(path: str, default: str = "") -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return default


def _os_release() -> dict[str, str]:
    data: dict[str, str] = {}
    for line in _read("/etc/os-release").splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            data[key.strip()] = value.strip().strip('"')
    return data


def minimal_facts() -> dict:
    uname = platform.uname()
    release = _os_release()
    dist_id = release.get("ID", "").lower()
    version = release.get("VERSION_ID", "")
    if dist_id == "debian" and os.path.exists("/etc/debian_version"):
        version = _read("/etc/debian_version").strip() or version
    distribution = release.get("NAME", uname.system).split()[0] if release else uname.system
    if dist_id == "rhel":
        distribution = "RedHat"
    user = pwd.getpwuid(os.getuid())
    fqdn = socket.getfqdn()
    hostname = uname.node.split(".")[0]
    facts = {
        "system": uname.system, "kernel": uname.release, "kernel_version": uname.version,
        "machine": uname.machine, "architecture": uname.machine, "nodename": uname.node,
        "hostname": hostname, "fqdn": fqdn, "domain": fqdn.split(".", 1)[1] if "." in fqdn else "",
        "userspace_bits": str(struct.calcsize("P") * 8), "userspace_architecture": uname.machine,
        "distribution": distribution, "distribution_version": version,
        "distribution_major_version": version.split(".")[0] if version else "",
        "distribution_release": release.get("VERSION_CODENAME", ""),
        "os_family": _OS_FAMILY.get(dist_id, _OS_FAMILY.get(release.get("ID_LIKE", "").split(" ")[0],
                                                            distribution)),
        "python_version": platform.python_version(),
        "python": {"executable": sys.executable, "version": {
            "major": sys.version_info.major, "minor": sys.version_info.minor, "micro": sys.version_info.micro,
            "releaselevel": sys.version_info.releaselevel, "serial": sys.version_info.serial},
            "version_info": list(sys.version_info), "type": platform.python_implementation()},
        "user_id": user.pw_name, "user_uid": user.pw_uid, "user_gid": user.pw_gid, "user_dir": user.pw_dir,
        "user_shell": user.pw_shell, "user_gecos": user.pw_gecos,
        "real_user_id": os.getuid(), "effective_user_id": os.geteuid(),
        "real_group_id": os.getgid(), "effective_group_id": os.getegid(),
        "selinux": {"status": "disabled" if not os.path.exists("/sys/fs/selinux/enforce") else "enabled"},
        "selinux_python_present": False, "fips": _read("/proc/sys/crypto/fips_enabled").strip() == "1",
        "machine_id": _read("/etc/machine-id").strip(), "pkg_mgr": _pkg_mgr(), "service_mgr": _service_mgr(),
        "apparmor": {"status": "enabled" if os.path.isdir("/sys/kernel/security/apparmor") else "disabled"},
        "lsb": {"id": distribution, "release": version, "codename": release.get("VERSION_CODENAME", ""),
                "description": release.get("PRETTY_NAME", ""), "major_release": version.split(".")[0]}
        if release else {},
        "cmdline": _cmdline(), "proc_cmdline": _cmdline(),
        "dns": _dns(),
    }
    for path in ("/etc/ssh/ssh_host_rsa_key.pub", "/etc/ssh/ssh_host_ecdsa_key.pub", "/etc/ssh/ssh_host_ed25519_key.pub"):
        fields = _read(path).split()
        if len(fields) >= 2:
            kind = os.path.basename(path).split("_")[2]
            facts[f"ssh_host_key_{kind}_public"] = fields[1]
            facts[f"ssh_host_key_{kind}_public_keytype"] = fields[0]
    return facts


def _cmdline() -> dict:
    result: dict = {}
    for item in _read("/proc/cmdline").split():
        key, _, value = item.partition("=")
        result[key] = value if value else True
    return result


def _dns() -> dict:
    servers, search = [], []
    for line in _read("/etc/resolv.conf").splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver":
            servers.append(fields[1])
        elif fields and fields[0] == "search":
            search.extend(fields[1:])
    return {"nameservers": servers, "search": search} if servers or search else {}


def _pkg_mgr() -> str:
    for binary, name in _PKG_MGRS:
        if shutil.which(binary) or os.path.exists(f"/usr/bin/{binary}"):
            return name
    return "unknown"


def _service_mgr() -> str:
    if os.path.isdir("/run/systemd/system"):
        return "systemd"
    comm = _read("/proc/1/comm").strip()
    if comm in ("systemd", "init", "runit", "openrc", "upstart"):
        return "sysvinit" if comm == "init" else comm
    return "service" if os.path.isdir("/etc/init.d") else "unknown"


def hardware_facts() -> dict:
    meminfo = {}
    for line in _read("/proc/meminfo").splitlines():
        fields = line.replace(":", " ").split()
        if len(fields) >= 2:
            meminfo[fields[0]] = int(fields[1]) // 1024
    cpus = [line for line in _read("/proc/cpuinfo").splitlines() if line.startswith("processor\t")
            or line.startswith("processor ")]
    cpuinfo = _read("/proc/cpuinfo").splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    sockets = {line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("physical id")}
    count = len(cpus) or os.cpu_count() or 1
    uptime = _read("/proc/uptime").split()
    return {
        "memtotal_mb": meminfo.get("MemTotal", 0), "memfree_mb": meminfo.get("MemFree", 0),
        "swaptotal_mb": meminfo.get("SwapTotal", 0), "swapfree_mb": meminfo.get("SwapFree", 0),
        "memory_mb": {"real": {"total": meminfo.get("MemTotal", 0), "free": meminfo.get("MemFree", 0)},
                      "swap": {"total": meminfo.get("SwapTotal", 0), "free": meminfo.get("SwapFree", 0)}},
        "processor": models, "processor_count": len(sockets) or 1, "processor_cores": count,
        "processor_vcpus": count, "processor_nproc": os.cpu_count() or count,
        "processor_threads_per_core": 1,
        "uptime_seconds": int(float(uptime[0])) if uptime else 0,
        "loadavg": dict(zip(("1m", "5m", "15m"), os.getloadavg())),
    }


def mount_facts() -> dict:
    mounts = []
    for line in _read("/proc/mounts").splitlines():
        fields = line.split()
        if len(fields) < 4 or not fields[1].startswith("/"):
            continue
        entry: dict = {"device": fields[0], "mount": fields[1], "fstype": fields[2], "options": fields[3]}
        try:
            st = os.statvfs(fields[1])
            entry.update(size_total=st.f_blocks * st.f_frsize, size_available=st.f_bavail * st.f_frsize,
                         block_size=st.f_frsize, block_total=st.f_blocks, block_available=st.f_bavail,
                         inode_total=st.f_files, inode_available=st.f_favail)
        except OSError:
            pass
        mounts.append(entry)
    return {"mounts": mounts}


def network_facts() -> dict:
    interfaces = sorted(os.listdir("/sys/class/net")) if os.path.isdir("/sys/class/net") else []
    facts: dict = {"interfaces": interfaces}
    addresses: dict[str, list[str]] = {}
    ipv4 = _ipv4_addresses()
    for name, address in ipv4:
        addresses.setdefault(name, []).append(address)
    for name in interfaces:
        key = re.sub(r"[^A-Za-z0-9_]", "_", name)
        info = {"device": name, "active": _read(f"/sys/class/net/{name}/operstate").strip() in ("up", "unknown"),
                "macaddress": _read(f"/sys/class/net/{name}/address").strip(),
                "mtu": int(_read(f"/sys/class/net/{name}/mtu", "0").strip() or 0)}
        if addresses.get(name):
            info["ipv4"] = {"address": addresses[name][0]}
        facts[key] = info
    facts["all_ipv4_addresses"] = [a for n, a in ipv4 if not a.startswith("127.")]
    facts["all_ipv6_addresses"] = [_ipv6(line.split()[0]) for line in _read("/proc/net/if_inet6").splitlines()
                                   if line.split() and line.split()[-1] != "lo"]
    default = _default_route()
    facts["default_ipv4"] = {}
    if default:
        interface, gateway = default
        facts["default_ipv4"] = {"interface": interface, "gateway": gateway,
                                 "address": addresses.get(interface, [""])[0],
                                 "macaddress": _read(f"/sys/class/net/{interface}/address").strip()}
    facts["default_ipv6"] = {}
    return facts


def _ipv6(raw: str) -> str:
    return ":".join(raw[i:i + 4] for i in range(0, 32, 4))


def _ipv4_addresses() -> list[tuple[str, str]]:
    """(interface, address) pairs, from the kernel's routing tables."""
    import fcntl
    found = []
    for name in (os.listdir("/sys/class/net") if os.path.isdir("/sys/class/net") else []):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                packed = fcntl.ioctl(sock.fileno(), 0x8915, struct.pack("256s", name.encode()[:15]))
            found.append((name, socket.inet_ntoa(packed[20:24])))
        except OSError:
            continue
    return found


def _default_route() -> tuple[str, str] | None:
    for line in _read("/proc/net/route").splitlines()[1:]:
        fields = line.split()
        if len(fields) > 2 and fields[1] == "00000000":
            return fields[0], socket.inet_ntoa(struct.pack("<L", int(fields[2], 16)))
    return None


def virtual_facts() -> dict:
    role, kind = "host", "NA"
    if os.path.exists("/.dockerenv") or "docker" in _read("/proc/1/cgroup"):
        role, kind = "guest", "docker"
    elif os.path.exists("/run/.containerenv"):
        role, kind = "guest", "podman"
    elif "hypervisor" in _read("/proc/cpuinfo"):
        role, kind = "guest", "kvm"
    return {"virtualization_role": role, "virtualization_type": kind}


def date_time_facts() -> dict:
    now = datetime.datetime.now()
    utc = datetime.datetime.now(datetime.timezone.utc)
    return {"date_time": {
        "year": now.strftime("%Y"), "month": now.strftime("%m"), "weekday": now.strftime("%A"),
        "weekday_number": now.strftime("%w"), "weeknumber": now.strftime("%W"), "day": now.strftime("%d"),
        "hour": now.strftime("%H"), "minute": now.strftime("%M"), "second": now.strftime("%S"),
        "epoch": str(int(time.time())), "epoch_int": str(int(time.time())), "date": now.strftime("%Y-%m-%d"),
        "time": now.strftime("%H:%M:%S"), "iso8601_micro": utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "iso8601": utc.strftime("%Y-%m-%dT%H:%M:%SZ"), "iso8601_basic": now.strftime("%Y%m%dT%H%M%S%f"),
        "iso8601_basic_short": now.strftime("%Y%m%dT%H%M%S"), "tz": time.strftime("%Z"),
        "tz_dst": time.tzname[1], "tz_offset": time.strftime("%z")}}


def local_facts(fact_path: str, warn: Callable[[str], None]) -> dict:
    """``ansible_local``: one entry per ``*.fact`` file of ``fact_path`` (an
    executable's JSON output, else the file as JSON or INI).  A file that cannot be
    used gives a message instead of its facts, and a warning."""
    local: dict = {}
    for path in sorted(glob.glob(os.path.join(fact_path, "*.fact"))):
        name = os.path.basename(path).replace(".fact", "")
        try:
            executable = os.stat(path).st_mode & stat.S_IXUSR
        except OSError as exc:
            local[name] = _fact_problem(f"Could not stat fact ({path}): {exc}", warn)
            continue
        if executable:
            import subprocess
            try:
                proc = subprocess.run([path], capture_output=True, timeout=30)
            except (OSError, subprocess.SubprocessError) as exc:
                local[name] = _fact_problem(f"Could not execute fact script ({path}): {exc}", warn)
                continue
            if proc.returncode != 0:
                err = proc.stderr.decode("utf-8", "replace")
                local[name] = _fact_problem(f"Failure executing fact script ({path}), rc: {proc.returncode}, "
                                            f"err: {err}", warn)
                continue
            raw = proc.stdout
        else:
            try:
                with open(path, "rb") as handle:
                    raw = handle.read()
            except OSError:
                raw = b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            local[name] = _fact_problem(f'error loading fact - output of running "{path}" was not utf-8', warn)
            continue
        local[name] = _parse_fact(path, text, warn)
    return {"local": local}


def _fact_problem(message: str, warn: Callable[[str], None]) -> str:
    warn(message)
    return message


def _parse_fact(path: str, text: str, warn: Callable[[str], None]) -> Any:
    """A fact file's content: JSON, else INI sections (a value that cannot be read
    gives a message for the whole file)."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text)
    except configparser.Error:
        return _fact_problem(f"error loading facts as JSON or ini - please check content: {path}", warn)
    fact: dict = {}
    for section in parser.sections():
        fact[section] = {}
        for option in parser.options(section):
            try:
                fact[section][option] = parser.get(section, option)
            except configparser.Error as exc:
                return _fact_problem(f"error loading facts as ini - please check content: {path} ({exc})", warn)
    return fact


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "gather_subset": {"type": "list", "elements": "str", "default": ["all"]},
            "gather_timeout": {"type": "int", "default": 10},
            "filter": {"type": "list", "elements": "str", "default": []},
            "fact_path": {"type": "path", "default": "/etc/ansible/facts.d"},
        },
        supports_check_mode=True,
    )
    requested = module.params["gather_subset"]
    wanted: set[str] = set()
    excluded: set[str] = set()
    for item in requested:
        if item.startswith("!"):
            excluded.add(item[1:])
        elif item == "all":
            wanted.update(_SUBSETS)
        elif item in _ACCEPTED or item == "min":
            wanted.add(item)
        else:
            module.fail_json(msg=f"Bad subset '{item}' given to Ansible. gather_subset options allowed: "
                                 f"{', '.join(_ACCEPTED)}")
    if "all" in excluded:
        wanted.clear()
    wanted -= excluded
    facts: dict = {}
    if "min" not in excluded:
        facts.update(minimal_facts())
        facts["env"] = dict(os.environ)
        wanted.update({"date_time", "local"} - excluded)
    gatherers = {"hardware": hardware_facts, "network": network_facts, "virtual": virtual_facts,
                 "date_time": date_time_facts, "mounts": mount_facts, "env": lambda: {"env": dict(os.environ)},
                 "local": lambda: local_facts(module.params["fact_path"], module.warn)}
    for subset in sorted(wanted):
        if subset in gatherers:
            try:
                facts.update(gatherers[subset]())
            except (OSError, ValueError) as exc:
                module.warn(f"Could not gather {subset} facts: {exc}")
    prefixed = {f"ansible_{key}": value for key, value in facts.items()}
    patterns = module.params["filter"]
    if patterns:
        prefixed = {key: value for key, value in prefixed.items()
                    if any(fnmatch.fnmatch(key, pattern) for pattern in patterns)}
    prefixed["gather_subset"] = requested
    prefixed["module_setup"] = True
    module.exit_json(ansible_facts=prefixed, changed=False)


if __name__ == "__main__":
    main()
