"""The ``log_plays`` callback on real runs: each result appended to its host's file."""
from __future__ import annotations

import os
import re

from .everyday_runs import corral


def test_log_plays_appends_each_result_to_its_hosts_file(tmp_path):
    folder = tmp_path / "hosts"
    for _ in range(2):
        proc = corral("report.yml", tmp_path, ANSIBLE_CALLBACKS_ENABLED="log_plays", ANSIBLE_LOG_FOLDER=str(folder))
        assert proc.returncode == 2
    assert sorted(os.listdir(folder)) == ["h1", "h2"]
    entries = (folder / "h2").read_text().split("\n\n")
    assert entries[-1] == ""
    entries = entries[:-1]
    categories = [entry.split(" - ")[4] for entry in entries]
    one_run = ["OK", "OK", "FAILED", "FAILED", "SKIPPED", "OK", "OK", "OK", "OK", "FAILED"]
    assert categories == one_run * 2
    first = entries[0].split(" - ")
    assert re.fullmatch(r"\w{3} \d\d \d{4} \d\d:\d\d:\d\d", first[0])
    assert first[1].endswith("report.yml") and first[2] == "ok task" and first[3] == "debug"
    assert '"msg": "hi"' in first[5]
    command = next(entry for entry in entries if " - changed task - " in entry)
    assert '"stdout": "changed"' in command and " => {" not in command   # no invocation unless injected
    injected = tmp_path / "injected"
    corral("report.yml", tmp_path, ANSIBLE_CALLBACKS_ENABLED="log_plays", ANSIBLE_LOG_FOLDER=str(injected),
           ANSIBLE_INJECT_INVOCATION="true")
    command = next(entry for entry in (injected / "h1").read_text().split("\n\n") if " - changed task - " in entry)
    assert re.search(r' - OK - \{"module_args": \{.*"_raw_params": "echo changed".*\}\} => \{"changed": true', command)


def test_log_plays_refuses_a_host_name_that_is_a_path(tmp_path):
    playbook = tmp_path / "evil.yml"
    playbook.write_text("- hosts: h1\n  gather_facts: false\n  tasks:\n"
                        "    - add_host: name=../escaped ansible_connection=local\n"
                        "- hosts: ../escaped\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
    folder = tmp_path / "logs" / "hosts"
    proc = corral(str(playbook), tmp_path, ANSIBLE_CALLBACKS_ENABLED="log_plays", ANSIBLE_LOG_FOLDER=str(folder))
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "logs" / "escaped").exists()
    assert "log_plays: could not write '../escaped'" in proc.stdout + proc.stderr
