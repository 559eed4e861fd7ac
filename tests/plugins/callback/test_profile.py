"""The ``profile_tasks``, ``profile_roles`` and ``timer`` callbacks on real runs: the screen is
ansible.posix's under ansible-core 2.21 (timings aside), and the time goes to the task that ran."""
from __future__ import annotations

import re

from .everyday_runs import HERE, corral, normalized, recap, seconds_of


def test_timing_callbacks_print_what_ansible_posix_prints(tmp_path):
    proc = corral("timing.yml", tmp_path, ANSIBLE_CALLBACKS_ENABLED="profile_tasks,profile_roles,timer")
    assert proc.returncode == 0, proc.stderr
    expected = (HERE / "recorded" / "timing.stdout").read_text()
    assert normalized(proc.stdout) == normalized(expected)
    # the time is counted for the task that ran: the slowest first, the roles' total is the sum
    tasks = recap(proc.stdout.splitlines(), "TASKS RECAP")
    assert seconds_of(tasks, "slow : slow role task") >= 0.8 > seconds_of(tasks, "quick task")
    assert seconds_of(tasks, "medium task") >= 0.4
    roles = recap(proc.stdout.splitlines(), "ROLES RECAP")
    parts = sum(seconds_of(roles, name) for name in ("slow", "command", "debug"))
    assert abs(seconds_of(roles, "total") - parts) <= 0.02


def test_profile_tasks_options(tmp_path):
    proc = corral("timing.yml", tmp_path, ANSIBLE_CALLBACKS_ENABLED="profile_tasks",
                  PROFILE_TASKS_SUMMARY_ONLY="true", PROFILE_TASKS_SORT_ORDER="ascending",
                  PROFILE_TASKS_TASK_OUTPUT_LIMIT="2", PROFILE_TASKS_DATETIME_FORMAT="iso8601")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    stamps = [line for line in lines if re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6} \(", line)]
    assert len(stamps) == 1     # summary only: just the recap's line
    rows = recap(lines, "TASKS RECAP")[3:]
    assert [row.split(" -")[0] for row in rows] in (["quick task", "a handler"], ["a handler", "quick task"])


def test_profile_tasks_enabled_under_its_collection_name_uses_the_collection_when_installed(tmp_path):
    """With ansible.posix installed, ``profile_tasks`` is the collection's plugin (as
    ansible-core routes it); the screen is the same."""
    from pypi_packages import ansible_package
    proc = corral("timing.yml", tmp_path, ANSIBLE_CALLBACKS_ENABLED="ansible.posix.profile_tasks",
                  ANSIBLE_COLLECTIONS_PATH=str(ansible_package()))
    assert proc.returncode == 0, proc.stderr
    ours = corral("timing.yml", tmp_path, ANSIBLE_CALLBACKS_ENABLED="profile_tasks")
    assert normalized(proc.stdout) == normalized(ours.stdout)
