"""CallbackBase: Ansible-compatible options, result helpers and event methods."""
from __future__ import annotations

import inspect
import io
import json
import sys
import types

import pytest

from corral import hookspecs
from corral.display import Display
from corral.results import CENSORED, censor_result
from corral.plugins.callback import (CallbackBase, CallbackOption, DEFAULT_CALLBACK_OPTIONS,
                                    RESULT_FORMAT_OPTIONS)
from corral.plugins.manager import PluginManager

from .stand_ins import Task, result


def display(verbosity=0):
    return Display(verbosity, stream=io.StringIO(), error_stream=io.StringIO(), color=False)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    import os
    for key in list(os.environ):
        if key.startswith(("ANSIBLE_", "CORRAL_")):
            monkeypatch.delenv(key)


def test_every_hook_event_has_a_method():
    events = [name for name in dir(hookspecs) if name.startswith("v2_")]
    assert events
    for name in events:
        method = getattr(CallbackBase, name)
        spec = list(inspect.signature(getattr(hookspecs, name)).parameters)
        own = [p for p in inspect.signature(method).parameters if p != "self"]
        assert own[:len(spec)] == spec, name


def test_class_attributes_and_defaults():
    callback = CallbackBase()
    assert CallbackBase.CALLBACK_VERSION == 2.0
    assert CallbackBase.CALLBACK_NEEDS_ENABLED is False
    assert isinstance(callback._display, Display)
    assert callback.disabled is False


class WithOptions(CallbackBase):
    OPTIONS = dict(DEFAULT_CALLBACK_OPTIONS)


def test_option_sources_in_order(monkeypatch):
    callback = WithOptions(display=display())
    assert callback.get_option("display_skipped_hosts") is True
    callback.set_options(ini={"display_skipped_hosts": "no"})
    assert callback.get_option("display_skipped_hosts") is False
    monkeypatch.setenv("ANSIBLE_DISPLAY_SKIPPED_HOSTS", "no")
    monkeypatch.setenv("CORRAL_DISPLAY_SKIPPED_HOSTS", "yes")
    callback.set_options(ini={"display_skipped_hosts": "no"})
    assert callback.get_option("display_skipped_hosts") is True
    callback.set_options(var_options={"ansible_display_skipped_hosts": False})
    assert callback.get_option("display_skipped_hosts") is False
    callback.set_options(direct={"display_skipped_hosts": "true"}, var_options={"ansible_display_skipped_hosts": False})
    assert callback.get_option("display_skipped_hosts") is True
    with pytest.raises(KeyError):
        callback.get_option("not_an_option")


def test_options_from_ansible_documentation_string(monkeypatch):
    module = types.ModuleType("third_party_callback")
    module.DOCUMENTATION = """
    name: third
    type: notification
    extends_documentation_fragment:
      - default_callback
    options:
      log_folder:
        default: /tmp/logs
        type: str
        env:
          - name: ANSIBLE_LOG_FOLDER
      count:
        default: 3
        type: int
    """
    exec("from corral.plugins.callback import CallbackBase\n"
         "class CallbackModule(CallbackBase):\n    CALLBACK_NAME = 'third'\n", module.__dict__)
    monkeypatch.setitem(sys.modules, "third_party_callback", module)
    monkeypatch.setenv("ANSIBLE_LOG_FOLDER", "/var/log/x")
    callback = module.CallbackModule(display=display())
    callback.set_options(direct={"count": "5"})
    assert callback.get_option("log_folder") == "/var/log/x"
    assert callback.get_option("count") == 5
    assert callback.get_option("show_custom_stats") is False


def test_option_conversion_errors_are_clear():
    with pytest.raises(ValueError, match="not a valid boolean"):
        CallbackOption("x", type="bool").convert("maybe")


def test_dump_results_rules():
    callback = CallbackBase(display=display())
    res = {"changed": True, "failed": True, "msg": "m", "invocation": {"module_args": {}}, "diff": {"before": ""},
           "_ansible_no_log": False, "exception": "tb", "warnings": ["w"], "nested": {"_ansible_x": 1, "k": "ü"}}
    assert callback._dump_results(res) == '{"changed": true, "msg": "m", "nested": {"k": "ü"}}'
    assert json.loads(callback._dump_results(res, keep_invocation=True))["invocation"] == {"module_args": {}}
    loud = CallbackBase(display=display(3))
    dumped = loud._dump_results(res)
    assert dumped.startswith("{\n    ") and '"diff"' in dumped and '"invocation"' in dumped


def test_dump_results_of_a_censored_result():
    callback = CallbackBase(display=display())
    res = censor_result({"_ansible_no_log": True, "changed": True, "stdout": "secret"})
    assert "secret" not in callback._dump_results(res)
    assert json.loads(callback._dump_results(res)) == {"changed": True, "censored": CENSORED}


def test_dump_results_verbose_always_indents():
    callback = CallbackBase(display=display())
    assert callback._dump_results({"msg": "x", "_ansible_verbose_always": True}) == '{\n    "msg": "x"\n}'


def test_get_diff_unified():
    callback = CallbackBase(display=display())
    text = callback._get_diff({"before": "a\nb\n", "after": "a\nc", "before_header": "f", "after_header": "f"})
    assert text == ("--- before: f\n+++ after: f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
                    "\\ No newline at end of file\n\n")
    assert callback._get_diff([{"dst_binary": 1}, {"prepared": "P"}]) == \
        "diff skipped: destination file appears to be binary\nP"


def test_item_label_and_debug_cleaning():
    callback = CallbackBase(display=display())
    assert callback._get_item_label({"item": 1}) == 1
    assert callback._get_item_label({"item": 1, "_ansible_item_label": "one"}) == "one"
    assert callback._get_item_label({"item": 1, "_ansible_no_log": True}) == "(censored due to no_log)"
    res = {"msg": "hi", "changed": False, "_ansible_verbose_always": True}
    callback._clean_results(res, "ansible.builtin.debug")
    assert res == {"msg": "hi", "_ansible_verbose_always": True}
    res = {"myvar": 1, "changed": False, "failed": False}
    callback._clean_results(res, "debug")
    assert res == {"myvar": 1}


def test_v1_methods_still_receive_events():
    seen = []

    class Old(CallbackBase):
        def runner_on_ok(self, host, res):
            seen.append(("ok", host, res["x"]))

        def runner_on_failed(self, host, res, ignore_errors=False):
            seen.append(("failed", host, ignore_errors))

        def playbook_on_task_start(self, name, is_conditional):
            seen.append(("task", name))

    old = Old(display=display())
    task = Task("t")
    old.v2_playbook_on_task_start(task, False)
    old.v2_runner_on_ok(result("h", task, {"x": 1}))
    old.v2_runner_on_failed(result("h", task, {}), ignore_errors=True)
    assert seen == [("task", "t"), ("ok", "h", 1), ("failed", "h", True)]


def test_host_label_with_delegation():
    task = Task("t", delegate_to="db")
    assert CallbackBase.host_label(result("web", task, {})) == "web -> db"
    res = result("web", task, {"_ansible_delegated_vars": {"ansible_host": "10.0.0.5"}})
    assert CallbackBase.host_label(res) == "web -> db(10.0.0.5)"


def test_task_origin_for_adhoc_tasks():
    callback = CallbackBase(display=display())
    text = callback._task_origin(Task("", "command", {"_raw_params": "/bin/false"}))
    assert text == ("Origin: <adhoc 'command' task>\n\n{'action': 'command', 'args': {'_raw_params': "
                    "'/bin/false'}, 'timeout': 0, 'async_val': 0, 'poll': 15}")


def test_registered_through_the_plugin_manager():
    """An Ansible-style subclass registers as written and gets events through pluggy."""
    seen = []

    class Mine(CallbackBase):
        def v2_runner_on_ok(self, result):
            seen.append((result._host.name, result._result))

        def v2_runner_on_failed(self, result, ignore_errors=False):
            raise RuntimeError("boom")

    warnings = []
    manager = PluginManager(allow=[])
    manager.register_callback(Mine(display=display()), "mine", warnings.append)
    task = Task("t")
    manager.emit("v2_runner_on_ok", result=result("web", task, {"changed": False}))
    manager.emit("v2_runner_on_failed", result=result("web", task, {}), ignore_errors=False)
    manager.emit("v2_playbook_on_stats", stats=None)
    assert seen == [("web", {"changed": False})]
    assert len(warnings) == 1 and "v2_runner_on_failed" in warnings[0] and "boom" in warnings[0]


def test_no_log_results_are_not_always_verbose():
    callback = CallbackBase(display=display())
    task = Task("t", "debug")
    assert callback._run_is_verbose(result("h", task, {"_ansible_verbose_always": True})) is True
    censored = censor_result({"_ansible_verbose_always": True, "_ansible_no_log": True})
    assert callback._run_is_verbose(result("h", task, censored)) is False
    assert CallbackBase(display=display(1))._run_is_verbose(result("h", task, censored)) is True


def test_options_from_the_runs_config_files(tmp_path, monkeypatch):
    from corral.config import Config
    (tmp_path / "ansible.cfg").write_text("[defaults]\ndisplay_ok_hosts = no\ncallback_result_format = yaml\n")
    monkeypatch.chdir(tmp_path)
    config = Config(env={}, cwd=str(tmp_path))

    class Full(CallbackBase):
        OPTIONS = {**DEFAULT_CALLBACK_OPTIONS, **RESULT_FORMAT_OPTIONS}

    callback = Full(display=display())
    callback.set_options(ini=config)
    assert callback.get_option("display_ok_hosts") is False
    assert callback.get_option("result_format") == "yaml"
    assert callback.get_option("display_skipped_hosts") is True
