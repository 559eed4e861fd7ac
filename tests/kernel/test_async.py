"""``async``/``poll`` on tasks: polled jobs and fire-and-forget jobs with async_status."""
from __future__ import annotations

import json
from pathlib import Path

from .conftest import run

PLAYBOOK = """
- hosts: all
  gather_facts: false
  tasks:
    - name: polled
      command: sleep 1.5
      async: 30
      poll: 1
      register: polled
    - name: fire and forget
      shell: sleep 1; echo done-$PPID
      async: 30
      poll: 0
      register: job
    - name: wait
      async_status: jid={{ job.ansible_job_id }}
      register: status
      until: status.finished
      retries: 30
      delay: 0.5
    - name: too slow
      command: sleep 30
      async: 1
      poll: 1
      ignore_errors: true
"""


def test_async_tasks_poll_and_fire_and_forget(local_inventory: Path, write) -> None:
    result = run(["corral-playbook", "-i", str(local_inventory), str(write("async.yml", PLAYBOOK))],
                 env={"CORRAL_STDOUT_CALLBACK": "json"})
    assert result.returncode == 0, result.stderr
    tasks = {t["task"]["name"]: t["hosts"]["localhost"] for t in json.loads(result.stdout)["plays"][0]["tasks"]}
    assert tasks["polled"]["rc"] == 0 and tasks["polled"]["finished"] in (1, True)
    started = tasks["fire and forget"]
    assert started["ansible_job_id"] and started.get("started") in (1, True)
    assert started.get("finished") in (0, False)
    assert tasks["wait"]["finished"] in (1, True)
    assert tasks["wait"]["stdout"].startswith("done-")
    assert tasks["too slow"]["failed"] is True
    # the job kills itself after 1 s while the controller stops polling after 1 s: either may say so first
    assert ("maximum time limit of 1 seconds" in tasks["too slow"]["msg"]
            or "did not complete within the requested time - 1s" in tasks["too slow"]["msg"])
