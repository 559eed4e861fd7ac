#!/usr/bin/python3
"""apt: Debian packages, with ``apt-get``, ``apt-cache`` and ``dpkg`` as ansible-core's module drives
them: the same option set, the same command lines in messages, the same results (``cache_updated``,
``cache_update_time``, ``stdout``/``stderr``, the ``prepared`` diff) and the same changed/failed."""
from __future__ import annotations

DOCUMENTATION = r"""
module: apt
short_description: Manages apt-packages
description:
  - Manages I(apt) packages (such as for Debian/Ubuntu), with C(apt-get), C(apt-cache) and C(dpkg).
options:
  name:
    description:
      - A list of package names, like C(foo), or package specifier with version, like C(foo=1.0) or
        C(foo>=1.0). Name wildcards (fnmatch) like C(apt*) and version wildcards like C(foo=1.0*)
        are also supported.
    type: list
    elements: str
    aliases: [package, pkg]
  state:
    description:
      - Indicates the desired package state. C(latest) ensures that the latest version is installed.
        C(build-dep) ensures the package build dependencies are installed. C(fixed) attempt to correct a
        system with broken dependencies in place.
    type: str
    choices: [absent, build-dep, latest, present, fixed]
    default: present
  update_cache:
    description:
      - Run the equivalent of C(apt-get update) before the operation. Can be run as part of the package
        installation or as a separate step. Default is not to update the cache.
    type: bool
    aliases: [update-cache]
  update_cache_retries:
    description: Amount of retries if the cache update fails. Also see O(update_cache_retry_max_delay).
    type: int
    default: 5
  update_cache_retry_max_delay:
    description: Use an exponential backoff delay for each retry (see O(update_cache_retries)) up to
      this max delay in seconds.
    type: int
    default: 12
  cache_valid_time:
    description:
      - Update the apt cache if it is older than the O(cache_valid_time). This option is set in seconds.
      - If explicitly set, this sets O(update_cache=yes).
    type: int
    default: 0
  purge:
    description: Will force purging of configuration files if O(state=absent) or O(autoremove=yes).
    type: bool
    default: 'no'
  default_release:
    description: Corresponds to the C(-t) option for I(apt) and sets pin priorities.
    type: str
    aliases: [default-release]
  install_recommends:
    description:
      - Corresponds to the C(--no-install-recommends) option for I(apt). V(true) installs recommended
        packages. V(false) does not install recommended packages. By default, the operating system's
        default is used.
    type: bool
    aliases: [install-recommends]
  force:
    description:
      - Corresponds to the C(--force-yes) to I(apt-get) and implies O(allow_unauthenticated=yes) and
        O(allow_downgrade=yes).
    type: bool
    default: 'no'
  clean:
    description:
      - Run the equivalent of C(apt-get clean) to clear out the local repository of retrieved package
        files. Can be run as part of the package installation (clean runs before install) or as a
        separate step.
    type: bool
    default: 'no'
  allow_unauthenticated:
    description: Ignore if packages cannot be authenticated.
    type: bool
    default: 'no'
    aliases: [allow-unauthenticated]
  allow_downgrade:
    description: Corresponds to the C(--allow-downgrades) option for I(apt).
    type: bool
    default: 'no'
    aliases: [allow-downgrade, allow_downgrades, allow-downgrades]
  allow_change_held_packages:
    description: Allows changing the version of a package which is on the apt hold list.
    type: bool
    default: 'no'
  upgrade:
    description:
      - If yes or safe, performs a safe upgrade (C(apt-get upgrade --with-new-pkgs)).
      - If full or dist, performs an C(apt-get dist-upgrade).
    type: str
    choices: [dist, full, 'no', safe, 'yes']
    default: 'no'
  dpkg_options:
    description: Add dpkg options to apt command, as a comma separated list.
    type: str
    default: force-confdef,force-confold
  deb:
    description:
      - Path to a .deb package on the remote machine. If C(://) in the path, the file is downloaded first.
    type: path
  autoremove:
    description: If V(true), remove unused dependency packages for all module states except C(build-dep).
    type: bool
    default: 'no'
  autoclean:
    description: If V(true), cleans the local repository of retrieved package files that can no longer
      be downloaded.
    type: bool
    default: 'no'
  policy_rc_d:
    description:
      - Force the exit code of C(/usr/sbin/policy-rc.d) while apt or dpkg run; an existing one is backed
        up and restored afterwards. If V(null), C(/usr/sbin/policy-rc.d) is not created/changed.
    type: int
  only_upgrade:
    description: Only upgrade a package if it is already installed.
    type: bool
    default: 'no'
  fail_on_autoremove:
    description:
      - Corresponds to the C(--no-remove) option for I(apt). If V(true), it is ensured that no packages
        will be removed or the task will fail.
    type: bool
    default: 'no'
  force_apt_get:
    description: Force usage of apt-get instead of aptitude (this module always uses apt-get).
    type: bool
    default: 'no'
  lock_timeout:
    description: How many seconds will this action wait to acquire a lock on the apt db.
    type: int
    default: 60
  auto_install_module_deps:
    description:
      - Automatically install dependencies required to run this module. This module needs only
        C(apt-get), C(apt-cache) and C(dpkg), which every apt system has, so nothing is installed.
    type: bool
    default: true
"""

EXAMPLES = r"""
- apt:
    name: [nginx, curl]
    update_cache: true
    cache_valid_time: 3600
- apt:
    upgrade: dist
    dpkg_options: force-confold,force-confdef
"""

RETURN = r"""
cache_updated:
  description: if the cache was updated or not
  returned: success, in some cases
  type: bool
cache_update_time:
  description: time of the last cache update (0 if unknown)
  returned: success, in some cases
  type: int
stdout:
  description: output from apt
  returned: success, when needed
  type: str
stderr:
  description: error output from apt
  returned: success, when needed
  type: str
"""

import fnmatch
import os
import random
import re
import shlex
import shutil
import tempfile
import time
from typing import Any, NoReturn

from corral.module_utils.basic import AnsibleModule

APT_ENV = {"DEBIAN_FRONTEND": "noninteractive", "DEBIAN_PRIORITY": "critical", "LANG": "C", "LC_ALL": "C",
           "LC_MESSAGES": "C", "LC_CTYPE": "C"}
POLICY_RC_D = "/usr/sbin/policy-rc.d"
UPDATE_STAMP = "/var/lib/apt/periodic/update-success-stamp"
LISTS = "/var/lib/apt/lists"
NOTHING_CHANGED = re.compile(r"^0 upgraded, 0 newly installed(, 0 downgraded)?, 0 to remove", re.M)
SUMMARY = re.compile(r"^\d+ upgraded, \d+ newly installed.*$", re.M)
LOCKED = re.compile(r"Could not get lock|Unable to acquire the dpkg frontend lock|dpkg status database is locked")
UPGRADE_MODES = ("dist", "full", "no", "safe", "yes")
HEADER = ("Reading package lists...", "Building dependency tree...", "Reading state information...")


class Apt:
    """One task's view of the host's apt: the module, its parameters and the command lines they make."""

    def __init__(self, module: AnsibleModule) -> None:
        self.module = module
        self.params = module.params
        self.apt_get = module.get_bin_path("apt-get", required=True)
        self.apt_cache = module.get_bin_path("apt-cache", required=True)
        self.deadline = time.time() + self.params["lock_timeout"]
        self.dpkg_options = " ".join(f'-o "Dpkg::Options::=--{option.strip()}"'
                                     for option in self.params["dpkg_options"].split(",") if option.strip())

    # --- running commands -------------------------------------------------------------------------

    def run(self, command: str | list[str]) -> tuple[int, str, str]:
        """Run ``command`` (a command line split as a shell would, or an argv) in the C locale, with
        ``policy_rc_d`` in force; while apt or dpkg find their database locked, try again until
        ``lock_timeout`` seconds after the task began."""
        while True:
            with PolicyRcD(self.params["policy_rc_d"]):
                rc, out, err = self.module.run_command(command, environ_update=APT_ENV)
            if rc == 0 or not LOCKED.search(err) or time.time() >= self.deadline:
                return rc, out, err
            time.sleep(1)

    def query(self, argv: list[str]) -> tuple[int, str, str]:
        """Run a read-only query (``apt-cache``, ``dpkg-query``) in the C locale."""
        return self.module.run_command(argv, environ_update=APT_ENV)

    def diff(self, stdout: str) -> Any:
        """The ``diff`` of a result: what apt said it would do, when ``--diff`` asks for it."""
        if not self.module._diff:
            return {}
        return {"prepared": prepared(stdout)}

    # --- what is installed and available ---------------------------------------------------------

    def installed_version(self, name: str) -> str | None:
        """The installed version of package ``name``, or None."""
        rc, out, _err = self.query(["dpkg-query", "-W", "-f=${db:Status-Status}\t${Version}\n", name])
        for line in out.splitlines() if rc == 0 else []:
            status, _, version = line.partition("\t")
            if status == "installed":
                return version
        return None

    def installed_names(self) -> list[str]:
        """The names of the installed packages."""
        _rc, out, _err = self.query(["dpkg-query", "-W", "-f=${db:Status-Status}\t${Package}\n"])
        return [line.split("\t", 1)[1] for line in out.splitlines() if line.startswith("installed\t")]

    def known_names(self) -> list[str]:
        """The names of the packages apt knows of (available or installed)."""
        _rc, out, _err = self.query([self.apt_cache, "pkgnames"])
        return out.split()

    def policy(self, name: str) -> tuple[str | None, list[str]]:
        """The candidate version of ``name`` (with ``default_release``'s pinning) and every version
        apt has for it, the best first; ``(None, [])`` when apt does not know it."""
        argv = [self.apt_cache]
        if self.params["default_release"]:
            argv += ["-o", f"APT::Default-Release={self.params['default_release']}"]
        rc, out, err = self.query(argv + ["policy", name])
        if rc != 0 and "APT::Default-Release" in err:
            # ansible-core's python-apt raises apt's error out of the module: its result says so
            self.module.fail_json(msg="Task failed: Module failed: " + err.strip().replace("E: ", "E:", 1))
        if rc != 0 or not out.strip():
            return None, []
        candidate = re.search(r"^\s+Candidate: (\S+)", out, re.M)
        table = out.split("Version table:", 1)[1] if "Version table:" in out else ""
        versions = [match.group(1) for match in re.finditer(r"^\s+(?:\*\*\* )?(\S+) -?\d+$", table, re.M)]
        found = candidate.group(1) if candidate and candidate.group(1) != "(none)" else None
        return found, versions

    def version_compare(self, left: str, operator: str, right: str) -> bool:
        """``dpkg --compare-versions``."""
        rc, _out, _err = self.query(["dpkg", "--compare-versions", left, operator, right])
        return rc == 0


class PolicyRcD:
    """While in force, ``/usr/sbin/policy-rc.d`` exits with ``code`` (a previous one is kept aside and
    put back afterwards); ``code`` None leaves the file alone."""

    def __init__(self, code: int | None) -> None:
        self.code = code
        self.backup: str | None = None

    def __enter__(self) -> PolicyRcD:
        if self.code is None:
            return self
        if os.path.exists(POLICY_RC_D):
            self.backup = tempfile.mkdtemp(prefix="apt-policy-rc-d-")
            shutil.move(POLICY_RC_D, os.path.join(self.backup, "policy-rc.d"))
        with open(POLICY_RC_D, "w") as handle:
            handle.write(f"#!/bin/sh\nexit {self.code}\n")
        os.chmod(POLICY_RC_D, 0o755)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.code is None:
            return
        os.remove(POLICY_RC_D)
        if self.backup is not None:
            shutil.move(os.path.join(self.backup, "policy-rc.d"), POLICY_RC_D)
            os.rmdir(self.backup)


def prepared(stdout: str) -> str:
    """What apt announced before acting: its output after the ``Reading ...`` lines up to its
    ``N upgraded, N newly installed ...`` line (all of the output, stripped, when it has none)."""
    text = stdout.replace("\r\n", "\n")
    lines = text.split("\n")
    while lines and lines[0] in HEADER:
        lines.pop(0)
    text = "\n".join(lines)
    summary = SUMMARY.search(text)
    return text[:summary.end()] if summary else text.strip()


def cache_time() -> int:
    """When the apt cache was last updated: the update stamp's time, else the lists folder's (0 if
    neither exists)."""
    for path in (UPDATE_STAMP, LISTS):
        if os.path.exists(path):
            return int(os.path.getmtime(path))
    return 0


def update_cache(apt: Apt) -> tuple[bool, int]:
    """Update the cache unless ``cache_valid_time`` says it is fresh; whether it changed and its time.
    A failed update is retried ``update_cache_retries`` times with an exponential backoff up to
    ``update_cache_retry_max_delay`` seconds."""
    params, module = apt.params, apt.module
    mtime = cache_time()
    valid_time = params["cache_valid_time"]
    if mtime + valid_time >= time.time():
        return False, mtime
    error = ""
    for retry in range(params["update_cache_retries"]):
        if module.check_mode:
            break
        rc, _out, err = apt.run([apt.apt_get, "update", "--error-on=any"])
        if rc == 0:
            break
        error = err.strip()
        module.warn(f"Failed to update cache after {retry + 1} retries due to {error}, retrying")
        jitter = random.randint(0, 999) / 1000
        delay = 2 ** retry + jitter
        if delay > params["update_cache_retry_max_delay"]:
            delay = params["update_cache_retry_max_delay"] + jitter
        time.sleep(delay)
        module.warn(f"Sleeping for {int(round(delay))} seconds, before attempting to refresh the cache again")
    else:
        module.fail_json(msg=f"Failed to update apt cache after {params['update_cache_retries']} retries: "
                             f"{error or 'unknown reason'}")
    after = cache_time()
    return module.check_mode or after != mtime, after


def fail(apt: Apt, command: str, rc: int, out: str, err: str, **extra: Any) -> NoReturn:
    """Fail as apt-get did: the command line and its error output."""
    apt.module.fail_json(msg=f"'{command}' failed: {err}", rc=rc, stdout=out, stderr=err, **extra)


def wanted_packages(apt: Apt, names: list[str], state: str, cache: dict[str, Any]) -> list[str]:
    """The ``name=version`` specifiers to install so that ``names`` are in ``state`` (present, latest,
    fixed, build-dep), after expanding wildcards; fails on unknown packages or versions."""
    params, module = apt.params, apt.module
    expanded: list[str] = []
    known: list[str] | None = None
    for spec in names:
        name = re.split(r"[=<>]", spec, maxsplit=1)[0]
        if any(char in name for char in "*?["):
            known = apt.known_names() if known is None else known
            matches = sorted(candidate for candidate in known if fnmatch.fnmatch(candidate, name))
            if not matches:
                module.fail_json(msg=f"No package(s) matching '{name}' available")
            expanded += [spec.replace(name, match, 1) for match in matches]
        else:
            expanded.append(spec)
    wanted = []
    for spec in expanded:
        match = re.match(r"^([^=<>]+)(=|>=|<=|>>|<<|>|<)?(.*)$", spec)
        assert match is not None
        name, operator, version = match.group(1), match.group(2), match.group(3)
        installed = apt.installed_version(name)
        if params["only_upgrade"] and installed is None:
            continue
        if state == "build-dep":
            wanted.append(name)
            continue
        candidate, versions = apt.policy(name)
        if candidate is None and not versions and installed is None:
            module.fail_json(msg=f"No package matching '{name}' is available")
        if operator == "=":
            if installed is not None and fnmatch.fnmatch(installed, version):
                continue
            chosen = next((v for v in versions if fnmatch.fnmatch(v, version)), None)
        elif operator:
            dpkg_operator = {">=": "ge", "<=": "le", ">>": "gt", "<<": "lt", ">": "gt", "<": "lt"}[operator]
            if installed is not None and apt.version_compare(installed, dpkg_operator, version):
                if state != "latest" or installed == candidate:
                    continue
            chosen = next((v for v in versions if apt.version_compare(v, dpkg_operator, version)), None)
        else:
            if installed is not None and (state != "latest" or candidate in (None, installed)):
                continue
            chosen = candidate
        if chosen is None:
            module.fail_json(msg=f"no available installation candidate for {spec}", **cache)
        if chosen == installed:
            continue
        wanted.append(f"{name}={chosen}")
    return wanted


def install(apt: Apt, names: list[str], state: str, cache: dict[str, Any]) -> NoReturn:
    """Install ``names`` as ``state`` asks and exit."""
    params, module = apt.params, apt.module
    wanted = wanted_packages(apt, names, state, cache)
    if not wanted and not (state == "fixed" and names == []):
        module.exit_json(changed=False, **cache)
    force = params["force"]
    slots = ["--only-upgrade" if params["only_upgrade"] else "",
             "--fix-broken" if state == "fixed" else "",
             "--force-yes" if force else "",
             "--auto-remove" if params["autoremove"] else "",
             "--no-remove" if params["fail_on_autoremove"] else "",
             "--simulate" if module.check_mode else ""]
    verb = "build-dep" if state == "build-dep" else "install"
    quoted = " ".join("'" + spec + "'" for spec in wanted)
    command = (f"{apt.apt_get} -y {apt.dpkg_options} -o DPkg::Lock::Timeout={params['lock_timeout']} "
               f"{' '.join(slots)} {verb} {quoted}")
    command += tail_options(apt)
    rc, out, err = apt.run(command)
    if rc != 0:
        fail(apt, command, rc, out, err, **cache)
    changed = not NOTHING_CHANGED.search(out)
    module.exit_json(changed=changed, stdout=out, stderr=err, diff=apt.diff(out), **cache)


def tail_options(apt: Apt) -> str:
    """The options ansible-core puts after the package list: release, recommends, the ``--allow-*``."""
    params = apt.params
    text = ""
    if params["default_release"]:
        text += f" -t '{params['default_release']}'"
    if params["install_recommends"] is False:
        text += " -o APT::Install-Recommends=no"
    elif params["install_recommends"]:
        text += " -o APT::Install-Recommends=yes"
    if params["allow_unauthenticated"] or params["force"]:
        text += " --allow-unauthenticated"
    if params["allow_downgrade"]:
        text += " --allow-downgrades"
    if params["allow_change_held_packages"]:
        text += " --allow-change-held-packages"
    return text


def remove(apt: Apt, names: list[str]) -> NoReturn:
    """Remove (``purge``) the installed packages among ``names`` (wildcards and versions allowed) and
    exit."""
    params, module = apt.params, apt.module
    installed: list[str] | None = None
    present = []
    for spec in names:
        name, _, version = spec.partition("=")
        if any(char in name for char in "*?["):
            installed = apt.installed_names() if installed is None else installed
            present += [match for match in installed if fnmatch.fnmatch(match, name)]
            continue
        have = apt.installed_version(name)
        if have is not None and (not version or fnmatch.fnmatch(have, version)):
            present.append(name)
    if not present:
        module.exit_json(changed=False)
    slots = ["--purge" if params["purge"] else "", "--force-yes" if params["force"] else "",
             "--auto-remove" if params["autoremove"] else "", "--simulate" if module.check_mode else ""]
    command = (f"{apt.apt_get} -q -y {apt.dpkg_options} {' '.join(slots)} remove "
               f"{' '.join(shlex.quote(name) for name in sorted(set(present)))}")
    if params["allow_change_held_packages"]:
        command += " --allow-change-held-packages"
    rc, out, err = apt.run(command)
    if rc != 0:
        fail(apt, command, rc, out, err)
    module.exit_json(changed=not NOTHING_CHANGED.search(out), stdout=out, stderr=err, diff=apt.diff(out))


def cleanup(apt: Apt, operation: str) -> NoReturn:
    """``apt-get autoremove`` or ``apt-get autoclean`` (with ``purge``, ``force``) as the task's only
    package step, and exit; changed when apt removed (``Del``eted) something."""
    params, module = apt.params, apt.module
    options = ["--purge" if params["purge"] else "", "--force-yes" if params["force"] else ""]
    command = (f"{apt.apt_get} -y {apt.dpkg_options} {' '.join(options)} {operation} "
               f"{'--simulate' if module.check_mode else ''}")
    rc, out, err = apt.run(command)
    if rc != 0:
        module.fail_json(msg=f"'apt-get {operation}' failed: {err}", stdout=out, stderr=err, rc=rc)
    changed = ("Del " in out) if operation == "autoclean" else not NOTHING_CHANGED.search(out)
    module.exit_json(changed=changed, stdout=out, stderr=err, diff=apt.diff(out))


def clean(apt: Apt) -> tuple[str, str]:
    """``apt-get clean`` (run in check mode too, as ansible-core does); its output."""
    rc, out, err = apt.module.run_command([apt.apt_get, "clean"], environ_update=APT_ENV)
    if rc != 0:
        apt.module.fail_json(msg="apt-get clean failed", stdout=out, rc=rc)
    if err:
        apt.module.fail_json(msg=f"apt-get clean failed: {err}", stdout=out, rc=rc)
    return out, err


def upgrade(apt: Apt, mode: str) -> NoReturn:
    """A whole-system upgrade: ``yes``/``safe`` keep installed packages (``upgrade --with-new-pkgs``),
    ``full``/``dist`` may remove some (``dist-upgrade``); exit."""
    params, module = apt.params, apt.module
    verb = "upgrade --with-new-pkgs" if mode in ("yes", "safe") else "dist-upgrade"
    if params["autoremove"]:
        verb += " --auto-remove"
    options = ["--force-yes" if params["force"] else "", "--no-remove" if params["fail_on_autoremove"] else "",
               "--simulate" if module.check_mode else ""]
    command = (f"{apt.apt_get} -y {apt.dpkg_options} -o DPkg::Lock::Timeout={params['lock_timeout']} "
               f"{' '.join(options)} {verb}{tail_options(apt)}")
    rc, out, err = apt.run(command)
    if rc != 0:
        module.fail_json(msg=f"'{apt.apt_get} {verb}' failed: {err}", rc=rc, stdout=out)
    if NOTHING_CHANGED.search(out):
        module.exit_json(changed=False, msg=out, stdout=out, stderr=err)
    module.exit_json(changed=True, msg=out, stdout=out, stderr=err, diff=apt.diff(out))


def install_deb(apt: Apt, deb: str) -> NoReturn:
    """Install the ``.deb`` file ``deb`` (downloaded first when it is a URL) with ``dpkg -i``, after
    apt installed the dependencies it lacks; exit."""
    params, module = apt.params, apt.module
    if "://" in deb:
        deb = download(module, deb)
    if not os.path.exists(deb):
        module.fail_json(msg=f"Unable to install package: E:Could not open file {deb} - open (2: No such file "
                             "or directory)")
    rc, out, err = apt.query(["dpkg-deb", "--field", deb, "Package", "Version", "Depends", "Pre-Depends"])
    if rc != 0:
        module.fail_json(msg=f"Unable to install package: {err.strip()}")
    fields = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    name, version = fields.get("Package", ""), fields.get("Version", "")
    if apt.installed_version(name) == version and not params["force"]:
        module.exit_json(changed=False, diff="", stdout="", stderr="")
    missing = []
    dep_out = dep_err = ""
    for field in ("Pre-Depends", "Depends"):
        for clause in filter(None, (item.strip() for item in fields.get(field, "").split(","))):
            alternatives = [re.split(r"[\s(:]", alt.strip(), maxsplit=1)[0] for alt in clause.split("|")]
            if any(apt.installed_version(alt) for alt in alternatives):
                continue
            available = [alt for alt in alternatives if apt.policy(alt)[0] is not None]
            if not available:
                module.fail_json(msg=f"Dependency is not satisfiable: {clause}\n")
            missing.append(available[0])
    if missing:
        command = (f"{apt.apt_get} -y {apt.dpkg_options} -o DPkg::Lock::Timeout={params['lock_timeout']} "
                   f"{'--simulate' if module.check_mode else ''} install "
                   f"{' '.join(shlex.quote(item) for item in missing)}{tail_options(apt)}")
        rc, dep_out, dep_err = apt.run(command)
        if rc != 0:
            fail(apt, command, rc, dep_out, dep_err)
    options = [f"--{option.strip()}" for option in params["dpkg_options"].split(",") if option.strip()]
    if params["force"]:
        options.append("--force-all")
    argv = ["dpkg", *options, *(["--simulate"] if module.check_mode else []), "-i", deb]
    rc, out, err = apt.run(argv)
    if rc != 0:
        module.fail_json(msg=f"{' '.join(argv)} failed", rc=rc, stdout=out, stderr=err)
    if dep_out:    # what apt installed first, then what dpkg said
        module.exit_json(changed=True, stdout=dep_out + out, stderr=dep_err + err,
                         diff={"prepared": prepared(dep_out) + "\n\n" + out})
    module.exit_json(changed=True, stdout=out, stderr=err, diff={"prepared": prepared(out)})


def download(module: AnsibleModule, url: str) -> str:
    """Fetch ``url`` into the module's temporary folder; the file's path."""
    from corral.module_utils.urls import fetch_url

    response, info = fetch_url(module, url)
    if info["status"] != 200:
        module.fail_json(msg=f"Failure downloading {url}, {info['msg']}")
    path = os.path.join(module.tmpdir, os.path.basename(url.split("?", 1)[0]) or "package.deb")
    with open(path, "wb") as handle:
        shutil.copyfileobj(response, handle)
    return path


def upgrade_mode(module: AnsibleModule, value: str) -> str:
    """``upgrade``'s value among its choices, YAML booleans read as yes/no. Checked after the mutual
    exclusion of deb, package and upgrade, as ansible-core does."""
    mode = {"true": "yes", "false": "no", "on": "yes", "off": "no", "1": "yes", "0": "no"}.get(value.lower(), value)
    if mode not in UPGRADE_MODES:
        module.fail_json(msg=f"value of upgrade must be one of: {', '.join(UPGRADE_MODES)}, got: {value}")
    return mode


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "state": {"type": "str", "default": "present",
                      "choices": ["absent", "build-dep", "fixed", "latest", "present"]},
            "update_cache": {"type": "bool", "aliases": ["update-cache"]},
            "update_cache_retries": {"type": "int", "default": 5},
            "update_cache_retry_max_delay": {"type": "int", "default": 12},
            "cache_valid_time": {"type": "int", "default": 0},
            "purge": {"type": "bool", "default": False},
            "name": {"type": "list", "elements": "str", "aliases": ["package", "pkg"]},
            "deb": {"type": "path"},
            "default_release": {"type": "str", "aliases": ["default-release"]},
            "install_recommends": {"type": "bool", "aliases": ["install-recommends"]},
            "force": {"type": "bool", "default": False},
            "upgrade": {"type": "str", "default": "no"},
            "dpkg_options": {"type": "str", "default": "force-confdef,force-confold"},
            "autoremove": {"type": "bool", "default": False},
            "autoclean": {"type": "bool", "default": False},
            "fail_on_autoremove": {"type": "bool", "default": False},
            "policy_rc_d": {"type": "int"},
            "only_upgrade": {"type": "bool", "default": False},
            "force_apt_get": {"type": "bool", "default": False},
            "clean": {"type": "bool", "default": False},
            "allow_unauthenticated": {"type": "bool", "default": False, "aliases": ["allow-unauthenticated"]},
            "allow_downgrade": {"type": "bool", "default": False,
                                "aliases": ["allow-downgrade", "allow_downgrades", "allow-downgrades"]},
            "allow_change_held_packages": {"type": "bool", "default": False},
            "lock_timeout": {"type": "int", "default": 60},
            "auto_install_module_deps": {"type": "bool", "default": True},
        },
        supports_check_mode=True,
    )
    params = module.params
    if sum(bool(params[key]) for key in ("deb", "name")) + (params["upgrade"] != "no") > 1:
        module.fail_json(msg="parameters are mutually exclusive: deb|package|upgrade")
    params["upgrade"] = upgrade_mode(module, params["upgrade"])
    apt = Apt(module)
    names = [name.strip() for name in params["name"] or [] if name != "*"]
    everything = "*" in (params["name"] or [])
    asked = bool(params["name"] or params["deb"] or params["upgrade"] != "no")

    if params["clean"]:
        out, err = clean(apt)
        if not asked:
            module.exit_json(changed=True, msg=out, stdout=out, stderr=err, diff=apt.diff(out))

    cache: dict[str, Any] = {"cache_updated": False, "cache_update_time": cache_time()}
    if params["update_cache"] or params["cache_valid_time"]:
        updated, when = update_cache(apt)
        cache = {"cache_updated": updated, "cache_update_time": when}
        if not asked:
            module.exit_json(changed=updated, **cache)

    if params["upgrade"] != "no":
        upgrade(apt, params["upgrade"])
    if params["deb"]:
        if params["state"] != "present":
            module.fail_json(msg="deb only supports state=present")
        install_deb(apt, params["deb"])
    if params["state"] == "latest" and everything:
        if names:
            module.fail_json(msg="unable to install additional packages when upgrading all installed packages")
        upgrade(apt, "yes")
    for spec in names:
        if spec.count("=") > 1:
            module.fail_json(msg=f"invalid package spec: {spec}")
    if not names:
        if params["autoclean"]:
            cleanup(apt, "autoclean")
        if params["autoremove"]:
            cleanup(apt, "autoremove")
    if params["state"] == "absent":
        remove(apt, names)
    if not names and params["state"] != "fixed":
        module.exit_json(changed=False, **cache)
    install(apt, names, params["state"], cache)


if __name__ == "__main__":
    main()
