"""corral-template-tests: Ansible's Jinja2 tests in conditions."""
from __future__ import annotations


def test_conditions_use_the_tests(corral_run) -> None:
    result = corral_run.task({"assert": {"that": [
        "'1.10' is version('1.9', '>')",
        "'abc' is match('a')",
        "'xabc' is search('bc')",
        "[1, 2] is subset([1, 2, 3])",
        "'/' is abs",
        "missing is undefined",
    ]}})
    assert result.rc == 0, corral_run.outcome(result, "localhost").result


def test_task_result_tests(corral_run) -> None:
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"command": "false", "register": "out", "ignore_errors": True},
        {"debug": {"msg": "{{ out is failed }} {{ out is changed }} {{ out is skipped }} {{ out is success }}"}},
    ]}])
    assert corral_run.outcome(result, "localhost").result["msg"] == "True True False False"
