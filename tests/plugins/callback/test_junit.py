"""The ``junit`` callback on real runs: the test cases and totals ansible-core 2.21's junit writes."""
from __future__ import annotations

import glob
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .everyday_runs import HERE, cases, corral, totals


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
