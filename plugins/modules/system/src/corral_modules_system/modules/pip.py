#!/usr/bin/python3
"""pip: Python packages, optionally in a virtualenv."""
from __future__ import annotations

DOCUMENTATION = r"""
module: pip
short_description: Manage Python packages with pip
description:
  - Installs, upgrades or removes Python packages, in the target's Python or in a virtualenv (created when
    missing).
options:
  name:
    description: Package names, with optional version specifiers (C(requests>=2)), or paths/URLs of archives.
    type: list
    elements: str
  version:
    description: The version to install (only with a single O(name)).
    type: str
  requirements:
    description: A requirements file.
    type: str
  virtualenv:
    description: The virtualenv to install into; created when it does not exist.
    type: path
  virtualenv_command:
    description: The command that creates the virtualenv.
    type: path
    default: virtualenv
  virtualenv_python:
    description: The Python of a new virtualenv (for C(python -m venv) style commands, the interpreter to run).
    type: str
  virtualenv_site_packages:
    type: bool
    default: 'no'
  state:
    type: str
    choices: [absent, forcereinstall, latest, present]
    default: present
  extra_args:
    description: More arguments for pip (C(--no-index --find-links DIR)).
    type: str
  editable:
    type: bool
    default: 'no'
  chdir:
    type: path
  executable:
    description: The pip to run (not with O(virtualenv)).
    type: path
  umask:
    description:
      - The umask (an octal string such as V("0022")) that creating the virtualenv and running pip use, so that
        what they install is readable by other users whatever the login's umask.
    type: str
  break_system_packages:
    description:
      - Allow pip to change a Python installation marked externally managed (PEP 668); pip is told so through
        E(PIP_BREAK_SYSTEM_PACKAGES), which pip versions before 23.0.1 ignore instead of rejecting an option.
    type: bool
    default: false
"""

EXAMPLES = r"""
- pip:
    name: [flask, gunicorn>=21]
    virtualenv: /srv/app/venv
    virtualenv_command: python3 -m venv
"""

RETURN = r"""
cmd:
  description: The pip command that ran (its arguments).
  returned: success
  type: list
name:
  description: The packages.
  returned: success
  type: list
virtualenv:
  description: The virtualenv used.
  returned: success
  type: str
"""

import os
import re
import shlex
import sys

from corral.module_utils.basic import AnsibleModule

_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")


def _project_name(requirement: str) -> str:
    """The project name a requirement starts with (the requirement itself when it has none)."""
    match = _NAME.match(requirement.strip())
    return match.group(1) if match else requirement


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed(module: AnsibleModule, pip: list[str], env_cwd: str | None) -> dict[str, str]:
    rc, out, err = module.run_command(pip + ["list", "--format=freeze", "--disable-pip-version-check"], cwd=env_cwd)
    if rc != 0:
        module.fail_json(msg=f"Unable to list installed packages: {err.strip()}", cmd=" ".join(pip))
    found = {}
    for line in out.splitlines():
        if "==" in line:
            name, version = line.split("==", 1)
            found[_canonical(name)] = version.strip()
    return found


def _satisfied(requirement: str, installed: dict[str, str]) -> bool:
    match = _NAME.match(requirement.strip())
    if not match or os.sep in requirement or "://" in requirement:
        return False
    name, spec = _canonical(match.group(1)), match.group(3).strip()
    if name not in installed:
        return False
    if not spec:
        return True
    have = installed[name]
    for clause in spec.split(","):
        clause = clause.strip()
        op_match = re.match(r"(==|>=|<=|!=|~=|>|<)\s*(.+)", clause)
        if not op_match:
            return False
        op, wanted = op_match.groups()
        cmp = _compare(have, wanted)
        ok = {"==": cmp == 0, ">=": cmp >= 0, "<=": cmp <= 0, "!=": cmp != 0, ">": cmp > 0, "<": cmp < 0,
              "~=": cmp >= 0}[op]
        if not ok:
            return False
    return True


def _compare(left: str, right: str) -> int:
    def parts(version: str) -> list:
        return [int(p) if p.isdigit() else p for p in re.split(r"[.+-]", version)]
    a, b = parts(left), parts(right)
    length = max(len(a), len(b))
    a += [0] * (length - len(a))
    b += [0] * (length - len(b))
    for x, y in zip(a, b):
        if x == y:
            continue
        if isinstance(x, int) and isinstance(y, int):
            return -1 if x < y else 1
        return -1 if str(x) < str(y) else 1
    return 0


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "list", "elements": "str"},
            "version": {"type": "str"},
            "requirements": {"type": "str"},
            "virtualenv": {"type": "path"},
            "virtualenv_site_packages": {"type": "bool", "default": False},
            "virtualenv_command": {"type": "path", "default": "virtualenv"},
            "virtualenv_python": {"type": "str"},
            "state": {"type": "str", "default": "present", "choices": ["absent", "forcereinstall", "latest", "present"]},
            "extra_args": {"type": "str"},
            "editable": {"type": "bool", "default": False},
            "chdir": {"type": "path"},
            "executable": {"type": "path"},
            "umask": {"type": "str"},
            "break_system_packages": {"type": "bool", "default": False},
        },
        required_one_of=[["name", "requirements"]],
        mutually_exclusive=[["name", "requirements"], ["executable", "virtualenv"]],
        supports_check_mode=True,
    )
    umask = None
    if params_umask := module.params["umask"]:
        try:
            umask = int(params_umask, 8)
        except ValueError as exc:
            module.fail_json(msg="umask must be an octal integer", details=str(exc))
    if module.params["break_system_packages"]:
        os.environ["PIP_BREAK_SYSTEM_PACKAGES"] = "1"
    previous = os.umask(umask) if umask is not None else None
    try:
        _manage(module)
    finally:
        if previous is not None:
            os.umask(previous)


def _manage(module: AnsibleModule) -> None:
    """Create the virtualenv if needed and bring the packages to the wanted state; exits the module."""
    params = module.params
    state = params["state"]
    names = params["name"] or []
    if params["version"]:
        if len(names) != 1:
            module.fail_json(msg="version is incompatible with state=latest or with several names")
        names = [f"{names[0]}=={params['version']}"]
    result = {"changed": False, "name": params["name"], "version": params["version"],
              "requirements": params["requirements"], "virtualenv": params["virtualenv"], "state": state}
    venv = params["virtualenv"]
    cwd = params["chdir"]
    if venv:
        if not os.path.exists(os.path.join(venv, "bin", "activate")) and not os.path.exists(os.path.join(venv, "bin", "python")):
            if module.check_mode:
                module.exit_json(changed=True, **{k: v for k, v in result.items() if k != "changed"})
            command = shlex.split(params["virtualenv_command"])
            if os.path.basename(command[0]) == "virtualenv" and not module.get_bin_path(command[0]):
                command = [params["virtualenv_python"] or sys.executable, "-m", "venv"]
            elif params["virtualenv_python"] and "venv" not in command:
                command += ["-p", params["virtualenv_python"]]
            if params["virtualenv_site_packages"]:
                command.append("--system-site-packages")
            rc, out, err = module.run_command(command + [venv], cwd=cwd)
            if rc != 0:
                module.fail_json(msg=f"Failed to create the virtualenv {venv}: {err.strip()}", cmd=" ".join(command),
                                 stdout=out, stderr=err)
            result["changed"] = True
        pip = [os.path.join(venv, "bin", "pip")]
    elif params["executable"]:
        pip = [params["executable"]]
    else:
        pip = [sys.executable, "-m", "pip"]
    extra = shlex.split(params["extra_args"] or "")

    if params["requirements"]:
        args = ["-r", params["requirements"]]
        needs_run = True
    else:
        installed = _installed(module, pip, cwd)
        if state == "absent":
            targets = [n for n in names if _canonical(_project_name(n)) in installed] if names else []
        elif state == "present":
            targets = [n for n in names if not _satisfied(n, installed)]
        else:
            targets = list(names)
        args = (["-e"] if params["editable"] else []) + targets
        needs_run = bool(targets)
    if not needs_run:
        module.exit_json(**result)
    if module.check_mode:
        result["changed"] = True
        module.exit_json(**result)
    if state == "absent":
        command = pip + ["uninstall", "-y"] + extra + [_project_name(n) for n in args if n != "-e"]
    else:
        command = pip + ["install", "--disable-pip-version-check"] + extra
        if state == "latest":
            command.append("-U")
        elif state == "forcereinstall":
            command += ["-U", "--force-reinstall"]
        command += args
    before = _installed(module, pip, cwd) if state in ("latest", "forcereinstall") or params["requirements"] else None
    rc, out, err = module.run_command(command, cwd=cwd)
    result.update(cmd=command, stdout=out, stderr=err)  # a list, as in ansible-core
    if rc != 0:
        # ansible-core's words: pip's stdout, then its stderr after "\n:stderr: ", and the command as a list
        module.fail_json(cmd=command, msg=(f"stdout: {out}" if out else "") + (f"\n:stderr: {err}" if err else ""))
    if before is not None and state != "forcereinstall":
        result["changed"] = result["changed"] or before != _installed(module, pip, cwd)
    else:
        result["changed"] = True
    module.exit_json(**result)


if __name__ == "__main__":
    main()
