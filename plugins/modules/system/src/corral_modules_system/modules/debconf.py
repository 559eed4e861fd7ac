#!/usr/bin/python3
"""debconf: answers in the debconf database (the questions packages ask when they are configured)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: debconf
short_description: Configure a .deb package
description:
  - Sets the answer to one of a package's debconf questions with C(debconf-set-selections), or, with O(name)
    alone, reports the package's answers (C(debconf-show)).
  - An answer already given is left alone; a V(password) answer is read with C(debconf-get-selections) (from
    C(debconf-utils)), which the comparison then needs, as in Ansible.
  - The debconf configuration (C(DEBCONF_SYSTEMRC), ...) selects the databases, as for the debconf tools.
options:
  name:
    description: The package.
    type: str
    required: true
    aliases: [pkg]
  question:
    description: The question (C(package/question)).
    type: str
    aliases: [selection, setting]
  vtype:
    description: The type of the answer.
    type: str
    choices: [boolean, error, multiselect, note, password, seen, select, string, text, title]
  value:
    description: The answer (a boolean is written C(true)/C(false)).
    type: raw
    aliases: [answer]
  unseen:
    description: Do not mark the question as seen (C(debconf-set-selections -u)).
    type: bool
    default: false
"""

EXAMPLES = r"""
- debconf:
    name: tzdata
    question: tzdata/Areas
    value: Europe
    vtype: select
"""

RETURN = r"""
current:
  description: The answer set (or, without a change, the package's answers).
  returned: always
  type: dict
previous:
  description: The answers before a change.
  returned: on change
  type: dict
"""

from corral.module_utils.basic import AnsibleModule


def _answers(module: AnsibleModule, package: str) -> dict[str, str]:
    rc, out, err = module.run_command([module.get_bin_path("debconf-show", required=True), package])
    if rc != 0:
        module.fail_json(msg=err)
    answers = {}
    for line in out.splitlines():
        if ":" not in line:
            continue
        key, value = line.split(":", 1)
        answers[key.lstrip("* ").strip()] = value.strip()
    return answers


def _password(module: AnsibleModule, question: str) -> str:
    getter = module.get_bin_path("debconf-get-selections", required=True)
    rc, out, err = module.run_command([getter, "--showpasswords"])
    for line in out.splitlines():
        fields = line.split("\t")
        if len(fields) >= 4 and fields[1] == question:
            return fields[3]
    return ""


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True, "aliases": ["pkg"]},
            "question": {"type": "str", "aliases": ["selection", "setting"]},
            "vtype": {"type": "str", "choices": ["boolean", "error", "multiselect", "note", "password", "seen",
                                                 "select", "string", "text", "title"]},
            "value": {"type": "raw", "aliases": ["answer"]},
            "unseen": {"type": "bool", "default": False},
        },
        required_together=[["question", "vtype", "value"]],
        supports_check_mode=True,
    )
    params = module.params
    package, question, vtype, value = params["name"], params["question"], params["vtype"], params["value"]
    previous = _answers(module, package)
    changed = False
    if question is not None:
        if vtype == "boolean" or isinstance(value, bool):
            value = str(value).lower()
        elif value is not None:
            value = str(value)
        if question not in previous:
            changed = True
        elif vtype == "password":
            changed = _password(module, question) != value
        else:
            changed = previous[question] != value
    if not changed:
        module.exit_json(changed=False, msg="", current=previous)
    if not module.check_mode:
        command = [module.get_bin_path("debconf-set-selections", required=True)] + (["-u"] if params["unseen"] else [])
        rc, out, err = module.run_command(command, data=f"{package} {question} {vtype} {value}")
        if rc != 0:
            module.fail_json(msg=err)
    current = {question: value}
    previous = {question: previous[question]} if question in previous else dict(previous, **{question: ""})
    diff = {}
    if module._diff:
        diff = {"before": previous, "after": dict(previous, **current)}
    module.exit_json(changed=True, msg="", current=current, previous=previous, diff=diff)


if __name__ == "__main__":
    main()
