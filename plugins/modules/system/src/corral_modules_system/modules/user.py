#!/usr/bin/python3
"""user: local user accounts."""
from __future__ import annotations

DOCUMENTATION = r"""
module: user
short_description: Manage local user accounts
description:
  - Creates, changes or removes a local account with C(useradd), C(usermod) and C(userdel).
options:
  name:
    description: The account's name.
    type: str
    required: true
    aliases: [user]
  uid:
    type: int
  group:
    description: The primary group (name or gid).
    type: str
  groups:
    description: Supplementary groups; with O(append) they are added to the current ones, else they replace them.
    type: list
    elements: str
  append:
    type: bool
    default: false
  comment:
    description: The GECOS field.
    type: str
  home:
    type: path
  shell:
    type: str
  password:
    description: The encrypted (crypt) password, as in C(/etc/shadow).
    type: str
  update_password:
    description: C(always) sets O(password) when it differs, C(on_create) only for new accounts.
    type: str
    choices: [always, on_create]
    default: always
  state:
    type: str
    choices: [absent, present]
    default: present
  system:
    type: bool
    default: false
  create_home:
    type: bool
    default: true
    aliases: [createhome]
  move_home:
    type: bool
    default: false
  remove:
    description: With C(state=absent), also remove the home directory.
    type: bool
    default: false
  force:
    type: bool
    default: false
  password_lock:
    type: bool
  generate_ssh_key:
    description: Create an SSH key pair for the user when O(ssh_key_file) does not exist.
    type: bool
    default: false
  ssh_key_type:
    type: str
    default: rsa
  ssh_key_bits:
    type: int
  ssh_key_file:
    description: The private key's path, relative to the home directory (default C(.ssh/id_TYPE)).
    type: path
  ssh_key_comment:
    type: str
  ssh_key_passphrase:
    type: str
"""

EXAMPLES = r"""
- user:
    name: deploy
    shell: /bin/bash
    groups: [adm]
    append: true
"""

RETURN = r"""
name:
  description: The account's name.
  returned: always
  type: str
uid:
  description: Its uid.
  returned: when present
  type: int
home:
  description: Its home directory.
  returned: when present
  type: str
"""

import grp
import os
import pwd

from corral.module_utils.basic import AnsibleModule


def _user(name: str):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def _gid(module: AnsibleModule, group: str) -> int:
    try:
        return int(group)
    except ValueError:
        try:
            return grp.getgrnam(group).gr_gid
        except KeyError:
            module.fail_json(msg=f"Group {group} does not exist")


def _supplementary(name: str, primary: int) -> set[str]:
    return {g.gr_name for g in grp.getgrall() if name in g.gr_mem and g.gr_gid != primary}


def _shadow_hash(name: str) -> str | None:
    try:
        with open("/etc/shadow") as handle:
            for line in handle:
                fields = line.split(":")
                if fields[0] == name:
                    return fields[1]
    except OSError:
        return None
    return None


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True, "aliases": ["user"]},
            "uid": {"type": "int"},
            "group": {"type": "str"},
            "groups": {"type": "list", "elements": "str"},
            "append": {"type": "bool", "default": False},
            "comment": {"type": "str"},
            "home": {"type": "path"},
            "shell": {"type": "str"},
            "password": {"type": "str", "no_log": True},
            "update_password": {"type": "str", "default": "always", "choices": ["always", "on_create"]},
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
            "system": {"type": "bool", "default": False},
            "create_home": {"type": "bool", "default": True, "aliases": ["createhome"]},
            "move_home": {"type": "bool", "default": False},
            "remove": {"type": "bool", "default": False},
            "force": {"type": "bool", "default": False},
            "non_unique": {"type": "bool", "default": False},
            "password_lock": {"type": "bool"},
            "expires": {"type": "float"},
            "local": {"type": "bool"},
            "generate_ssh_key": {"type": "bool", "default": False},
            "ssh_key_type": {"type": "str", "default": "rsa"},
            "ssh_key_bits": {"type": "int"},
            "ssh_key_file": {"type": "path"},
            "ssh_key_comment": {"type": "str"},
            "ssh_key_passphrase": {"type": "str", "no_log": True},
        },
        supports_check_mode=True,
    )
    params = module.params
    name = params["name"]
    current = _user(name)
    result: dict = {"name": name, "state": params["state"], "changed": False}

    if params["state"] == "absent":
        if current is not None:
            result["changed"] = True
            if not module.check_mode:
                command = [module.get_bin_path("userdel", True)]
                if params["remove"]:
                    command.append("-r")
                if params["force"]:
                    command.append("-f")
                rc, out, err = module.run_command(command + [name])
                if rc not in (0, 12):  # 12: home directory could not be removed
                    module.fail_json(msg=f"userdel failed: {err.strip()}", rc=rc, name=name)
            result["remove"] = params["remove"]
        module.exit_json(**result)

    groups = [g.strip() for g in params["groups"] or [] if g.strip()] if params["groups"] is not None else None
    if current is None:
        result["changed"] = True
        command = [module.get_bin_path("useradd", True)]
        if params["uid"] is not None:
            command += ["-u", str(params["uid"])] + (["-o"] if params["non_unique"] else [])
        if params["group"]:
            command += ["-g", params["group"]]
        if groups:
            command += ["-G", ",".join(groups)]
        if params["comment"] is not None:
            command += ["-c", params["comment"]]
        if params["home"]:
            command += ["-d", params["home"]]
        if params["shell"]:
            command += ["-s", params["shell"]]
        if params["password"]:
            command += ["-p", params["password"]]
        if params["system"]:
            command.append("-r")
        command.append("-m" if params["create_home"] else "-M")
        if not module.check_mode:
            rc, out, err = module.run_command(command + [name])
            if rc != 0:
                module.fail_json(msg=f"useradd failed: {err.strip()}", rc=rc, name=name, cmd=" ".join(command))
            result["password"] = "NOT_LOGGING_PASSWORD" if params["password"] else None
            if result["password"] is None:
                result.pop("password")
    else:
        changes: list[str] = []
        if params["uid"] is not None and current.pw_uid != params["uid"]:
            changes += ["-u", str(params["uid"])] + (["-o"] if params["non_unique"] else [])
        if params["group"] and current.pw_gid != _gid(module, params["group"]):
            changes += ["-g", params["group"]]
        if groups is not None:
            have = _supplementary(name, current.pw_gid)
            wanted = set(groups)
            for group in wanted:
                _gid(module, group)
            if params["append"]:
                if not wanted <= have:
                    changes += ["-a", "-G", ",".join(sorted(wanted))]
            elif wanted != have:
                changes += ["-G", ",".join(sorted(wanted))]
        if params["comment"] is not None and current.pw_gecos != params["comment"]:
            changes += ["-c", params["comment"]]
        if params["home"] and current.pw_dir != params["home"]:
            changes += ["-d", params["home"]] + (["-m"] if params["move_home"] else [])
        if params["shell"] and current.pw_shell != params["shell"]:
            changes += ["-s", params["shell"]]
        if params["password"] and params["update_password"] == "always" and \
                _shadow_hash(name) != params["password"]:
            changes += ["-p", params["password"]]
            result["password"] = "NOT_LOGGING_PASSWORD"
        if params["password_lock"] is not None:
            locked = (_shadow_hash(name) or "").startswith("!")
            if params["password_lock"] and not locked:
                changes.append("-L")
            elif params["password_lock"] is False and locked:
                changes.append("-U")
        if changes:
            result["changed"] = True
            if not module.check_mode:
                rc, out, err = module.run_command([module.get_bin_path("usermod", True)] + changes + [name])
                if rc != 0:
                    module.fail_json(msg=f"usermod failed: {err.strip()}", rc=rc, name=name)
    after = _user(name)
    if after is not None:
        result.update(uid=after.pw_uid, group=after.pw_gid, comment=after.pw_gecos, home=after.pw_dir,
                      shell=after.pw_shell, system=params["system"],
                      groups=",".join(sorted(_supplementary(name, after.pw_gid))))
        if params["create_home"] and not os.path.exists(after.pw_dir) and not module.check_mode:
            result["msg"] = f"home directory {after.pw_dir} does not exist"
        if params["generate_ssh_key"]:
            result["changed"] = _ssh_key(module, after, result) or result["changed"]
    module.exit_json(**result)


def _ssh_key(module: AnsibleModule, user, result: dict) -> bool:
    """Create the user's key pair when missing; report its file, public key and fingerprint."""
    params = module.params
    key_file = params["ssh_key_file"] or os.path.join(".ssh", f"id_{params['ssh_key_type']}")
    if not os.path.isabs(key_file):
        key_file = os.path.join(user.pw_dir, key_file)
    result["ssh_key_file"] = key_file
    created = False
    if not os.path.exists(key_file):
        if module.check_mode:
            return True
        directory = os.path.dirname(key_file)
        if not os.path.isdir(directory):
            os.makedirs(directory, mode=0o700)
            os.chown(directory, user.pw_uid, user.pw_gid)
        command = [module.get_bin_path("ssh-keygen", True), "-q", "-t", params["ssh_key_type"], "-f", key_file,
                   "-N", params["ssh_key_passphrase"] or "",
                   "-C", params["ssh_key_comment"] or f"ansible-generated on {os.uname()[1]}"]
        if params["ssh_key_bits"]:
            command += ["-b", str(params["ssh_key_bits"])]
        rc, out, err = module.run_command(command)
        if rc != 0:
            module.fail_json(msg=f"Failed to generate the SSH key: {err.strip()}", name=user.pw_name, rc=rc)
        for path in (key_file, key_file + ".pub"):
            os.chown(path, user.pw_uid, user.pw_gid)
        created = True
    if os.path.exists(key_file + ".pub"):
        with open(key_file + ".pub") as handle:
            result["ssh_public_key"] = handle.read().strip()
        rc, out, _err = module.run_command([module.get_bin_path("ssh-keygen", True), "-l", "-f", key_file + ".pub"])
        if rc == 0:
            result["ssh_fingerprint"] = out.strip()
    return created


if __name__ == "__main__":
    main()
