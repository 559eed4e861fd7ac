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
    default: all
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

import ctypes
import datetime
import fnmatch
import glob
import json
import os
import pwd
import re
import shutil
import socket
import stat
import struct
import subprocess
import sys
import time
import zlib

#: typing is only needed by type checkers here (annotations are strings): not imported on the target
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

from corral.module_utils.basic import AnsibleModule

#: the subsets always gathered unless "!min" is asked (as ansible-core's setup)
_MINIMAL = frozenset(("apparmor", "caps", "cmdline", "date_time", "distribution", "dns", "env", "fips", "local",
                      "lsb", "pkg_mgr", "platform", "python", "selinux", "service_mgr", "ssh_pub_keys", "user"))
_OS_FAMILY = {
    "Debian": "Debian", "Ubuntu": "Debian", "Linuxmint": "Debian", "Raspbian": "Debian", "Kali": "Debian",
    "Devuan": "Debian", "Pop!_OS": "Debian", "RedHat": "RedHat", "CentOS": "RedHat", "Fedora": "RedHat",
    "Rocky": "RedHat", "AlmaLinux": "RedHat", "OracleLinux": "RedHat", "Amazon": "RedHat", "SLES": "Suse",
    "openSUSE": "Suse", "openSUSE Leap": "Suse", "openSUSE Tumbleweed": "Suse", "Archlinux": "Archlinux",
    "Manjaro": "Archlinux", "Alpine": "Alpine", "Gentoo": "Gentoo",
}
#: os-release ID -> ansible's distribution name
_DISTRIBUTION_NAMES = {
    "debian": "Debian", "ubuntu": "Ubuntu", "rhel": "RedHat", "centos": "CentOS", "fedora": "Fedora",
    "rocky": "Rocky", "almalinux": "AlmaLinux", "ol": "OracleLinux", "amzn": "Amazon", "sles": "SLES",
    "opensuse-leap": "openSUSE Leap", "opensuse-tumbleweed": "openSUSE Tumbleweed", "arch": "Archlinux",
    "manjaro": "Manjaro", "alpine": "Alpine", "gentoo": "Gentoo", "linuxmint": "Linux Mint", "raspbian": "Debian",
    "kali": "Kali", "devuan": "Devuan",
}
_PKG_MGRS = (("/usr/bin/apt-get", "apt"), ("/usr/bin/dnf5", "dnf5"), ("/usr/bin/dnf", "dnf"),
             ("/usr/bin/yum", "yum"), ("/usr/bin/zypper", "zypper"), ("/usr/bin/pacman", "pacman"),
             ("/sbin/apk", "apk"), ("/usr/bin/emerge", "portage"))
_INTERFACE_TYPES = {"1": "ether", "32": "infiniband", "512": "ppp", "772": "loopback", "65534": "tunnel"}
_DMI = ("bios_date", "bios_vendor", "bios_version", "board_asset_tag", "board_name", "board_serial", "board_vendor",
        "board_version", "chassis_asset_tag", "chassis_serial", "chassis_vendor", "chassis_version", "form_factor",
        "product_name", "product_serial", "product_uuid", "product_version", "system_vendor")
_FORM_FACTORS = ("Unknown", "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box", "Mini Tower",
                 "Tower", "Portable", "Laptop", "Notebook", "Hand Held", "Docking Station", "All In One",
                 "Sub Notebook", "Space-saving", "Lunch Box", "Main Server Chassis", "Expansion Chassis",
                 "Sub Chassis", "Bus Expansion Chassis", "Peripheral Chassis", "RAID Chassis", "Rack Mount Chassis",
                 "Sealed-case PC", "Multi-system", "CompactPCI", "AdvancedTCA", "Blade", "Blade Enclosure", "Tablet",
                 "Convertible", "Detachable", "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC")
_SIZE_UNITS = ("Bytes", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")


def _read(path: str, default: Any = None) -> Any:
    """The file's text without surrounding white space, or ``default``."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        return default


class _Finished:
    """A command whose result is known without running it."""

    def __init__(self, rc: int, out: str) -> None:
        self.finished = (rc, out)


class Commands:
    """Commands started at once, read when needed: fact gathering waits for the
    slowest, not for their sum.  A missing program reads as ``(127, "")``."""

    def __init__(self) -> None:
        self._running: dict[tuple[str, ...], Any] = {}
        self._env = dict(os.environ, LANG="C", LC_ALL="C", LC_MESSAGES="C")

    def start(self, *argv: str) -> None:
        if argv in self._running:
            return
        path = shutil.which(argv[0], path=os.environ.get("PATH", "") + ":/sbin:/usr/sbin:/usr/local/sbin")
        if path is None:
            self._running[argv] = None
            return
        try:
            self._running[argv] = subprocess.Popen([path, *argv[1:]], stdout=subprocess.PIPE,
                                                   stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                                   env=self._env)
        except OSError:
            self._running[argv] = None

    def provide(self, argv: tuple[str, ...], rc: int, out: str) -> None:
        """Record what ``argv`` would print, so that it is not run."""
        self._running[argv] = _Finished(rc, out)

    def output(self, *argv: str) -> tuple[int, str]:
        self.start(*argv)
        proc = self._running[argv]
        if proc is None:
            return 127, ""
        if not hasattr(proc, "finished"):
            try:
                out, _ = proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, _ = proc.communicate()
            proc.finished = (proc.returncode, out.decode("utf-8", "replace"))
        return proc.finished


def _which(name: str) -> str | None:
    return shutil.which(name, path=os.environ.get("PATH", "") + ":/sbin:/usr/sbin:/usr/local/sbin")


def _os_release() -> dict[str, str]:
    data: dict[str, str] = {}
    for line in (_read("/etc/os-release", "") or "").splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            data[key.strip()] = value.strip().strip('"\'')
    return data


def _fqdn() -> str:
    """What ``socket.getfqdn()`` returns, without its import of the idna codec (and of
    stringprep and unicodedata): an ASCII host name goes to ``gethostbyaddr`` as bytes."""
    name = socket.gethostname()
    try:
        host: str | bytes = name.encode("ascii")
    except UnicodeEncodeError:
        host = name
    try:
        hostname, aliases, _ = socket.gethostbyaddr(host)  # type: ignore[arg-type]  # CPython takes bytes too
    except OSError:
        return name
    return next((alias for alias in [hostname, *aliases] if "." in alias), hostname)


def platform_facts(run: Commands) -> dict:
    # os.uname() and the first word of sys.version say what platform.uname() and
    # platform.python_version() would, without importing platform
    uname = os.uname()
    fqdn = _fqdn()
    machine = uname.machine
    facts = {
        "system": uname.sysname, "kernel": uname.release, "kernel_version": uname.version,
        "machine": machine, "python_version": sys.version.split()[0], "architecture": machine,
        "fqdn": fqdn, "hostname": uname.nodename.split(".")[0], "nodename": uname.nodename,
        "domain": ".".join(fqdn.split(".")[1:]), "userspace_bits": str(struct.calcsize("P") * 8),
    }
    if machine == "x86_64":
        facts["userspace_architecture"] = "x86_64" if facts["userspace_bits"] == "64" else "i386"
    machine_id = _read("/var/lib/dbus/machine-id") or _read("/etc/machine-id")
    if machine_id:
        facts["machine_id"] = machine_id.splitlines()[0]
    return facts


def distribution_facts(run: Commands) -> dict:
    release = _os_release()
    version = release.get("VERSION_ID", "")
    dist_id = release.get("ID", "").lower()
    name = _DISTRIBUTION_NAMES.get(dist_id, release.get("NAME", os.uname().sysname).split()[0])
    facts: dict[str, Any] = {"distribution": name, "distribution_version": version or "NA",
             "distribution_release": release.get("VERSION_CODENAME", "") or "NA",
             "distribution_major_version": version.split(".")[0] if version else "NA"}
    if release:
        facts.update(distribution_file_path="/etc/os-release", distribution_file_parsed=True,
                     distribution_file_variety=_OS_FAMILY.get(name, name))
    if name == "Debian":
        pretty = re.search(r"[^(]+ \(?([^)]+?)\)", release.get("PRETTY_NAME", ""))
        if pretty:
            facts["distribution_release"] = pretty.group(1)
        debian = _read("/etc/debian_version", "")
        numbers = re.search(r"(\d+)\.(\d+)", debian)
        if numbers:
            facts["distribution_version"] = debian
            facts["distribution_minor_version"] = numbers.group(2)
        elif debian and version:
            facts["distribution_version"] = version
    elif "." in version:
        facts["distribution_minor_version"] = version.split(".")[1]
    facts["os_family"] = _OS_FAMILY.get(name, name)
    return facts


#: (size, CRC-32) of the scripts known to print what :func:`_minimal_lsb_release` computes: Debian's
#: minimal lsb_release (package lsb-release 12.0-1, a POSIX shell script reading os-release)
_MINIMAL_LSB_RELEASE = frozenset(((2651, 3657159176),))
#: an os-release line the minimal lsb_release's ``. file`` reads as a plain assignment of a literal
_PLAIN_ASSIGNMENT = re.compile(r"""([A-Z][A-Z0-9_]*)=(?:"([^"\\$`]*)"|'([^']*)'|([A-Za-z0-9_.,:/@%+=-]*))[ \t]*""")
#: names whose assignment changes how a shell script runs
_SHELL_NAMES = frozenset(("PATH", "IFS", "ENV", "CDPATH", "HOME", "PS1", "PS2", "PS4", "OPTIND", "OPTARG", "PPID",
                          "PWD", "OLDPWD", "MAIL", "MAILPATH", "LINENO", "TMPDIR", "LANG", "LANGUAGE", "TERM"))
#: what the minimal lsb_release reads from its environment and os-release
_LSB_INPUTS = ("ID", "NAME", "PRETTY_NAME", "VERSION_ID", "VERSION_CODENAME", "LSB_OS_RELEASE", "os_release")


def _minimal_lsb_release() -> str | None:
    """What ``lsb_release -a`` prints, computed as Debian's minimal ``lsb_release``
    script computes it, without starting a shell and its four pipelines; ``None``
    (run the command) unless that is certain: the ``lsb_release`` on the path is that
    exact script (size and CRC-32), the environment sets none of its inputs, and every
    line of the os-release file it reads is blank, a comment, or an assignment of a
    literal ASCII value to an upper-case name that is not one of the shell's own."""
    path = _which("lsb_release")
    if path is None or any(name in os.environ for name in _LSB_INPUTS):
        return None
    for tool in ("getopt", "cut", "tr"):
        if shutil.which(tool) is None:
            return None
    try:
        with open(path, "rb") as handle:
            script = handle.read(4096)
    except OSError:
        return None
    if (len(script), zlib.crc32(script)) not in _MINIMAL_LSB_RELEASE:
        return None
    source = next((p for p in ("/etc/os-release", "/usr/lib/os-release") if os.path.isfile(p)), None)
    if source is None:
        return minimal_lsb_release_output(b"")
    try:
        with open(source, "rb") as handle:
            return minimal_lsb_release_output(handle.read())
    except OSError:
        return None


def minimal_lsb_release_output(os_release: bytes) -> str | None:
    """What Debian's minimal ``lsb_release -a`` prints with ``os_release`` as its
    os-release file (and none of its inputs in the environment), or ``None`` when a
    line of it is not one that this computes exactly (see :func:`_minimal_lsb_release`)."""
    try:
        text = os_release.decode("ascii")
    except UnicodeDecodeError:
        return None
    values: dict[str, str] = {}
    for line in text.split("\n"):
        if not line or line.startswith("#"):
            continue
        plain = _PLAIN_ASSIGNMENT.fullmatch(line)
        if plain is None or plain.group(1) in _SHELL_NAMES or plain.group(1).startswith("LC_"):
            return None
        values[plain.group(1)] = next(group for group in plain.groups()[1:] if group is not None)
    dist_id = values.get("ID", "")
    dist_id = dist_id[:1].upper() + dist_id[1:]
    if "NAME" in values and dist_id.lower() == values["NAME"].lower():
        dist_id = values["NAME"]
    return "".join(f"{label}:\t{value or 'n/a'}\n" for label, value in (
        ("Distributor ID", dist_id), ("Description", values.get("PRETTY_NAME")),
        ("Release", values.get("VERSION_ID")), ("Codename", values.get("VERSION_CODENAME"))))


def lsb_facts(run: Commands) -> dict:
    lsb: dict[str, str] = {}
    rc, out = run.output("lsb_release", "-a")
    if rc == 0:
        names = {"LSB Version:": "release", "Distributor ID:": "id", "Description:": "description",
                 "Release:": "release", "Codename:": "codename"}
        for line in out.splitlines():
            for label, key in names.items():
                if ":" in line and label in line:
                    lsb[key] = line.split(":", 1)[1].strip()
    if not lsb:
        names = {"DISTRIB_ID": "id", "DISTRIB_RELEASE": "release", "DISTRIB_DESCRIPTION": "description",
                 "DISTRIB_CODENAME": "codename"}
        for line in (_read("/etc/lsb-release", "") or "").splitlines():
            for label, key in names.items():
                if label in line and "=" in line:
                    lsb[key] = line.split("=", 1)[1].strip()
    if "release" in lsb:
        lsb["major_release"] = lsb["release"].split(".")[0]
    return {"lsb": {key: value.strip("\"'\\") if value else value for key, value in lsb.items()}}


def selinux_facts(run: Commands) -> dict:
    try:
        library = ctypes.CDLL("libselinux.so.1", use_errno=True)
    except OSError:
        return {"selinux": {"status": "Missing selinux Python library"}, "selinux_python_present": False}
    if not library.is_selinux_enabled():
        return {"selinux": {"status": "disabled"}, "selinux_python_present": True}
    modes = {1: "enforcing", 0: "permissive", -1: "disabled"}
    info: dict[str, Any] = {"status": "enabled", "policyvers": library.security_policyvers()}
    mode = ctypes.c_int()
    info["config_mode"] = modes.get(mode.value, "unknown") if library.selinux_getenforcemode(ctypes.byref(mode)) == 0 \
        else "unknown"
    info["mode"] = modes.get(library.security_getenforce(), "unknown")
    policy = ctypes.c_char_p()
    info["type"] = policy.value.decode() if library.selinux_getpolicytype(ctypes.byref(policy)) == 0 \
        and policy.value else "unknown"
    return {"selinux": info, "selinux_python_present": True}


def apparmor_facts(run: Commands) -> dict:
    return {"apparmor": {"status": "enabled" if os.path.exists("/sys/kernel/security/apparmor") else "disabled"}}


def chroot_facts(run: Commands) -> dict:
    if os.environ.get("debian_chroot"):
        return {"is_chroot": True}
    mine = os.stat("/")
    try:
        init = os.stat("/proc/1/root/.")
        return {"is_chroot": mine.st_ino != init.st_ino or mine.st_dev != init.st_dev}
    except OSError:
        out = _root_fs_type() or run.output("stat", "-f", "--format=%T", "/")[1]
        root_inode = 256 if "btrfs" in out else 128 if "xfs" in out else 2
        return {"is_chroot": mine.st_ino != root_inode}


def _root_fs_type() -> str | None:
    """The type of the file system mounted last on ``/`` (what ``stat -f`` tells of
    ``/`` as far as the btrfs/xfs test goes), from ``/proc/self/mountinfo``; None when
    that does not say."""
    found = None
    for line in (_read("/proc/self/mountinfo", "") or "").splitlines():
        fields = line.split()
        if len(fields) > 4 and fields[4] == "/" and " - " in line:
            found = line.split(" - ", 1)[1].split()[0]
    return found


def fips_facts(run: Commands) -> dict:
    return {"fips": _read("/proc/sys/crypto/fips_enabled") == "1"}


def python_facts(run: Commands) -> dict:
    info = sys.version_info
    # whether ssl can be imported (it always has SSLContext), without importing it:
    # loading OpenSSL costs more than the rest of the python facts
    ssl = sys.modules.get("ssl")
    if ssl is not None:
        has_context = hasattr(ssl, "SSLContext")
    else:
        import importlib.util
        has_context = importlib.util.find_spec("_ssl") is not None and importlib.util.find_spec("ssl") is not None
    return {"python": {
        "version": {"major": info.major, "minor": info.minor, "micro": info.micro,
                    "releaselevel": info.releaselevel, "serial": info.serial},
        "version_info": list(info), "executable": sys.executable, "has_sslcontext": has_context,
        "type": sys.implementation.name}}


def caps_facts(run: Commands) -> dict:
    rc, out = run.output("capsh", "--print")
    if rc == 127 or rc != 0:
        return {}
    enforced, capabilities = "NA", []
    for line in out.splitlines():
        if line.startswith("Current:"):
            if line.split(":")[1].strip() == "=ep":
                enforced = "False"
            else:
                enforced = "True"
                capabilities = [item.strip() for item in line.split("=")[1].split(",")]
    return {"system_capabilities_enforced": enforced, "system_capabilities": capabilities}


def pkg_mgr_facts(run: Commands) -> dict:
    for path, name in _PKG_MGRS:
        if os.path.exists(path):
            return {"pkg_mgr": name}
    return {"pkg_mgr": "unknown"}


def _systemd_running() -> bool:
    return any(os.path.exists(p) for p in ("/run/systemd/system/", "/dev/.run/systemd/", "/dev/.systemd/"))


def service_mgr_facts(run: Commands) -> dict:
    first = _read("/proc/1/comm")
    if not first:
        rc, out = run.output("ps", "-p", "1", "-o", "comm")
        last = out.strip().splitlines()[-1] if out.strip() else ""
        first = last if rc == 0 and last and not re.match(r" *[0-9]+ ", last) else None
    if first == "COMMAND":
        first = None
    if first is None and os.path.islink("/sbin/init"):
        first = os.readlink("/sbin/init")
    if first is not None:
        first = os.path.basename(first).strip()
        if first == "init" or first.endswith("sh"):
            first = None
    if first is not None:
        names = {"svscan": "svc", "openrc-init": "openrc", "runit": "runit", "runit-init": "runit"}
        return {"service_mgr": names.get(first, "systemd" if first.startswith("systemd") else first)}
    if _which("systemctl") and _systemd_running():
        return {"service_mgr": "systemd"}
    if _which("initctl") and os.path.exists("/etc/init/"):
        return {"service_mgr": "upstart"}
    if os.path.exists("/sbin/openrc"):
        return {"service_mgr": "openrc"}
    if _which("systemctl") and os.path.islink("/sbin/init") and \
            os.path.basename(os.readlink("/sbin/init")) == "systemd":
        return {"service_mgr": "systemd"}
    if os.path.exists("/etc/init.d/"):
        return {"service_mgr": "sysvinit"}
    if os.path.exists("/etc/dinit.d/"):
        return {"service_mgr": "dinit"}
    return {"service_mgr": "service"}


def cmdline_facts(run: Commands) -> dict:
    text = _read("/proc/cmdline")
    if not text:
        return {}
    plain: dict[str, Any] = {}
    proc: dict[str, Any] = {}
    for item in text.split():
        key, sep, value = item.partition("=")
        plain[key] = value if sep else True
        if key in proc:
            proc[key] = (proc[key] if isinstance(proc[key], list) else [proc[key]]) + [value if sep else True]
        else:
            proc[key] = value if sep else True
    return {"cmdline": plain, "proc_cmdline": proc}


def date_time_facts(run: Commands) -> dict:
    epoch = time.time()
    now = datetime.datetime.fromtimestamp(epoch)
    utc = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return {"date_time": {
        "year": now.strftime("%Y"), "month": now.strftime("%m"), "weekday": now.strftime("%A"),
        "weekday_number": now.strftime("%w"), "weeknumber": now.strftime("%W"), "day": now.strftime("%d"),
        "hour": now.strftime("%H"), "minute": now.strftime("%M"), "second": now.strftime("%S"),
        "epoch": now.strftime("%s") or str(int(epoch)), "epoch_int": str(int(epoch)),
        "date": now.strftime("%Y-%m-%d"), "time": now.strftime("%H:%M:%S"),
        "iso8601_micro": utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "iso8601": utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "iso8601_basic": now.strftime("%Y%m%dT%H%M%S%f"), "iso8601_basic_short": now.strftime("%Y%m%dT%H%M%S"),
        "tz": time.strftime("%Z"), "tz_dst": time.tzname[1], "tz_offset": time.strftime("%z")}}


def env_facts(run: Commands) -> dict:
    return {"env": dict(os.environ)}


def loadavg_facts(run: Commands) -> dict:
    try:
        return {"loadavg": dict(zip(("1m", "5m", "15m"), os.getloadavg()))}
    except OSError:
        return {}


def ssh_pub_keys_facts(run: Commands) -> dict:
    facts: dict[str, str] = {}
    for directory in ("/etc/ssh", "/etc/openssh", "/etc"):
        for kind in ("dsa", "rsa", "ecdsa", "ed25519"):
            fields = (_read(f"{directory}/ssh_host_{kind}_key.pub", "") or "").split()
            if len(fields) >= 2:
                facts[f"ssh_host_key_{kind}_public"] = fields[1]
                facts[f"ssh_host_key_{kind}_public_keytype"] = fields[0]
        if facts:
            break
    return facts


def user_facts(run: Commands) -> dict:
    try:
        entry = pwd.getpwuid(os.getuid())
    except KeyError:
        return {"user_id": str(os.getuid()), "real_user_id": os.getuid(), "effective_user_id": os.geteuid(),
                "real_group_id": os.getgid(), "effective_group_id": os.getegid()}
    return {"user_id": entry.pw_name, "user_uid": entry.pw_uid, "user_gid": entry.pw_gid,
            "user_gecos": entry.pw_gecos, "user_dir": entry.pw_dir, "user_shell": entry.pw_shell,
            "real_user_id": os.getuid(), "effective_user_id": os.geteuid(),
            "real_group_id": os.getgid(), "effective_group_id": os.getegid()}


def systemd_facts(run: Commands) -> dict:
    if not _systemd_running():
        return {}
    rc, out = run.output("systemctl", "--version")
    lines = out.splitlines()
    if rc != 0 or not lines:
        return {}
    words = lines[0].split()
    return {"systemd": {"version": int(words[1]) if len(words) > 1 and words[1].isdigit() else words[1],
                        "features": lines[1] if len(lines) > 1 else ""}}


def dns_facts(run: Commands) -> dict:
    dns: dict[str, Any] = {}
    for line in (_read("/etc/resolv.conf", "") or "").splitlines():
        if line.startswith(("#", ";")) or not line.strip():
            continue
        fields = line.split()
        if len(fields) < 2:
            continue
        if fields[0] == "nameserver":
            dns.setdefault("nameservers", []).append(fields[1])
        elif fields[0] == "domain":
            dns["domain"] = fields[1]
        elif fields[0] == "search":
            dns["search"] = fields[1:]
        elif fields[0] == "sortlist":
            dns["sortlist"] = fields[1:]
        elif fields[0] == "options":
            for option in fields[1:]:
                key, sep, value = option.partition(":")
                dns.setdefault("options", {})[key] = value if sep else True
    return {"dns": dns}


def virtual_facts(run: Commands) -> dict:
    """``virtualization_type``/``role`` from the first sign found (container
    markers, then DMI, loaded modules, /dev/kvm), and every technology seen."""
    guest: set[str] = set()
    host: set[str] = set()
    found: list[tuple[str, str]] = []

    def seen(tech: str, role: str | None, kind: str | None = None) -> None:
        (guest if role == "guest" else host).add(tech)
        if not found:
            found.append((kind or tech, role or "guest"))

    for line in (_read("/proc/1/cgroup", "") or "").splitlines():
        if re.search(r"/docker(/|-[0-9a-f]+\.scope)", line):
            seen("docker", "guest")
        if "/lxc/" in line or "/machine.slice/machine-lxc" in line:
            seen("lxc", "guest")
        if "/system.slice/containerd.service" in line:
            seen("containerd", "guest")
    for item in (_read("/proc/1/environ", "") or "").split("\x00"):
        if "container=lxc" in item:
            seen("lxc", "guest")
        if "container=podman" in item:
            seen("podman", "guest")
        if re.match("container=.", item):
            seen("container", "guest")
    if os.path.exists("/proc/vz") and not os.path.exists("/proc/lve"):
        seen("openvz", "host" if os.path.exists("/proc/bc") else "guest")
    container = _read("/run/systemd/container")
    if container:
        seen(container, "guest")
    if os.path.exists("/.dockerenv") or os.path.exists("/.dockerinit"):
        seen("docker", "guest")
    if guest & {"docker", "lxc", "podman", "openvz", "containerd"} or container:
        guest.add("container")
    if os.path.exists("/proc/xen"):
        xen_host = "control_d" in (_read("/proc/xen/capabilities", "") or "")
        seen("xen", "host" if xen_host else "guest")
    product = _read("/sys/devices/virtual/dmi/id/product_name")
    vendor = _read("/sys/devices/virtual/dmi/id/sys_vendor")
    bios = _read("/sys/devices/virtual/dmi/id/bios_vendor")
    if product in ("KVM", "KVM Server", "Bochs", "AHV", "CloudStack KVM Hypervisor") or \
            bios in ("Amazon EC2", "DigitalOcean", "Hetzner", "Linode") or \
            vendor in ("QEMU", "Amazon EC2", "DigitalOcean", "Google", "Scaleway", "Nutanix"):
        seen("kvm", "guest")
    if vendor == "oVirt":
        seen("oVirt", "guest")
    if product and product.startswith("VMware"):
        seen("VMware", "guest")
    if product in ("OpenStack Compute", "OpenStack Nova"):
        seen("openstack", "guest")
    if bios == "Xen":
        seen("xen", "guest")
    if bios == "innotek GmbH":
        seen("virtualbox", "guest")
    modules = {line.split(" ", 1)[0] for line in (_read("/proc/modules", "") or "").splitlines()}
    if "kvm" in modules:
        seen("kvm", "host")
    if "vboxdrv" in modules:
        seen("virtualbox", "host")
    if "virtio" in modules:
        host.add("kvm")
        if not found:
            found.append(("kvm", "guest"))
    if os.path.exists("/dev/kvm"):
        seen("kvm", "host")
    kind, role = found[0] if found else ("NA", "NA")
    return {"virtualization_type": kind, "virtualization_role": role,
            "virtualization_tech_guest": sorted(guest), "virtualization_tech_host": sorted(host)}


def _human(size: float) -> str:
    unit = 0
    while unit < len(_SIZE_UNITS) - 1 and size >= 1 << (10 * (unit + 1)):
        unit += 1
    if unit == 0:
        return "%.2f Bytes" % size
    return "%.2f %s" % (size / (1 << (10 * unit)), _SIZE_UNITS[unit])


def _cpu_facts() -> dict:
    facts: dict[str, Any] = {"processor": []}
    counts = {"vendor_id": 0, "model name": 0, "processor": 0}
    sockets: dict[str, int] = {}
    cores: dict[str, int] = {}
    physical, core = "0", "0"
    entries = 0
    for line in (_read("/proc/cpuinfo", "") or "").splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "flags":
            facts["flags"] = value.split()
        if key in ("model name", "Processor", "vendor_id", "cpu", "Vendor", "processor"):
            facts["processor"].append(value)
            if key in counts:
                counts[key] += 1
            entries += 1
        elif key == "physical id":
            physical = value
            sockets.setdefault(physical, 1)
        elif key == "core id":
            core = value
            if core not in sockets:
                cores[core] = 1
        elif key == "cpu cores":
            sockets[physical] = int(value)
        elif key == "siblings":
            cores[core] = int(value)
    if counts["vendor_id"] and counts["vendor_id"] == counts["model name"]:
        entries = counts["vendor_id"]
    if os.uname().machine.startswith(("armv", "aarch", "ppc")):
        entries = counts["processor"]
    facts["processor_count"] = len(sockets) if sockets else entries
    first_socket = next(iter(sockets.values()), 0)
    facts["processor_cores"] = first_socket or 1
    first_core = next(iter(cores.values()), None)
    facts["processor_threads_per_core"] = round((first_core if first_core is not None else 1)
                                                / facts["processor_cores"])
    facts["processor_vcpus"] = facts["processor_threads_per_core"] * facts["processor_count"] * \
        facts["processor_cores"]
    facts["processor_nproc"] = len(os.sched_getaffinity(0))
    return facts


def _memory_facts() -> dict:
    stats: dict[str, int] = {}
    for line in (_read("/proc/meminfo", "") or "").splitlines():
        key, _, value = line.partition(":")
        if key in ("MemTotal", "SwapTotal", "MemFree", "SwapFree", "Buffers", "Cached", "SwapCached"):
            stats[key.lower()] = int(value.strip().split(" ")[0]) // 1024
    if not stats:
        return {}
    facts: dict[str, Any] = {f"{k}_mb": stats[k] for k in ("memtotal", "swaptotal", "memfree", "swapfree")
                             if k in stats}
    nocache_free = stats.get("cached", 0) + stats.get("memfree", 0) + stats.get("buffers", 0)
    facts["memory_mb"] = {
        "real": {"total": stats.get("memtotal"), "used": stats.get("memtotal", 0) - stats.get("memfree", 0),
                 "free": stats.get("memfree")},
        "nocache": {"free": nocache_free, "used": stats.get("memtotal", 0) - nocache_free},
        "swap": {"total": stats.get("swaptotal"), "free": stats.get("swapfree"),
                 "used": stats.get("swaptotal", 0) - stats.get("swapfree", 0), "cached": stats.get("swapcached")},
    }
    return facts


def _dmi_facts(run: Commands) -> dict:
    base = "/sys/devices/virtual/dmi/id/"
    if not os.path.exists(base + "product_name"):
        return dict.fromkeys(_DMI, "NA")
    facts = {}
    for key in _DMI:
        name = {"form_factor": "chassis_type", "system_vendor": "sys_vendor"}.get(key, key)
        value = _read(base + name)
        if value is None:
            facts[key] = "NA"
        elif key == "form_factor":
            try:
                facts[key] = _FORM_FACTORS[int(value)]
            except (IndexError, ValueError):
                facts[key] = f"unknown ({value})"
        else:
            facts[key] = value
    return facts


def _device_links() -> dict:
    def links(directory: str) -> dict[str, list[str]]:
        found: dict[str, set[str]] = {}
        try:
            names = os.listdir(directory)
        except OSError:
            return {}
        for name in names:
            try:
                found.setdefault(os.path.basename(os.readlink(os.path.join(directory, name))), set()).add(name)
            except OSError:
                continue
        return {k: sorted(v) for k, v in found.items()}
    masters: dict[str, set[str]] = {}
    for path in glob.glob("/sys/block/*/slaves/*"):
        parts = path.split("/")
        masters.setdefault(parts[5], set()).add(parts[3])
    return {"ids": links("/dev/disk/by-id"), "uuids": links("/dev/disk/by-uuid"),
            "labels": links("/dev/disk/by-label"), "masters": {k: sorted(v) for k, v in masters.items()}}


def _holders(sysdir: str) -> list[str]:
    holders = []
    if os.path.isdir(sysdir + "/holders"):
        for folder in os.listdir(sysdir + "/holders"):
            if folder.startswith("dm-"):
                holders.append(_read(f"{sysdir}/holders/{folder}/dm/name") or folder)
    return holders


def _device_facts(run: Commands) -> dict:
    try:
        blocks = os.listdir("/sys/block")
    except OSError:
        return {"devices": {}}
    pci = run.output("lspci", "-D")[1]
    wwns: dict[str, str] = {}
    try:
        for name in os.listdir("/dev/disk/by-id"):
            if name.startswith("wwn-"):
                try:
                    wwns[os.path.basename(os.readlink(os.path.join("/dev/disk/by-id", name)))] = name[4:]
                except OSError:
                    continue
    except OSError:
        pass
    links = _device_links()
    devices = {}
    for block in blocks:
        virtual = 1
        try:
            sysdir = os.path.join("/sys/block", os.readlink(os.path.join("/sys/block", block)))
        except OSError:
            sysdir = os.path.join("/sys/block", block)
            if any("device" in folder for folder in os.listdir(sysdir)):
                virtual = 0
        name = os.path.basename(sysdir)
        info: dict[str, Any] = {"virtual": virtual,
                                "links": {kind: values.get(block, []) for kind, values in links.items()}}
        for key in ("vendor", "model", "sas_address", "sas_device_handle"):
            info[key] = _read(f"{sysdir}/device/{key}")
        serial = _read(f"/sys/block/{block}/device/serial")
        if serial:
            info["serial"] = serial
        info["removable"] = _read(sysdir + "/removable")
        info["support_discard"] = "0" if _read(sysdir + "/queue/discard_max_hw_bytes") == "0" \
            else _read(sysdir + "/queue/discard_granularity")
        if name in wwns:
            info["wwn"] = wwns[name]
        info["partitions"] = {}
        for folder in os.listdir(sysdir):
            match = re.search("(" + re.escape(name) + r"[p]?\d+)", folder)
            if not match:
                continue
            part_name = match.group(1)
            part_dir = f"{sysdir}/{part_name}"
            sector_size = _read(part_dir + "/queue/logical_block_size") or \
                _read(part_dir + "/queue/hw_sector_size", 512)
            sectors = int(_read(part_dir + "/size", 0) or 0) * 512 // int(sector_size)
            uuid = None
            try:
                for entry in os.listdir("/dev/disk/by-uuid"):
                    if os.path.realpath("/dev/disk/by-uuid/" + entry) == "/dev/" + part_name:
                        uuid = entry
                        break
            except OSError:
                pass
            info["partitions"][part_name] = {
                "links": {kind: values.get(part_name, []) for kind, values in links.items()},
                "start": _read(part_dir + "/start", 0), "sectorsize": sector_size, "sectors": sectors,
                "size": _human(float(sectors) * float(sector_size)), "uuid": uuid, "holders": _holders(part_dir)}
        info["rotational"] = _read(sysdir + "/queue/rotational")
        scheduler = re.match(r".*?(\[(.*)\])", _read(sysdir + "/queue/scheduler", "") or "")
        info["scheduler_mode"] = scheduler.group(2) if scheduler else ""
        info["sectorsize"] = _read(sysdir + "/queue/logical_block_size") or \
            _read(sysdir + "/queue/hw_sector_size", 512)
        info["sectors"] = int(_read(sysdir + "/size", 0) or 0) * 512 // int(info["sectorsize"]) or 0
        info["size"] = _human(float(info["sectors"]) * float(info["sectorsize"]))
        info["host"] = ""
        pci_id = re.match(r".+/([a-f0-9]{4}:[a-f0-9]{2}:[0|1][a-f0-9]\.[0-7])/", sysdir)
        if pci_id and pci:
            described = re.search("^" + re.escape(pci_id.group(1)) + r"\s(.*)$", pci, re.MULTILINE)
            if described:
                info["host"] = described.group(1)
        info["holders"] = _holders(sysdir)
        devices[name] = info
    return {"devices": devices, "device_links": links}


def _lvm_facts(run: Commands) -> dict:
    if _which("vgs") is None or os.getuid() != 0:
        return {"lvm": "N/A"}
    options = ("--noheadings", "--nosuffix", "--units", "g", "--separator", ",")
    vgs: dict[str, Any] = {}
    for line in run.output("vgs", *options)[1].splitlines():
        items = line.strip().split(",")
        if len(items) >= 4:
            vgs[items[0]] = {"size_g": items[-2], "free_g": items[-1], "num_lvs": items[2], "num_pvs": items[1],
                             "lvs": {}}
    lvs: dict[str, Any] = {}
    for line in run.output("lvs", *options)[1].splitlines():
        items = line.strip().split(",")
        if len(items) >= 4:
            lvs[items[0]] = {"size_g": items[3], "vg": items[1]}
            if items[1] in vgs:
                vgs[items[1]]["lvs"][items[0]] = {"size_g": items[3]}
    pvs: dict[str, Any] = {}
    for line in run.output("pvs", *options)[1].splitlines():
        items = line.strip().split(",")
        if len(items) >= 6:
            pvs[items[0]] = {"size_g": items[4], "free_g": items[5], "vg": items[1]}
    return {"lvm": {"lvs": lvs, "vgs": vgs, "pvs": pvs}}


def _unescape(value: str) -> str:
    return re.sub(r"\\[0-7]{3}", lambda m: chr(int(m.group()[1:], 8)), value)


def _mount_facts(run: Commands) -> dict:
    """Mounted file systems backed by a device path or a network source (pseudo
    file systems left out), with sizes and the device's UUID."""
    binds = set()
    for line in run.output("findmnt", "--list", "--noheadings", "--notruncate")[1].splitlines():
        fields = line.split()
        if len(fields) >= 2 and re.match(r".*\]", fields[1]):
            binds.add(fields[0])
    uuids: dict[str, str] = {}
    for line in run.output("lsblk", "--list", "--noheadings", "--paths", "--output", "NAME,UUID",
                           "--exclude", "2")[1].splitlines():
        fields = line.strip().rsplit(None, 1)
        if len(fields) == 2 and fields[0] not in uuids:
            uuids[fields[0]] = fields[1]
    table = "/etc/mtab" if os.path.exists("/etc/mtab") else "/proc/mounts"
    mounts = []
    for line in (_read(table, "") or "").splitlines():
        fields = [_unescape(field) for field in line.split()]
        if len(fields) < 6:
            continue
        device, mount, fstype, options = fields[:4]
        if not device.startswith(("/", "\\")) and ":/" not in device or fstype == "none":
            continue
        entry: dict[str, Any] = {"mount": mount, "device": device, "fstype": fstype, "options": options,
                                 "dump": int(fields[4]), "passno": int(fields[5])}
        if mount in binds and not re.match(r'.*bind.*"', options):
            entry["options"] += ",bind"
        try:
            st = os.statvfs(mount)
            entry.update(size_total=st.f_frsize * st.f_blocks, size_available=st.f_frsize * st.f_bavail,
                         block_size=st.f_bsize, block_total=st.f_blocks, block_available=st.f_bavail,
                         block_used=st.f_blocks - st.f_bavail, inode_total=st.f_files,
                         inode_available=st.f_favail, inode_used=st.f_files - st.f_favail)
        except OSError:
            pass
        uuid = uuids.get(device)
        if uuid is None:
            property_text = run.output("udevadm", "info", "--query", "property", "--name", device)[1]
            found = re.search("ID_FS_UUID=(.*)\n", property_text)
            uuid = found.group(1) if found else None
        entry["uuid"] = uuid or "N/A"
        mounts.append(entry)
    return {"mounts": mounts}


def hardware_facts(run: Commands) -> dict:
    facts: dict[str, Any] = {}
    facts.update(_cpu_facts())
    facts.update(_memory_facts())
    facts.update(_dmi_facts(run))
    facts.update(_device_facts(run))
    uptime = _read("/proc/uptime")
    if uptime:
        facts["uptime_seconds"] = int(float(uptime.split(" ")[0]))
    facts.update(_lvm_facts(run))
    facts.update(_mount_facts(run))
    return facts


def _default_routes(run: Commands) -> tuple[dict, dict]:
    defaults: list[dict] = []
    for version, target in (("-4", "8.8.8.8"), ("-6", "2404:6800:400a:800::1012")):
        route: dict[str, str] = {}
        if version == "-6" and not socket.has_ipv6:
            defaults.append(route)
            continue
        out = run.output("ip", version, "route", "get", target)[1]
        words = out.splitlines()[0].split() if out.strip() else []
        if words and words[0] == target:
            for index in range(len(words) - 1):
                if words[index] == "dev":
                    route["interface"] = words[index + 1]
                elif words[index] == "src":
                    route["address"] = words[index + 1]
                elif words[index] == "via" and words[index + 1] != target:
                    route["gateway"] = words[index + 1]
        defaults.append(route)
    return defaults[0], defaults[1]


def _ipv4_entry(words: list[str]) -> dict[str, str]:
    if "/" in words[1]:
        address, prefix = words[1].split("/")
    else:
        address, prefix = words[1], "32"
    broadcast = words[3] if len(words) > 3 and words[2] == "brd" else ""
    mask = (1 << 32) - (1 << 32 >> int(prefix))
    packed = struct.unpack("!L", socket.inet_aton(address))[0]
    return {"address": address, "broadcast": broadcast, "netmask": socket.inet_ntoa(struct.pack("!L", mask)),
            "network": socket.inet_ntoa(struct.pack("!L", packed & mask)), "prefix": prefix}


def network_facts(run: Commands) -> dict:
    """Interfaces from /sys/class/net and their addresses from ``ip addr``, the
    default routes from ``ip route get`` (none of these without ``ip``)."""
    if _which("ip") is None:
        return {}
    for version in ("-4", "-6"):
        run.start("ip", version, "route", "show", "table", "local")
    run.start("ip", "addr", "show")
    default4, default6 = _default_routes(run)
    interfaces: dict[str, dict[str, Any]] = {}
    all4: list[str] = []
    all6: list[str] = []
    for path in glob.glob("/sys/class/net/*"):
        if not os.path.isdir(path):
            continue
        device = os.path.basename(path)
        info: dict[str, Any] = {"device": device}
        mac = _read(path + "/address", "")
        if mac and mac != "00:00:00:00:00:00":
            info["macaddress"] = mac
        if os.path.exists(path + "/mtu"):
            info["mtu"] = int(_read(path + "/mtu"))
        if os.path.exists(path + "/operstate"):
            info["active"] = _read(path + "/operstate") != "down"
        if os.path.exists(path + "/device/driver/module"):
            info["module"] = os.path.basename(os.path.realpath(path + "/device/driver/module"))
        if os.path.exists(path + "/type"):
            info["type"] = _INTERFACE_TYPES.get(_read(path + "/type"), "unknown")
        if os.path.exists(path + "/bridge"):
            info["type"] = "bridge"
            info["interfaces"] = [os.path.basename(b) for b in glob.glob(path + "/brif/*")]
            if os.path.exists(path + "/bridge/bridge_id"):
                info["id"] = _read(path + "/bridge/bridge_id", "")
            if os.path.exists(path + "/bridge/stp_state"):
                info["stp"] = _read(path + "/bridge/stp_state") == "1"
        if os.path.exists(path + "/bonding"):
            info["type"] = "bonding"
            info["slaves"] = (_read(path + "/bonding/slaves", "") or "").split()
            for key in ("mode", "miimon", "lacp_rate"):
                info[key] = ((_read(f"{path}/bonding/{key}", "") or "").split() or [""])[0]
            primary = _read(path + "/bonding/primary")
            if primary:
                info["primary"] = primary
                if os.path.exists(path + "/bonding/all_slaves_active"):
                    info["all_slaves_active"] = _read(path + "/bonding/all_slaves_active") == "1"
        if os.path.exists(path + "/bonding_slave"):
            info["perm_macaddress"] = _read(path + "/bonding_slave/perm_hwaddr", "")
        if os.path.exists(path + "/device"):
            info["pciid"] = os.path.basename(os.readlink(path + "/device"))
        if os.path.exists(path + "/speed"):
            speed = _read(path + "/speed")
            if speed is not None:
                info["speed"] = int(speed)
        if os.path.exists(path + "/flags"):
            info["promisc"] = int(_read(path + "/flags"), 16) & 0x0100 > 0
        interfaces[device] = info
    current = None
    for line in run.output("ip", "addr", "show")[1].splitlines():
        if line and not line[0].isspace():
            name = line.split(":")[1].strip().split("@")[0] if ":" in line else None
            current = name if name in interfaces else None
            continue
        words = line.split()
        if current is None or len(words) < 2:
            continue
        info = interfaces[current]
        if words[0] == "inet":
            entry = _ipv4_entry(words)
            label = words[-1]
            if label != current:
                interfaces.setdefault(label, {})
            if "secondary" in words:
                info.setdefault("ipv4_secondaries", []).append(entry)
                if label != current:
                    interfaces[label].setdefault("ipv4_secondaries", []).append(entry)
            elif "ipv4" not in interfaces[label]:
                interfaces[label]["ipv4"] = entry
            else:
                interfaces[label].setdefault("ipv4_secondaries", []).append(entry)
            if default4.get("address") == entry["address"]:
                default4.update(broadcast=entry["broadcast"], netmask=entry["netmask"], network=entry["network"],
                                prefix=entry["prefix"], macaddress=info.get("macaddress", "unknown"),
                                mtu=info["mtu"], type=info.get("type", "unknown"), alias=label)
            if not entry["address"].startswith("127."):
                all4.append(entry["address"])
        elif words[0] == "inet6":
            if words[2] == "peer":
                address, prefix, scope = words[1], words[3].split("/")[1], words[5]
            else:
                (address, prefix), scope = words[1].split("/"), words[3]
            info.setdefault("ipv6", []).append({"address": address, "prefix": prefix, "scope": scope})
            if default6.get("address") == address:
                default6.update(prefix=prefix, scope=scope, macaddress=info.get("macaddress", "unknown"),
                                mtu=info["mtu"], type=info.get("type", "unknown"))
            if address != "::1":
                all6.append(address)
    facts: dict[str, Any] = {}
    for name, info in interfaces.items():
        facts[name.replace(":", "_")] = info
    facts["interfaces"] = [name.replace(":", "_") for name in interfaces]
    facts.update(default_ipv4=default4, default_ipv6=default6, all_ipv4_addresses=all4, all_ipv6_addresses=all6)
    reachable: dict[str, list[str]] = {"ipv4": [], "ipv6": []}
    for version in ("-4", "-6"):
        rc, out = run.output("ip", version, "route", "show", "table", "local")
        for line in out.splitlines() if rc == 0 else ():
            words = line.split()
            if words and words[0] == "local":
                family = "ipv6" if ":" in words[1] else "ipv4"
                if words[1] not in reachable[family]:
                    reachable[family].append(words[1])
    facts["locally_reachable_ips"] = reachable
    return facts


def fibre_channel_facts(run: Commands) -> dict:
    wwns = []
    for path in glob.glob("/sys/class/fc_host/*/port_name"):
        for line in (_read(path, "") or "").splitlines():
            wwns.append(line.rstrip()[2:])
    return {"fibre_channel_wwn": wwns}


def iscsi_facts(run: Commands) -> dict:
    iqn = ""
    for line in (_read("/etc/iscsi/initiatorname.iscsi", "") or "").splitlines():
        if not line.startswith("#") and not line.startswith(";") and line.strip() and \
                line.startswith("InitiatorName="):
            iqn = line.split("=", 1)[1]
            break
    return {"iscsi_iqn": iqn}


def nvme_facts(run: Commands) -> dict:
    nqn = ""
    for line in (_read("/etc/nvme/hostnqn", "") or "").splitlines():
        if not line.startswith("#") and line.strip():
            nqn = line
            break
    return {"hostnqn": nqn}


def _tool_facts(program: str, *argv: str) -> Callable[[Commands], dict]:
    """facter/ohai: their JSON output, under their own names (nothing without them)."""
    def gather(run: Commands) -> dict:
        rc, out = run.output(program, *argv)
        if rc != 0:
            return {}
        try:
            data = json.loads(out)
        except ValueError:
            return {}
        return {f"{program}_{key}" if program == "facter" else key: value for key, value in data.items()} \
            if program == "facter" else {"ohai_" + key: value for key, value in data.items()}
    return gather


#: collector name -> (the other names gather_subset knows it by, the function)
COLLECTORS: dict[str, tuple[tuple[str, ...], Callable[[Commands], dict]]] = {
    "platform": (("system", "kernel", "kernel_version", "machine", "python_version", "architecture",
                  "machine_id"), platform_facts),
    "distribution": (("distribution_version", "distribution_release", "distribution_major_version",
                      "os_family"), distribution_facts),
    "lsb": ((), lsb_facts),
    "selinux": ((), selinux_facts),
    "apparmor": ((), apparmor_facts),
    "chroot": (("is_chroot",), chroot_facts),
    "fips": ((), fips_facts),
    "python": ((), python_facts),
    "caps": (("system_capabilities", "system_capabilities_enforced"), caps_facts),
    "pkg_mgr": ((), pkg_mgr_facts),
    "service_mgr": ((), service_mgr_facts),
    "cmdline": ((), cmdline_facts),
    "date_time": ((), date_time_facts),
    "env": ((), env_facts),
    "loadavg": ((), loadavg_facts),
    "ssh_pub_keys": (("ssh_host_pub_keys", "ssh_host_key_dsa_public", "ssh_host_key_rsa_public",
                      "ssh_host_key_ecdsa_public", "ssh_host_key_ed25519_public"), ssh_pub_keys_facts),
    "user": (("user_id", "user_uid", "user_gid", "user_gecos", "user_dir", "user_shell", "real_user_id",
              "effective_user_id", "effective_group_ids"), user_facts),
    "systemd": ((), systemd_facts),
    "virtual": (("virtualization_type", "virtualization_role", "virtualization_tech_guest",
                 "virtualization_tech_host"), virtual_facts),
    "hardware": (("processor", "processor_cores", "processor_count", "mounts", "devices"), hardware_facts),
    "network": (("interfaces", "default_ipv4", "default_ipv6", "all_ipv4_addresses", "all_ipv6_addresses"),
                network_facts),
    "fibre_channel_wwn": ((), fibre_channel_facts),
    "iscsi": ((), iscsi_facts),
    "nvme": ((), nvme_facts),
    "local": ((), lambda run: {}),
    "facter": (("facter",), _tool_facts("facter", "--json")),
    "ohai": ((), _tool_facts("ohai")),
    "dns": ((), dns_facts),
}
#: collectors whose facts keep their own prefix (not ``ansible_``)
_FOREIGN = ("facter", "ohai")


def chosen_collectors(requested: list[str]) -> list[str]:
    """The collectors ``gather_subset`` asks for, in gathering order: ``all``,
    ``min``, collector names and the fact names they are known by, ``!`` forms
    (``!all`` keeps the minimal ones, ``!min`` drops them too); a name asked for
    explicitly wins over an exclusion.  Raises ValueError on an unknown name."""
    aliases: dict[str, set[str]] = {}
    for name, (ids, _gather) in COLLECTORS.items():
        for fact_id in (name, *ids):
            aliases.setdefault(fact_id, set()).add(name)
    valid = set(aliases)
    added: set[str] = set()
    excluded: set[str] = set()
    explicit: set[str] = set()
    for subset in ["min", *requested]:
        if subset == "min":
            added |= _MINIMAL
        elif subset == "all":
            added |= valid
        elif subset.startswith("!"):
            name = subset[1:]
            if name == "min":
                excluded |= _MINIMAL
            elif name == "all":
                excluded |= valid - _MINIMAL
            else:
                excluded |= set(COLLECTORS[name][0]) if name in COLLECTORS else set()
                excluded.add(name)
        elif subset not in valid:
            raise ValueError(f"Bad subset '{subset}' given to Ansible. gather_subset options allowed: all, "
                             + ", ".join(sorted(valid)))
        else:
            explicit.add(subset)
            added.add(subset)
    if not added:
        added = set(valid)
    added -= excluded - explicit
    wanted = set()
    for fact_id in added:
        wanted |= aliases.get(fact_id, set())
    return [name for name in COLLECTORS if name in wanted]


def _matches(name: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        if not pattern or fnmatch.fnmatch(name, pattern):
            return True
        if not pattern.startswith(("ansible_", "facter", "ohai")) and fnmatch.fnmatch(name, "ansible_" + pattern):
            return True
    return False


def local_facts(fact_path: str, warn: Callable[[str], None]) -> dict:
    """``ansible_local``: one entry per ``*.fact`` file of ``fact_path`` (an
    executable's JSON output, else the file as JSON or INI).  A file that cannot be
    used gives a message instead of its facts, and a warning; a file that cannot be
    read counts as empty (``{}``)."""
    local: dict = {}
    for path in sorted(glob.glob(os.path.join(fact_path, "*.fact"))):
        name = os.path.basename(path).replace(".fact", "")
        try:
            executable = os.stat(path).st_mode & stat.S_IXUSR
        except OSError as exc:
            local[name] = _fact_problem(f"Could not stat fact ({path}): {exc}", warn)
            continue
        if executable:
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
            try:
                text = proc.stdout.decode("utf-8")
            except UnicodeDecodeError:
                local[name] = _fact_problem(f'error loading fact - output of running "{path}" was not utf-8', warn)
                continue
        else:
            # a file that cannot be read as text counts as empty, as in Ansible
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read().strip()
            except (OSError, ValueError):
                text = ""
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
    import configparser     # only for a fact file that is not JSON
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
            "gather_subset": {"type": "list", "elements": "str", "default": "all"},
            "gather_timeout": {"type": "int", "default": 10},
            "filter": {"type": "list", "elements": "str", "default": []},
            "fact_path": {"type": "path", "default": "/etc/ansible/facts.d"},
        },
        supports_check_mode=True,
    )
    requested = module.params["gather_subset"]
    try:
        names = chosen_collectors(requested)
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    run = Commands()
    if "lsb" in names:
        lsb_release = _minimal_lsb_release()
        if lsb_release is not None:
            run.provide(("lsb_release", "-a"), 0, lsb_release)
    for name, argv in (("lsb", ("lsb_release", "-a")), ("caps", ("capsh", "--print")),
                       ("hardware", ("lsblk", "--list", "--noheadings", "--paths", "--output", "NAME,UUID",
                                     "--exclude", "2")),
                       ("hardware", ("findmnt", "--list", "--noheadings", "--notruncate"))):
        if name in names:
            run.start(*argv)
    facts: dict[str, Any] = {}
    foreign: dict[str, Any] = {}
    for name in names:
        try:
            if name == "local":
                gathered = local_facts(module.params["fact_path"], module.warn)
            else:
                gathered = COLLECTORS[name][1](run)
        except (OSError, ValueError) as exc:
            module.warn(f"Could not gather {name} facts: {exc}")
            continue
        (foreign if name in _FOREIGN else facts).update(gathered)
    prefixed = {f"ansible_{key}": value for key, value in facts.items()}
    prefixed.update(foreign)
    prefixed["gather_subset"] = requested
    prefixed["module_setup"] = True
    patterns = module.params["filter"]
    if patterns:
        prefixed = {key: value for key, value in prefixed.items() if _matches(key, patterns)}
    module.exit_json(ansible_facts=prefixed, changed=False)


if __name__ == "__main__":
    main()
