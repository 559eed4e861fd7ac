#!/usr/bin/python3
"""async_status: the state and result of a background (``async``) job."""
from __future__ import annotations

DOCUMENTATION = r"""
module: async_status
short_description: Report the status of an asynchronous task
description:
  - "Reads the result file of a job started by a task with C(async) (and C(poll: 0)), reporting whether it
    finished and, when it did, the module's result."
options:
  jid:
    description: The job id (C(ansible_job_id) of the started task's result).
    type: str
    required: true
  mode:
    description: C(status) reports; C(cleanup) removes the job's result file.
    type: str
    choices: [cleanup, status]
    default: status
"""

EXAMPLES = r"""
- command: /usr/bin/long_job
  async: 600
  poll: 0
  register: job

- async_status:
    jid: "{{ job.ansible_job_id }}"
  register: done
  until: done.finished
  retries: 60
  delay: 10
"""

RETURN = r"""
ansible_job_id:
  description: The job id.
  returned: success
  type: str
finished:
  description: Whether the job has finished.
  returned: success
  type: bool
started:
  description: Whether the job started.
  returned: success
  type: bool
"""

import json
import os

from corral.module_utils.basic import AnsibleModule

#: where a background job's result is kept (where corral's async payload writes it);
#: not an option: ansible-core's async_status takes only ``jid`` and ``mode``
_ASYNC_DIR = "~/.ansible_async"


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "jid": {"type": "str", "required": True},
            "mode": {"type": "str", "default": "status", "choices": ["cleanup", "status"]},
        },
        supports_check_mode=True,
    )
    jid = module.params["jid"]
    if "/" in jid or jid in (".", ".."):
        module.fail_json(msg=f"invalid job id: {jid}")
    path = os.path.join(os.path.expanduser(_ASYNC_DIR), jid)
    if module.params["mode"] == "cleanup":
        if os.path.exists(path):
            os.unlink(path)
        module.exit_json(ansible_job_id=jid, erased=path)
    if not os.path.exists(path):
        module.fail_json(ansible_job_id=jid, results_file=path, started=True, finished=True,
                         msg=f"could not find job {jid}")
    try:
        with open(path) as handle:
            data = json.load(handle)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not data.get("finished"):
        # as ansible-core's: a status always has the output keys, empty while the job runs
        module.exit_json(ansible_job_id=jid, started=True, finished=False, results_file=path, changed=False,
                         stdout="", stderr="")
    data.pop("child_pid", None)
    data["ansible_job_id"] = jid
    data["results_file"] = path
    data["finished"] = True
    data["started"] = True
    data.setdefault("stdout", "")     # as ansible-core: a finished job has the output keys too
    data.setdefault("stderr", "")
    if data.get("failed"):
        module.fail_json(**data)
    module.exit_json(**data)
if __name__ == "__main__":
    main()
