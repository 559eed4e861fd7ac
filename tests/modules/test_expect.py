"""expect, through corral-playbook: answers, lists of answers, failures and skips as ansible-core 2.21
reports them (values observed from the oracle run with a Python that has pexpect), and the failure
Ansible gives where pexpect is missing (Debian's /usr/bin/python3 has none)."""
from __future__ import annotations

import socket

TASKS = r"""
- expect:
    command: /bin/sh -c 'read -p "Name? " n; read -p "Again? " m; echo "hi $n $m"'
    responses:
      "Name\\?": alice
      "Again\\?": bob
- expect:
    command: /bin/sh -c 'read -p "Q? " n; read -p "Q? " m; echo "got $n $m"'
    responses:
      "Q\\?": [one, two]
    echo: true
- expect:
    command: /bin/sh -c 'read -p "Q? " n; read -p "Q? " m; read -p "Q? " m'
    responses:
      "Q\\?": [one, two]
  ignore_errors: true
- expect: {command: /bin/sh -c 'exit 3', responses: {}}
  ignore_errors: true
- expect: {command: /bin/sleep 5, responses: {}, timeout: 1}
  ignore_errors: true
- expect: {command: /bin/true, creates: /etc/passwd, responses: {x: y}}
- expect: {command: pwd, chdir: /tmp, responses: {x: y}}
  check_mode: true
- expect: {command: /nonexistent/cmd, responses: {x: y}}
  ignore_errors: true
- expect: {command: pwd, chdir: /tmp, responses: {x: y}}
- expect: {command: /bin/true, responses: {}}
  vars: {ansible_python_interpreter: /usr/bin/python3}
  ignore_errors: true
"""


def test_expect_answers_prompts_as_ansible_does(playbook) -> None:
    run = playbook(TASKS)
    answered, listed, exhausted, nonzero, timeout, created, check, missing, chdir, no_pexpect = run["tasks"]
    assert answered["stdout"] == "Name? Again? hi alice bob" and answered["rc"] == 0 and answered["changed"]
    assert {"start", "end", "delta"} <= set(answered)
    assert listed["stdout"] == "Q? one\r\nQ? two\r\ngot one two"
    assert exhausted["msg"] == "No remaining responses for 'Q\\?', output was 'b' Q?''"
    assert exhausted["exception"] == "(traceback unavailable)"
    assert (nonzero["msg"], nonzero["rc"], nonzero["changed"]) == ("non-zero return code", 3, True)
    assert timeout["msg"] == "command exceeded timeout" and "rc" not in timeout
    created.pop("action")
    assert created == {"changed": False, "cmd": "/bin/true", "rc": 0, "stdout": "skipped, since /etc/passwd exists",
                       "stdout_lines": ["skipped, since /etc/passwd exists"]}
    assert check["skipped"] is True and check["msg"] == "remote module (expect) does not support check mode"
    assert missing["msg"] == "The command was not found or was not executable: /nonexistent/cmd."
    assert chdir["stdout"] == "/tmp"
    assert no_pexpect["msg"].startswith(
        f"Failed to import the required Python library (pexpect) on {socket.gethostname()}'s Python /usr/bin/python3.")
