#!/usr/bin/python3
"""expect: run a command and answer its prompts (needs pexpect on the target, as in Ansible)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: expect
short_description: Executes a command and responds to prompts
description:
  - Runs O(command) in a pseudo-terminal (not through a shell) and, each time its output matches a regular
    expression of O(responses), types the answer followed by a newline.
  - Needs the Python library C(pexpect) on the target; without it the task fails with the message Ansible gives
    for a missing library.
  - Not supported in check mode (the task is skipped).
options:
  command:
    description: The command to run (split as a shell would, but not run by one).
    type: str
    required: true
  creates:
    description: A path; when it exists, the command is not run.
    type: path
  removes:
    description: A path; when it does not exist, the command is not run.
    type: path
  chdir:
    description: The directory to run the command in.
    type: path
  responses:
    description:
      - Regular expression -> answer. An answer that is a list is used one item per match, in order; a match
        after the last item fails the task.
    type: dict
    required: true
  timeout:
    description: Seconds to wait for the expected output; V(null) waits forever.
    type: raw
    default: 30
  echo:
    description: Whether the answers typed show in the output.
    type: bool
    default: false
"""

EXAMPLES = r"""
- expect:
    command: passwd alice
    responses:
      (?i)password: "{{ new_password }}"
  no_log: true
"""

RETURN = r"""
cmd:
  description: The command.
  returned: always
  type: str
stdout:
  description: What the command wrote (trailing line ends removed).
  returned: always
  type: str
rc:
  description: The exit code.
  returned: when the command finished
  type: int
start:
  description: When the command started.
  returned: when the command ran
  type: str
end:
  description: When the command ended.
  returned: when the command ran
  type: str
delta:
  description: How long it ran.
  returned: when the command ran
  type: str
"""

import datetime
import os
import traceback

from corral.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import pexpect
except ImportError:
    pexpect = None
    PEXPECT_ERROR = traceback.format_exc()
else:
    PEXPECT_ERROR = ""


def _answers(module: AnsibleModule, question: str, answers: list) -> object:
    """The pexpect callback that types ``answers`` one by one, and fails the task past the last."""
    remaining = iter(answers)

    def answer(info: dict) -> bytes:
        following = next(remaining, None)
        if following is None:
            module.fail_json(msg=f"No remaining responses for '{question}', output was "
                                 f"'{info['child_result_list'][-1]}'")
        return f"{following}\n".encode()

    return answer


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "command": {"type": "str", "required": True},
            "chdir": {"type": "path"},
            "creates": {"type": "path"},
            "removes": {"type": "path"},
            "responses": {"type": "dict", "required": True},
            "timeout": {"type": "raw", "default": 30},
            "echo": {"type": "bool", "default": False},
        },
    )
    if pexpect is None:
        module.fail_json(msg=missing_required_lib("pexpect"), exception=PEXPECT_ERROR)
    params = module.params
    command, chdir = params["command"], params["chdir"]
    timeout = params["timeout"]
    if timeout is not None:
        try:
            timeout = int(timeout)
        except (TypeError, ValueError):
            module.fail_json(msg=f"argument 'timeout' is of type {type(timeout)} and we were unable to "
                                 f"convert to int: invalid literal for int() with base 10: '{timeout}'")
    if chdir:
        chdir = os.path.abspath(chdir)
        os.chdir(chdir)
    for option, exists in (("creates", True), ("removes", False)):
        path = params[option]
        if path and os.path.exists(path) == exists:
            state = "exists" if exists else "does not exist"
            module.exit_json(cmd=command, stdout=f"skipped, since {path} {state}", changed=False, rc=0)
    events = {}
    for question, answer in params["responses"].items():
        if isinstance(answer, list):
            events[question.encode()] = _answers(module, question, answer)
        else:
            events[question.encode()] = f"{answer}\n".encode()
    start = datetime.datetime.now()
    try:
        output, rc = pexpect.run(command, timeout=timeout, withexitstatus=True, events=events, cwd=chdir,
                                 echo=params["echo"], encoding=None)
    except pexpect.ExceptionPexpect as exc:
        if "command was not found or was not executable" in str(exc):
            module.fail_json(msg=f"The command was not found or was not executable: {command}.")
        module.fail_json(msg=str(exc), exception=traceback.format_exc())
    end = datetime.datetime.now()
    result = {"cmd": command, "stdout": output.decode("utf-8", "replace").rstrip("\r\n"), "rc": rc,
              "start": str(start), "end": str(end), "delta": str(end - start), "changed": True}
    if rc is None:
        result.pop("rc")
        module.fail_json(msg="command exceeded timeout", **result)
    if rc != 0:
        module.fail_json(msg="non-zero return code", **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
