"""The default callback prints exactly what Ansible's default callback printed for
the same events (recorded from ansible-core by ``oracle/record.py``)."""
from __future__ import annotations

import io
import os

import pytest

from corral.display import Display
from corral_callback_default import CallbackModule

from .stand_ins import expected_stderr, expected_stdout, materialize_scenarios, replay

#: scenario -> (verbosity, environment for options, command line arguments)
SCENARIOS = {
    "basic": (0, {}, {}),
    "basic_v": (1, {}, {}),
    "basic_yaml": (0, {"ANSIBLE_CALLBACK_RESULT_FORMAT": "yaml"}, {}),
    "basic_two_hosts": (0, {}, {}),
    "more": (0, {}, {}),
    "small": (0, {}, {}),
    "small_vv": (2, {}, {}),
    "small_hidden": (0, {"ANSIBLE_DISPLAY_SKIPPED_HOSTS": "0", "ANSIBLE_DISPLAY_OK_HOSTS": "0"}, {}),
    "check_markers": (0, {"ANSIBLE_CHECK_MODE_MARKERS": "1"}, {"check": True}),
    "diff": (0, {}, {"check": True, "diff": True}),
    "misc": (0, {"ANSIBLE_SHOW_CUSTOM_STATS": "1"}, {}),
    "misc_vvv": (3, {"ANSIBLE_SHOW_CUSTOM_STATS": "1"}, {}),
    "unreachable": (0, {}, {}),
    "flow": (0, {}, {}),
    "more_color": (0, {"ANSIBLE_FORCE_COLOR": "1"}, {}),
    "options": (0, {"ANSIBLE_DISPLAY_FAILED_STDERR": "1", "ANSIBLE_SHOW_TASK_PATH_ON_FAILURE": "1",
                    "ANSIBLE_DISPLAY_ARGS_TO_STDOUT": "1"}, {}),
    "diff_color": (0, {"ANSIBLE_FORCE_COLOR": "1"}, {"check": True, "diff": True}),
}


#: scenarios whose stderr holds only what the callback printed (warnings, errors, failures)
WHOLE_STDERR = {"options"}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_default_callback_matches_ansible(name, tmp_path, monkeypatch):
    verbosity, env, cli_args = SCENARIOS[name]
    for key in list(os.environ):
        if key.startswith(("ANSIBLE_", "CORRAL_")):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    materialize_scenarios(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    callback = CallbackModule(display=Display(verbosity, stream=out, error_stream=err))
    callback.set_options()
    callback.set_cli_args(cli_args)
    replay(callback, name, tmp_path)
    assert out.getvalue() == expected_stdout(name, tmp_path)
    if name in WHOLE_STDERR:
        assert err.getvalue() == expected_stderr(name, tmp_path)


def test_results_are_not_changed_for_later_callbacks():
    """The default callback trims what it shows, on its own copy of each result."""
    from .stand_ins import Task, result
    callback = CallbackModule(display=Display(0, stream=io.StringIO(), error_stream=io.StringIO(), color=False))
    data = {"msg": "hi", "changed": False, "_ansible_verbose_always": True, "warnings": ["w"]}
    res = result("h", Task("t", "debug", uuid="x"), data)
    callback.v2_runner_on_ok(res)
    loop = {"changed": True, "results": [{"item": 1, "changed": True}]}
    looped = result("h", Task("l", "command", uuid="y", loop=[1]), loop)
    callback.v2_runner_on_ok(looped)
    assert res._result == {"msg": "hi", "changed": False, "_ansible_verbose_always": True, "warnings": ["w"]}
    assert looped._result == {"changed": True, "results": [{"item": 1, "changed": True}]}


def test_async_lines():
    from .stand_ins import Task, result
    out = io.StringIO()
    callback = CallbackModule(display=Display(0, stream=out, error_stream=io.StringIO(), color=False))
    task = Task("slow", "command", uuid="a")
    callback.v2_runner_on_async_poll(result("h", task, {"ansible_job_id": "j1", "started": 1, "finished": 0}))
    callback.v2_runner_on_async_ok(result("h", task, {"ansible_job_id": "j1"}))
    callback.v2_runner_on_async_failed(result("h", task, {"async_result": {"ansible_job_id": "j2"}}))
    assert out.getvalue() == ("ASYNC POLL on h: jid=j1 started=1 finished=0\nASYNC OK on h: jid=j1\n"
                              "ASYNC FAILED on h: jid=j2\n")
