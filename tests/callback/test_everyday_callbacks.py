"""The callbacks users enable every day, on real runs: ``profile_tasks``,
``profile_roles`` and ``timer`` print what ansible.posix's print under ansible-core
(timings aside), ``junit`` writes the test cases ansible-core's junit writes, and
``log_plays`` appends each result to its host's file.

The recordings in ``everyday/recorded`` come from ``everyday/record.py`` (ansible-core
2.21 with the ``ansible`` package's collections)."""
from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "everyday"
BIN = Path(sys.executable).parent
_STAMP = re.compile(r"^\w+day \d\d \w+ \d{4}  \d\d:\d\d:\d\d [+-]\d{4} \(\d+:\d\d:\d\d\.\d{3}\) +\d+:\d\d:\d\d\.\d{3} \*+ $")
_SECONDS = re.compile(r" \d+\.\d\ds$")


def corral(playbook: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_", "JUNIT_", "PROFILE_"))}
    clean.update(ANSIBLE_NOCOLOR="1", ANSIBLE_PYTHON_INTERPRETER=sys.executable, **env)
    return subprocess.run([str(BIN / "corral-playbook"), "-i", "inventory", playbook], cwd=HERE, env=clean,
                          capture_output=True, text=True, timeout=300)


def normalized(text: str) -> list[str]:
    """The screen with timestamps and seconds masked (they differ from run to run), and
    each recap's rows sorted (rows of about the same time come in either order)."""
    lines: list[str] = []
    rows: list[str] = []
    for line in text.rstrip().splitlines() + [""]:
        if _SECONDS.search(line):
            rows.append(_SECONDS.sub(" N.NNs", line))
            continue
        lines.extend(sorted(rows))
        rows = []
        if _STAMP.match(line):
            line = "STAMP"
        lines.append(re.sub(r"took \d+ days, \d+ hours, \d+ minutes, \d+ seconds",
                            "took D days, H hours, M minutes, S seconds", line))
    return lines[:-1]


def recap(lines: list[str], title: str) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if lines[i] == ""), len(lines))
    return lines[start:end]


def seconds_of(lines: list[str], name: str) -> float:
    (line,) = [line for line in lines if line.startswith(name + " -")]
    return float(line.rsplit(" ", 1)[1].rstrip("s"))


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


def cases(report: str) -> list[tuple[str, str, str, str]]:
    """A junit report's test cases: classname, name, outcome, message (times aside)."""
    rows = []
    for case in ET.fromstring(report).iter("testcase"):
        outcome = next((child.tag for child in case if child.tag != "system-out"), "passed")
        message = next((child.get("message", "") for child in case if child.tag in ("failure", "error")), "")
        rows.append((case.get("classname", ""), case.get("name", ""), outcome, message))
    return sorted(rows)


def totals(report: str) -> list[dict[str, str]]:
    root = ET.fromstring(report)
    return [{k: v for k, v in element.attrib.items() if k != "time"} for element in (root, root.find("testsuite"))]


@pytest.mark.parametrize("recording, options", [
    ("junit-default", {}),
    ("junit-options", {"JUNIT_FAIL_ON_CHANGE": "true", "JUNIT_FAIL_ON_IGNORE": "true", "JUNIT_TASK_CLASS": "true",
                       "JUNIT_HIDE_TASK_ARGUMENTS": "true", "JUNIT_TEST_CASE_PREFIX": "T",
                       "JUNIT_TASK_RELATIVE_PATH": "@DIR@/roles", "JUNIT_REPLACE_OUT_OF_TREE_PATH": "OUT/"}),
])
def test_junit_writes_the_test_cases_ansible_writes(tmp_path, recording, options):
    out = tmp_path / "reports"
    proc = corral("report.yml", tmp_path, ANSIBLE_CALLBACKS_ENABLED="junit", JUNIT_OUTPUT_DIR=str(out),
                  **{k: v.replace("@DIR@", str(HERE)) for k, v in options.items()})
    assert proc.returncode == 2, proc.stdout + proc.stderr
    (path,) = glob.glob(str(out / "report-*.xml"))
    ours = Path(path).read_text().replace(str(HERE), "@DIR@")
    expected = (HERE / "recorded" / f"{recording}.xml").read_text()
    assert cases(ours) == cases(expected)
    assert totals(ours) == totals(expected)
    # a passed case shows its result, as the screen would
    shown = {case.get("name"): case.findtext("system-out") for case in ET.fromstring(ours).iter("testcase")}
    if recording == "junit-default":
        assert '"msg": "hi"' in shown["[h1] reported play: ok task msg=hi"]
        assert '"stdout": "changed"' in shown["[h2] reported play: changed task _raw_params=echo changed"]


def test_junit_keeps_no_log_results_hidden(tmp_path):
    playbook = tmp_path / "secret.yml"
    playbook.write_text("- hosts: h1\n  gather_facts: false\n  tasks:\n"
                        "    - name: secret\n      debug: msg=s3cr3t-value\n      no_log: true\n")
    out = tmp_path / "reports"
    proc = corral(str(playbook), tmp_path, ANSIBLE_CALLBACKS_ENABLED="junit", JUNIT_OUTPUT_DIR=str(out))
    assert proc.returncode == 0, proc.stderr
    (path,) = glob.glob(str(out / "secret-*.xml"))
    report = Path(path).read_text()
    assert "s3cr3t-value" not in report.split("name=", 1)[1].split(">", 1)[1]
    assert "censored" in report


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
