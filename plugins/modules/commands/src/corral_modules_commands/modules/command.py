#!/usr/bin/python3
"""command: run a program on the target, without a shell (shell: with one)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: command
short_description: Run a command on the target without a shell
description:
  - Runs a program with arguments. Shell features (pipes, redirections, variables such as C($HOME)) are not
    interpreted; use M(shell) for them.
  - The command is given as free-form text (split like a shell would split it), as O(cmd), or as an O(argv) list.
options:
  free_form:
    description: The command, as free-form text after the module name.
  cmd:
    description: The command to run, split into arguments like a shell would.
    type: str
  argv:
    description: The command as a list of arguments; no splitting or quoting is needed.
    type: list
    elements: str
  chdir:
    description: Change into this directory before running the command.
    type: path
  creates:
    description: A path or glob; when it exists the command is not run.
    type: path
  removes:
    description: A path or glob; when it does not exist the command is not run.
    type: path
  stdin:
    description: Text given to the command on its standard input.
    type: str
  stdin_add_newline:
    description: Whether a newline is added after O(stdin).
    type: bool
    default: true
  strip_empty_ends:
    description: Whether trailing newlines are removed from stdout and stderr.
    type: bool
    default: true
  expand_argument_vars:
    description: Whether C($VAR) and C(~) in arguments are expanded (not in a shell).
    type: bool
    default: true
notes:
  - In check mode the command is not run: the task reports skipped, or changed when O(creates)/O(removes) are given and would let it run.
"""

EXAMPLES = r"""
- name: Show the kernel
  command: uname -a
  register: kernel

- name: Create a database once
  command:
    cmd: /usr/bin/make_database.sh db_user db_name
    creates: /path/to/database

- name: Run with arguments given as a list
  command:
    argv: [/usr/bin/printf, "%s\n", "two words"]
"""

RETURN = r"""
cmd:
  description: The command that ran (a list of arguments, or a string for a shell).
  returned: always
  type: raw
rc:
  description: The exit status of the command.
  returned: always
  type: int
stdout:
  description: The standard output of the command.
  returned: always
  type: str
stderr:
  description: The standard error of the command.
  returned: always
  type: str
start:
  description: When the command started.
  returned: always
  type: str
end:
  description: When the command ended.
  returned: always
  type: str
delta:
  description: How long the command ran.
  returned: always
  type: str
msg:
  description: Why the command did not run, or that it failed.
  returned: always
  type: str
"""

import datetime
import glob
import os
import shlex

from corral.module_utils.basic import AnsibleModule


def _skip(module: AnsibleModule, result: dict, path: str, exists: bool) -> None:
    """Exit without running: ``creates`` exists, or ``removes`` does not."""
    state = "exists" if exists else "does not exist"
    result["stdout"] = f"skipped, since {path} {state}"
    verb = "Would not" if module.check_mode else "Did not"
    result["msg"] = f"{verb} run command since '{path}' {state}"
    result["rc"] = 0
    module.exit_json(**result)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "_raw_params": {"type": "str"},
            "_uses_shell": {"type": "bool", "default": False},
            "argv": {"type": "list", "elements": "str"},
            "chdir": {"type": "path"},
            "cmd": {"type": "str"},
            "creates": {"type": "path"},
            "executable": {"type": "str"},
            "expand_argument_vars": {"type": "bool", "default": True},
            "removes": {"type": "path"},
            "stdin": {"type": "str"},
            "stdin_add_newline": {"type": "bool", "default": True},
            "strip_empty_ends": {"type": "bool", "default": True},
        },
        mutually_exclusive=[["_raw_params", "cmd", "argv"]],
        supports_check_mode=True,
    )
    params = module.params
    shell = params["_uses_shell"]
    command = params["_raw_params"] or params["cmd"]
    argv = params["argv"]
    executable = params["executable"]

    result: dict = {"changed": False, "stdout": "", "stderr": "", "rc": None, "cmd": None,
              "start": None, "end": None, "delta": None, "msg": ""}
    if not command and not argv:
        result.update(rc=256, msg="no command given")
        module.fail_json(**result)
    if executable and not shell:
        module.warn("As of corral 0.1, executable is only used with the shell module; it is ignored here.")
        executable = None

    if shell:
        args = command if command else " ".join(shlex.quote(arg) for arg in argv)
    elif command:
        args = shlex.split(command)
    else:
        args = [str(arg) for arg in argv]
    result["cmd"] = args

    if params["chdir"]:
        try:
            os.chdir(params["chdir"])
        except OSError as exc:
            result["msg"] = f"Unable to change directory before execution: {exc}"
            module.fail_json(**result)

    if params["creates"] and glob.glob(params["creates"]):
        _skip(module, result, params["creates"], exists=True)
    if params["removes"] and not glob.glob(params["removes"]):
        _skip(module, result, params["removes"], exists=False)

    if module.check_mode:
        # creates/removes tell what a run would do: it would change; without them, skipped
        result.update(rc=0, msg="Command would have run if not in check mode")
        if params["creates"] or params["removes"]:
            result["changed"] = True
        else:
            result["skipped"] = True
        module.exit_json(**result)

    start = datetime.datetime.now()
    try:
        rc, out, err = module.run_command(
            args, executable=executable, use_unsafe_shell=shell, encoding=None, data=params["stdin"],
            binary_data=not params["stdin_add_newline"], expand_user_and_vars=params["expand_argument_vars"],
            handle_exceptions=False)
    except OSError as exc:
        result.update(rc=exc.errno, msg=f"Error executing command: {exc}")
        module.fail_json(**result)
    end = datetime.datetime.now()
    if params["strip_empty_ends"]:
        out = out.rstrip(b"\r\n")
        err = err.rstrip(b"\r\n")
    result.update(changed=True, rc=rc, stdout=out.decode("utf-8", "replace"),
                  stderr=err.decode("utf-8", "replace"), start=str(start), end=str(end),
                  delta=str(end - start))
    if rc != 0:
        result["msg"] = "The command exited with a non-zero return code."
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
