#!/usr/bin/python3
"""user: local user accounts, as ansible-core's Linux implementation manages them (useradd, usermod,
userdel, chage; luseradd and the other libuser commands with ``local``)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: user
short_description: Manage local user accounts
description:
  - Creates, changes or removes an account with C(useradd), C(usermod) and C(userdel); password ageing
    with C(chage). With O(local), the libuser commands (C(luseradd), C(lusermod), C(luserdel),
    C(lgroupmod), C(lchage)) and C(/etc/passwd) instead.
options:
  name:
    description: The account's name.
    type: str
    required: true
    aliases: [user]
  state:
    description: Whether the account exists.
    type: str
    choices: [absent, present]
    default: present
  uid:
    description: The account's uid.
    type: int
  non_unique:
    description: With O(uid), allow a uid another account has (C(-o)).
    type: bool
    default: false
  group:
    description: The primary group (name or gid); it must exist.
    type: str
  groups:
    description:
      - Supplementary groups. Without O(append) the account leaves every other group; an empty string
        removes it from all groups but the primary one.
    type: list
    elements: str
  append:
    description: Add the account to O(groups) and leave it in the others. Requires O(groups).
    type: bool
    default: false
  comment:
    description: The GECOS field.
    type: str
  home:
    description: The home directory.
    type: path
  shell:
    description: The login shell.
    type: path
  password:
    description:
      - The crypted password, written to C(/etc/shadow) as given. C('!') or C('*') make a locked account;
        a value that does not look like a crypt hash gives a warning.
    type: str
  update_password:
    description: C(always) sets O(password) when it differs, C(on_create) only for new accounts.
    type: str
    choices: [always, on_create]
    default: always
  password_lock:
    description: Lock (C(usermod -L)) or unlock (C(usermod -U)) the password; unset leaves it as it is.
    type: bool
  password_expire_max:
    description: Maximum days between password changes (C(chage -M)).
    type: int
  password_expire_min:
    description: Minimum days between password changes (C(chage -m)).
    type: int
  password_expire_warn:
    description: Days of warning before the password expires (C(chage -W)).
    type: int
  password_expire_account_disable:
    description: Days after the password expired until the account is disabled (C(-f)); passed to
      C(usermod) on every run.
    type: int
  expires:
    description: The account's expiry, in seconds since the epoch (its day counts); a negative value
      removes the expiry.
    type: float
  system:
    description: Create a system account (C(-r)); cannot be changed later.
    type: bool
    default: false
  create_home:
    description: Create the home directory when the account is made or when it is missing.
    type: bool
    default: true
    aliases: [createhome]
  skeleton:
    description: The skeleton directory copied into a new home (C(-k)). Requires O(create_home).
    type: str
  umask:
    description: The umask a new home directory is created with (C(-K UMASK=)). Not with O(local).
    type: str
  uid_min:
    description: Overrides C(UID_MIN) of C(/etc/login.defs) when the account is created. Not with O(local).
    type: int
  uid_max:
    description: Overrides C(UID_MAX) of C(/etc/login.defs) when the account is created. Not with O(local).
    type: int
  move_home:
    description: With O(home), move the old home directory to the new place (C(usermod -m)).
    type: bool
    default: false
  remove:
    description: With O(state=absent), remove the home directory and mail spool too (C(userdel -r)).
    type: bool
    default: false
  force:
    description:
      - With O(state=absent), C(userdel -f). With O(generate_ssh_key), overwrite an existing key.
    type: bool
    default: false
  local:
    description:
      - Use the libuser commands and look for the account in C(/etc/passwd) only (for hosts with
        central authentication). Those commands must be installed.
    type: bool
    default: false
  seuser:
    description: The SELinux user (C(useradd -Z)); ignored with a warning where SELinux is not enabled.
    type: str
  login_class:
    description: The login class, a BSD feature; nothing on Linux.
    type: str
  hidden:
    description: Hide the account from the login window, a macOS feature; nothing on Linux.
    type: bool
  authorization:
    description: Authorizations, comma-separated, an Illumos/Solaris feature; nothing on Linux.
    type: str
  profile:
    description: Profiles, comma-separated, an Illumos/Solaris feature; nothing on Linux.
    type: str
  role:
    description: Roles, comma-separated, an Illumos/Solaris feature; nothing on Linux.
    type: str
  generate_ssh_key:
    description: Create an SSH key pair for the account unless its key file exists (see O(force)).
    type: bool
    default: false
  ssh_key_type:
    description: The key type given to C(ssh-keygen -t).
    type: str
    default: rsa
  ssh_key_bits:
    description: The key size given to C(ssh-keygen -b) (its own default when unset).
    type: int
  ssh_key_file:
    description: The private key's path, relative to the home directory (default C(.ssh/id_TYPE)).
    type: path
  ssh_key_comment:
    description: The key's comment.
    type: str
    default: ansible-generated on $HOSTNAME
  ssh_key_passphrase:
    description: The key's passphrase (none when unset); typed to C(ssh-keygen) on a terminal.
    type: str
"""

EXAMPLES = r"""
- user:
    name: deploy
    shell: /bin/bash
    groups: [adm]
    append: true
    password_expire_max: 90
"""

RETURN = r"""
name:
  description: The account's name.
  returned: always
  type: str
state:
  description: The state asked for.
  returned: always
  type: str
uid:
  description: Its uid.
  returned: when the account exists and O(state=present)
  type: int
group:
  description: Its primary gid.
  returned: when the account exists and O(state=present)
  type: int
groups:
  description: Its supplementary groups, comma-separated, in C(/etc/group) order.
  returned: when the account exists and O(state=present)
  type: str
comment:
  description: Its GECOS field.
  returned: when the account exists and O(state=present)
  type: str
home:
  description: Its home directory.
  returned: when the account exists and O(state=present)
  type: str
shell:
  description: Its login shell.
  returned: when the account exists and O(state=present)
  type: str
system:
  description: O(system), for an account just created.
  returned: when the account was created
  type: bool
create_home:
  description: O(create_home), for an account just created.
  returned: when the account was created
  type: bool
append:
  description: O(append), for an account that existed.
  returned: when the account existed and O(state=present)
  type: bool
move_home:
  description: O(move_home), for an account that existed.
  returned: when the account existed and O(state=present)
  type: bool
force:
  description: O(force), for an account removed.
  returned: when the account was removed
  type: bool
remove:
  description: O(remove), for an account removed.
  returned: when the account was removed
  type: bool
password:
  description: C(NOT_LOGGING_PASSWORD) when O(password) was given.
  returned: when O(password) is given and O(state=present)
  type: str
ssh_key_file:
  description: The private key's path.
  returned: when O(generate_ssh_key)
  type: str
ssh_public_key:
  description: The public key.
  returned: when O(generate_ssh_key)
  type: str
ssh_fingerprint:
  description: The key's fingerprint as C(ssh-keygen -l) prints it.
  returned: when O(generate_ssh_key)
  type: str
stdout:
  description: What the commands run printed.
  returned: when they printed something
  type: str
stderr:
  description: What the commands run printed on stderr.
  returned: when they printed something
  type: str
"""

import grp
import os
import pwd
import pty
import re
import select
import shutil
import socket
import subprocess
import time
from typing import Any

from corral.module_utils.basic import AnsibleModule
from corral_accounts.local import NOT_RUN, Outcome, listed_in, record_outcome, refuse_with_local

PASSWD = "/etc/passwd"
SHADOW = "/etc/shadow"
LOGIN_DEFS = "/etc/login.defs"
#: home directories of system accounts that are never created
PLACEHOLDER_HOMES = frozenset(("/nonexistent", "/dev/null", "/var/empty"))
#: the values that lock an account on purpose, never "unhashed"
LOCKING_PASSWORDS = frozenset(("*", "!", "*************"))
#: the length of the hash part of a crypt string, by its method id
HASH_LENGTHS = {"1": 22, "5": 43, "6": 86, "y": 43}


class Shadow:
    """An account's /etc/shadow entry: password and the ageing fields (``-1`` where empty)."""

    def __init__(self, fields: list[str]) -> None:
        def number(index: int) -> int:
            value = fields[index].strip() if len(fields) > index else ""
            return int(value) if value.lstrip("-").isdigit() else -1
        self.password = fields[1] if len(fields) > 1 else ""
        self.min, self.max, self.warn = number(3), number(4), number(5)
        self.expire = number(7)


def _shadow(name: str) -> Shadow | None:
    try:
        with open(SHADOW) as handle:
            for line in handle:
                fields = line.rstrip("\n").split(":")
                if fields[0] == name:
                    return Shadow(fields)
    except OSError:
        return None
    return None


def _group(group: str) -> grp.struct_group | None:
    """The group named ``group``, or whose gid it is."""
    try:
        return grp.getgrgid(int(group))
    except (ValueError, KeyError):
        try:
            return grp.getgrnam(group)
        except KeyError:
            return None


def _major_release() -> int:
    """The major version of the distribution (VERSION_ID of /etc/os-release), 0 when unknown."""
    try:
        with open("/etc/os-release") as handle:
            for line in handle:
                if line.startswith("VERSION_ID="):
                    return int(line.split("=", 1)[1].strip().strip("\"'").split(".")[0] or 0)
    except (OSError, ValueError):
        pass
    return 0


class Account:
    """One account and what the task asks of it; each change method returns ``(rc, out, err)``,
    rc ``None`` when nothing had to change, and runs nothing in check mode."""

    def __init__(self, module: AnsibleModule) -> None:
        self.module = module
        self.params = params = module.params
        self.name: str = params["name"]
        self.local: bool = bool(params["local"])
        if self.local:
            refuse_with_local(module, ("umask", "uid_min", "uid_max"))
        self.groups: str | None = None if params["groups"] is None else ",".join(params["groups"])
        self.expires: time.struct_time | None = None
        if params["expires"] is not None:
            try:
                self.expires = time.gmtime(params["expires"])
            except (OverflowError, OSError, ValueError) as exc:
                module.fail_json(msg=f"Invalid value for 'expires' None: {exc}")
        self.ssh_file: str = params["ssh_key_file"] or os.path.join(".ssh", f"id_{params['ssh_key_type']}")

    # -- what there is -----------------------------------------------------------

    def exists(self) -> bool:
        if self.local:
            return listed_in(self.module, PASSWD, "account", self.name)
        try:
            pwd.getpwnam(self.name)
            return True
        except KeyError:
            return False

    def info(self) -> list[Any] | None:
        """The passwd entry as a list, its password field read from /etc/shadow."""
        if not self.exists():
            return None
        info: list[Any] = list(pwd.getpwnam(self.name))
        if len(info[1]) <= 1:
            shadow = _shadow(self.name)
            info[1] = shadow.password if shadow else ""
        return info

    def membership(self, exclude_primary: bool = True) -> list[str]:
        """The groups that list the account as a member, in /etc/group order."""
        primary = pwd.getpwnam(self.name).pw_gid
        return [group.gr_name for group in grp.getgrall()
                if self.name in group.gr_mem and not (exclude_primary and group.gr_gid == primary)]

    def wanted_groups(self, remove_existing: bool = True, names_only: bool = False) -> set[str]:
        """The groups of O(groups) (each must exist): without the primary group when
        ``remove_existing``, as names when ``names_only``."""
        info = self.info()
        wanted = {group.strip() for group in (self.groups or "").split(",") if group}
        names: set[str] = set()
        for group in set(wanted):
            entry = _group(group)
            if entry is None:
                self.module.fail_json(msg=f"Group {group} does not exist")
            if info and remove_existing and entry.gr_gid == info[3]:
                wanted.discard(group)
            elif names_only:
                names.add(entry.gr_name)
        return names if names_only else wanted

    # -- running -------------------------------------------------------------------

    def run(self, command: list[Any], data: str | None = None, obey_check_mode: bool = True) -> Outcome:
        if self.module.check_mode and obey_check_mode:
            return 0, "", ""
        return self.module.run_command([str(arg) for arg in command], data=data)

    def binary(self, name: str) -> str:
        return self.module.get_bin_path(name, True)

    def _expiry_date(self) -> str:
        assert self.expires is not None
        return "" if self.expires < time.gmtime(0) else time.strftime("%Y-%m-%d", self.expires)

    def _expiry_days(self) -> int:
        assert self.expires is not None
        return -1 if self.expires < time.gmtime(0) else int(self.params["expires"] // 86400)

    def _then(self, result: Outcome, commands: list[list[Any]]) -> Outcome:
        """Run ``commands`` after a first command's ``result``, stopping at the first failure;
        their outputs are appended."""
        rc, out, err = result
        for command in commands:
            if rc is not None and rc != 0:
                break
            rc, more_out, more_err = self.run(command)
            out, err = out + more_out, err + more_err
        return rc, out, err

    # -- changes -------------------------------------------------------------------

    def remove(self) -> Outcome:
        command: list[Any] = [self.binary("luserdel" if self.local else "userdel")]
        if self.params["force"] and not self.local:
            command.append("-f")
        if self.params["remove"]:
            command.append("-r")
        return self.run(command + [self.name])

    def create(self) -> Outcome:
        params = self.params
        if self.local:
            lgroupmod, lchage = self.binary("lgroupmod"), self.binary("lchage")
        command: list[Any] = [self.binary("luseradd" if self.local else "useradd")]
        if params["uid"] is not None:
            command += ["-u", params["uid"]] + (["-o"] if params["non_unique"] else [])
        if params["seuser"] is not None and self.module.selinux_enabled():
            command += ["-Z", params["seuser"]]
        if params["group"] is not None:
            if _group(params["group"]) is None:
                self.module.fail_json(msg=f"Group {params['group']} does not exist")
            command += ["-g", params["group"]]
        elif _group(self.name) is not None:
            command += self._no_user_group()
        groups: set[str] = set()
        if self.groups:
            groups = self.wanted_groups()
            if not self.local:
                command += ["-G", ",".join(groups)]
        if params["comment"] is not None:
            command += ["-c", params["comment"]]
        if params["home"] is not None:
            if params["create_home"] and not os.path.isdir(os.path.dirname(params["home"])):
                self.create_home(params["home"])
            command += ["-d", params["home"]]
        if params["shell"] is not None:
            command += ["-s", params["shell"]]
        if self.expires is not None and not self.local:
            command += ["-e", self._expiry_date()]
        if params["password_expire_account_disable"] is not None:
            command += ["-f", params["password_expire_account_disable"]]
        if params["password"] is not None:
            command += ["-p", ("!" if params["password_lock"] else "") + params["password"]]
        if params["create_home"]:
            if not self.local:
                command.append("-m")
            if params["skeleton"] is not None:
                command += ["-k", params["skeleton"]]
            if params["umask"] is not None:
                command += ["-K", f"UMASK={params['umask']}"]
        else:
            command.append("-M")
        if params["system"]:
            command.append("-r")
        for option in ("uid_min", "uid_max"):
            if params[option] is not None:
                command += ["-K", f"{option.upper()}={params[option]}"]
        result = self.run(command + [self.name])
        if not self.local:
            return result
        then: list[list[Any]] = []
        if self.expires is not None:
            then.append([lchage, "-E", self._expiry_days(), self.name])
        then += [[lgroupmod, "-M", self.name, group] for group in groups]
        return self._then(result, then)

    def _no_user_group(self) -> list[str]:
        """The option that stops useradd making a group named like the account (one exists)."""
        if self.local:
            return ["-n"]
        if os.path.exists("/etc/redhat-release"):
            return ["-n"] if _major_release() <= 5 else ["-N"]
        if os.path.exists("/etc/SuSE-release"):
            return ["-N"] if _major_release() >= 12 else []
        return ["-N"]

    def _usermod_appends(self) -> bool:
        """Whether this usermod has ``-a, --append`` (its --help says so)."""
        usermod = self.binary("lusermod" if self.local else "usermod")
        if not os.access(usermod, os.X_OK):
            return False
        _rc, out, err = self.run([usermod, "--help"], obey_check_mode=False)
        return any(line.strip().startswith("-a, --append") for line in (out + err).split("\n"))

    def modify(self) -> Outcome:
        params = self.params
        if self.local:
            lgroupmod, lchage = self.binary("lgroupmod"), self.binary("lchage")
        command: list[Any] = [self.binary("lusermod" if self.local else "usermod")]
        info = self.info()
        assert info is not None
        appends = self._usermod_appends()
        group_adds: set[str] = set()
        group_dels: set[str] = set()
        difference: set[str] = set()
        local_expiry: int | None = None

        if params["uid"] is not None and info[2] != params["uid"]:
            command += ["-u", params["uid"]] + (["-o"] if params["non_unique"] else [])
        if params["group"] is not None:
            primary = _group(params["group"])
            if primary is None:
                self.module.fail_json(msg=f"Group {params['group']} does not exist")
            if info[3] != primary.gr_gid:
                command += ["-g", primary.gr_gid]
        if self.groups is not None:
            current = self.membership(exclude_primary=False)
            wanted: set[str] = set()
            needed = False
            if self.groups == "":
                needed = bool(current) and not params["append"]
            else:
                wanted = self.wanted_groups(remove_existing=False, names_only=True)
                difference = set(current).symmetric_difference(wanted)
                if difference and params["append"]:
                    if wanted & difference:
                        if appends:
                            command.append("-a")
                        needed = True
                elif difference:
                    needed = True
            if needed:
                if self.local:
                    group_adds = wanted - set(current)
                    group_dels = set() if params["append"] else set(current) - wanted
                elif params["append"] and not appends:
                    command += ["-A", ",".join(difference)]
                else:
                    command += ["-G", ",".join(wanted)]
        if params["comment"] is not None and info[4] != params["comment"]:
            command += ["-c", params["comment"]]
        if params["home"] is not None and info[5] != params["home"]:
            command += ["-d", params["home"]] + (["-m"] if params["move_home"] else [])
        if params["shell"] is not None and info[6] != params["shell"]:
            command += ["-s", params["shell"]]
        if self.expires is not None:
            shadow = _shadow(self.name)
            current_days = shadow.expire if shadow else 0
            if self.expires < time.gmtime(0):
                if current_days >= 0:
                    if self.local:
                        local_expiry = -1
                    else:
                        command += ["-e", ""]
            elif current_days < 0 or time.gmtime(current_days * 86400)[:3] != self.expires[:3]:
                if self.local:
                    local_expiry = self._expiry_days()
                else:
                    command += ["-e", self._expiry_date()]
        if params["password_expire_account_disable"] is not None:
            command += ["-f", params["password_expire_account_disable"]]
        locked = info[1].startswith("!")
        if params["password_lock"] and not locked:
            command.append("-L")
        elif params["password_lock"] is False and locked:
            command.append("-U")
        password = params["password"]
        if params["update_password"] == "always" and password is not None \
                and info[1].lstrip("!") != password.lstrip("!"):
            command = [arg for arg in command if arg not in ("-L", "-U")]
            command += ["-p", ("!" if params["password_lock"] else "") + password]

        result: Outcome = NOT_RUN
        if len(command) > 1:
            result = self.run(command + [self.name])
        if not self.local:
            return result
        then: list[list[Any]] = []
        if local_expiry is not None:
            then.append([lchage, "-E", local_expiry, self.name])
        then += [[lgroupmod, "-M", self.name, group] for group in group_adds]
        then += [[lgroupmod, "-m", self.name, group] for group in group_dels]
        return self._then(result, then)

    def password_ageing(self) -> Outcome:
        """``chage`` for the O(password_expire_*) values that differ from /etc/shadow's."""
        shadow = _shadow(self.name)
        if shadow is None:
            return NOT_RUN
        command: list[Any] = [self.binary("chage")]
        for option, flag, current in (("password_expire_min", "-m", shadow.min),
                                      ("password_expire_max", "-M", shadow.max),
                                      ("password_expire_warn", "-W", shadow.warn)):
            if self.params[option] is not None and self.params[option] != current:
                command += [flag, self.params[option]]
        if len(command) == 1:
            return NOT_RUN
        return self.run(command + [self.name])

    # -- home directory --------------------------------------------------------------

    def create_home(self, path: str) -> None:
        """Make ``path`` from the skeleton (/etc/skel by default) or empty, with the mode that
        HOME_MODE or UMASK of /etc/login.defs gives (0755 without them)."""
        if os.path.exists(path):
            return
        skeleton = self.params["skeleton"] if self.params["skeleton"] is not None else "/etc/skel"
        try:
            if os.path.exists(skeleton) and skeleton != os.devnull:
                shutil.copytree(skeleton, path, symlinks=True)
            else:
                os.makedirs(path)
        except OSError as exc:
            self.module.exit_json(failed=True, msg=str(exc))
        if not os.path.exists(LOGIN_DEFS):
            return
        mode = 0o755
        with open(LOGIN_DEFS) as handle:
            for line in handle:
                home_mode = re.match(r"^HOME_MODE\s+(\d+)$", line)
                if home_mode:
                    mode = int(home_mode.group(1), 8)
                    break
                umask = re.match(r"^UMASK\s+(\d+)$", line)
                if umask:
                    mode = 0o777 & ~int(umask.group(1), 8)
        try:
            os.chmod(path, mode)
        except OSError as exc:
            self.module.exit_json(failed=True, msg=str(exc))

    def chown_home(self, uid: int, gid: int, path: str) -> None:
        try:
            os.chown(path, uid, gid)
            for root, dirs, files in os.walk(path):
                for entry in dirs:
                    os.chown(os.path.join(root, entry), uid, gid)
                for entry in files:
                    if not os.path.islink(os.path.join(root, entry)):
                        os.chown(os.path.join(root, entry), uid, gid)
        except OSError as exc:
            self.module.exit_json(failed=True, msg=str(exc))

    # -- SSH key -------------------------------------------------------------------------

    def ssh_key_path(self) -> str:
        if os.path.isabs(self.ssh_file):
            return self.ssh_file
        info = self.info()
        assert info is not None
        if not os.path.exists(info[5]) and not self.module.check_mode:
            raise FileNotFoundError(f"User {self.name} home directory does not exist")
        return os.path.join(info[5], self.ssh_file)

    def ssh_key_generate(self) -> Outcome:
        """Run ssh-keygen unless the key (or its public half) exists and O(force) is false."""
        params = self.params
        info = self.info()
        assert info is not None
        try:
            key_file = self.ssh_key_path()
        except FileNotFoundError as exc:
            return 1, "", str(exc)
        public_file = f"{key_file}.pub"
        ssh_dir = os.path.dirname(key_file)
        if not os.path.exists(ssh_dir):
            if self.module.check_mode:
                return 0, "", ""
            try:
                os.mkdir(ssh_dir, 0o700)
                os.chown(ssh_dir, info[2], info[3])
            except OSError as exc:
                return 1, "", f"Failed to create {ssh_dir}: {exc}"
        overwrite = None
        if os.path.exists(key_file):
            if not params["force"]:
                self.module.warn(f'Found existing ssh key private file "{key_file}", no force, '
                                 "so skipping ssh-keygen generation")
                return None, 'Key already exists, use "force: yes" to overwrite', ""
            self.module.warn(f'Overwriting existing ssh key private file "{key_file}"')
            overwrite = "y"
        if os.path.exists(public_file):
            if not params["force"]:
                self.module.warn(f'Found existing ssh key public file "{public_file}", no force, '
                                 "so skipping ssh-keygen generation")
                return None, 'Public key already exists, use "force: yes" to overwrite', ""
            self.module.warn(f'Overwriting existing ssh key public file "{public_file}"')
            os.unlink(public_file)
        command: list[Any] = [self.binary("ssh-keygen"), "-t", params["ssh_key_type"]]
        if params["ssh_key_bits"] > 0:
            command += ["-b", params["ssh_key_bits"]]
        command += ["-C", params["ssh_key_comment"], "-f", key_file]
        if params["ssh_key_passphrase"] is not None:
            if self.module.check_mode:
                return 0, "", ""
            rc, out, err = _keygen_on_terminal([str(arg) for arg in command], params["ssh_key_passphrase"])
        else:
            rc, out, err = self.run(command + ["-N", ""], data=overwrite)
        if rc == 0 and not self.module.check_mode:
            os.chown(key_file, info[2], info[3])
            os.chown(public_file, info[2], info[3])
        return rc, out, err

    def ssh_key_fingerprint(self) -> Outcome:
        key_file = self.ssh_key_path()
        if not os.path.exists(key_file):
            return 1, f"SSH Key file {key_file} does not exist", ""
        return self.run([self.binary("ssh-keygen"), "-l", "-f", key_file], obey_check_mode=False)

    def ssh_public_key(self) -> str | None:
        try:
            with open(f"{self.ssh_key_path()}.pub") as handle:
                return handle.read().strip()
        except OSError:
            return None


def _keygen_on_terminal(command: list[str], passphrase: str, timeout: int = 900) -> Outcome:
    """Run ssh-keygen on pseudo-terminals and type ``passphrase`` at its two prompts (never in argv)."""
    terminals = [pty.openpty() for _ in range(3)]
    (in_master, in_slave), (out_master, out_slave), (err_master, err_slave) = terminals
    try:
        try:
            proc = subprocess.Popen(command, stdin=in_slave, stdout=out_slave, stderr=err_slave,
                                    start_new_session=True, env=dict(os.environ, LC_ALL="C"))
        except OSError as exc:
            return 1, "", str(exc)
        buffers = {out_master: b"", err_master: b""}
        prompts = [b"Enter passphrase", b"Enter same passphrase again"]
        started = time.monotonic()
        while proc.poll() is None:
            if time.monotonic() - started > timeout:
                proc.kill()
                return 1, "", f"Timeout after {timeout} while reading passphrase for SSH key"
            for fd in select.select(list(buffers), [], [], 1)[0]:
                try:
                    buffers[fd] += os.read(fd, 10240)
                except OSError:
                    continue
                if prompts and prompts[0] in buffers[fd]:
                    os.write(in_master, passphrase.encode() + b"\r")
                    prompts.pop(0)
                if any(b"Overwrite (y/n)?" in text for text in buffers.values()):
                    proc.kill()
                    return None, "Key already exists", ""
        return proc.returncode, buffers[out_master].decode(errors="replace"), \
            buffers[err_master].decode(errors="replace")
    finally:
        for master, slave in terminals:
            os.close(master)
            os.close(slave)


def _warn_unhashed(module: AnsibleModule, password: str | None) -> None:
    """Warn when ``password`` does not look like a crypt hash (a locking value is fine)."""
    if not password or password in LOCKING_PASSWORDS:
        return
    suspicious = any(char in password for char in ":*!") or "$" not in password
    if "$" in password:
        fields = password.split("$")
        if len(fields) < 3:
            suspicious = True
        else:
            if re.search(r"[^a-zA-Z0-9./=]", fields[-1]):
                suspicious = True
            if fields[1] in HASH_LENGTHS and len(fields[-1]) != HASH_LENGTHS[fields[1]]:
                suspicious = True
    if suspicious:
        module.warn("The input password appears not to have been hashed. "
                    "The 'password' argument must be encrypted for this module to work properly.")


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
            "name": {"type": "str", "required": True, "aliases": ["user"]},
            "uid": {"type": "int"},
            "non_unique": {"type": "bool", "default": False},
            "group": {"type": "str"},
            "groups": {"type": "list", "elements": "str"},
            "comment": {"type": "str"},
            "home": {"type": "path"},
            "shell": {"type": "path"},
            "password": {"type": "str", "no_log": True},
            "login_class": {"type": "str"},
            "password_expire_max": {"type": "int", "no_log": False},
            "password_expire_min": {"type": "int", "no_log": False},
            "password_expire_warn": {"type": "int", "no_log": False},
            "hidden": {"type": "bool"},
            "seuser": {"type": "str"},
            "force": {"type": "bool", "default": False},
            "remove": {"type": "bool", "default": False},
            "create_home": {"type": "bool", "default": True, "aliases": ["createhome"]},
            "skeleton": {"type": "str"},
            "system": {"type": "bool", "default": False},
            "move_home": {"type": "bool", "default": False},
            "append": {"type": "bool", "default": False},
            "generate_ssh_key": {"type": "bool"},
            "ssh_key_bits": {"type": "int", "default": 0},
            "ssh_key_type": {"type": "str", "default": "rsa"},
            "ssh_key_file": {"type": "path"},
            "ssh_key_comment": {"type": "str", "default": f"ansible-generated on {socket.gethostname()}"},
            "ssh_key_passphrase": {"type": "str", "no_log": True},
            "update_password": {"type": "str", "default": "always", "choices": ["always", "on_create"],
                                "no_log": False},
            "expires": {"type": "float"},
            "password_lock": {"type": "bool", "no_log": False},
            "local": {"type": "bool"},
            "profile": {"type": "str"},
            "authorization": {"type": "str"},
            "role": {"type": "str"},
            "umask": {"type": "str"},
            "password_expire_account_disable": {"type": "int", "no_log": False},
            "uid_min": {"type": "int"},
            "uid_max": {"type": "int"},
        },
        supports_check_mode=True,
        required_if=[["append", True, ["groups"]]],
    )
    account = Account(module)
    params = module.params
    _warn_unhashed(module, params["password"])
    if params["seuser"] is not None and not module.selinux_enabled():
        module.warn(f"'seuser' is set to '{params['seuser']}' but SELinux is not enabled on "
                    "this system. The 'seuser' parameter will be ignored.")

    rc: int | None = None
    out = err = ""
    result: dict[str, Any] = {"name": account.name, "state": params["state"]}
    if params["state"] == "absent":
        if account.exists():
            if module.check_mode:
                module.exit_json(changed=True)
            rc, out, err = account.remove()
            if rc != 0:
                module.fail_json(name=account.name, msg=err, rc=rc)
            result.update(force=params["force"], remove=params["remove"])
    else:
        if not account.exists():
            if module.check_mode:
                module.exit_json(changed=True)
            home = params["home"]
            needs_parents = bool(home and params["create_home"] and not os.path.isdir(os.path.dirname(home)))
            rc, out, err = account.create()
            if needs_parents:
                info = account.info()
                if info is not None:
                    account.chown_home(info[2], info[3], home)
            result.update(system=params["system"], create_home=params["create_home"])
        else:
            rc, out, err = account.modify()
            result.update(append=params["append"], move_home=params["move_home"])
        if rc is not None and rc != 0:
            module.fail_json(name=account.name, msg=err, rc=rc)
        if params["password"] is not None:
            result["password"] = "NOT_LOGGING_PASSWORD"

    record_outcome(result, (rc, out, err))

    if params["state"] == "present" and account.exists():
        _report_and_finish(module, account, result)
    module.exit_json(**result)


def _report_and_finish(module: AnsibleModule, account: Account, result: dict[str, Any]) -> None:
    """Add the account's fields to ``result``; make a missing home directory, the SSH key and the
    password ageing the task asks for."""
    params = module.params
    info = account.info()
    assert info is not None
    result.update(uid=info[2], group=info[3], comment=info[4], home=info[5], shell=info[6],
                  groups=",".join(account.membership()))
    home = params["home"] if params["home"] is not None else info[5]
    if not os.path.exists(home) and home not in PLACEHOLDER_HOMES and params["create_home"]:
        if not module.check_mode:
            account.create_home(home)
            account.chown_home(info[2], info[3], home)
        result["changed"] = True
    if params["generate_ssh_key"]:
        rc, _out, err = account.ssh_key_generate()
        if rc is not None and rc != 0:
            module.fail_json(name=account.name, msg=err, rc=rc)
        if rc == 0:
            result["changed"] = True
        rc, out, err = account.ssh_key_fingerprint()
        result["ssh_fingerprint"] = out.strip() if rc == 0 else err.strip()
        result["ssh_key_file"] = account.ssh_key_path()
        result["ssh_public_key"] = account.ssh_public_key()
    rc, _out, err = account.password_ageing()
    if rc is not None:
        if rc != 0:
            module.fail_json(name=account.name, msg=err, rc=rc)
        result["changed"] = True


if __name__ == "__main__":
    main()
