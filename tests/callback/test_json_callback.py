"""The json callback: the shape of Ansible's json stdout callback."""
from __future__ import annotations

import io
import json

from corral.display import Display
from corral.results import censor_result
from corral_callback_json import CallbackModule

from .stand_ins import Host, Play, Task, result, stats_from


def test_document_shape():
    out = io.StringIO()
    callback = CallbackModule(display=Display(0, stream=out, error_stream=io.StringIO(), color=False))
    callback.set_options(direct={"show_custom_stats": True})
    play = Play("web", uuid="p-1")
    task = Task("run", "command", uuid="t-1", path="/x/site.yml:4")
    callback.v2_playbook_on_play_start(play)
    callback.v2_playbook_on_task_start(task, False)
    callback.v2_runner_on_start(Host("a"), task)
    callback.v2_runner_on_ok(result("a", task, {"changed": True, "rc": 0, "_ansible_no_log": False}))
    callback.v2_runner_on_failed(result("b", task, {"msg": "no", "failed": True}))
    secret = Task("hidden", "command", uuid="t-2")
    callback.v2_playbook_on_task_start(secret, False)
    callback.v2_runner_on_skipped(result("a", secret, censor_result({"skip_reason": "nope", "_ansible_no_log": True})))
    assert out.getvalue() == ""
    callback.v2_playbook_on_stats(stats_from({"a": {"ok": 1, "changed": 1, "skipped": 1}, "b": {"failures": 1}},
                                             {"_run": {"answer": 42}, "a": {"x": 1}}))
    doc = json.loads(out.getvalue())
    assert sorted(doc) == ["custom_stats", "global_custom_stats", "plays", "stats"]
    assert doc["global_custom_stats"] == {"answer": 42}
    assert doc["custom_stats"] == {"a": {"x": 1}}
    [entry] = doc["plays"]
    assert entry["play"]["name"] == "web" and entry["play"]["id"] == "p-1"
    assert set(entry["play"]["duration"]) == {"start", "end"}
    first, second = entry["tasks"]
    assert first["task"]["name"] == "run" and first["task"]["id"] == "t-1"
    assert first["task"]["path"] == "/x/site.yml:4"
    assert first["hosts"]["a"] == {"changed": True, "rc": 0, "action": "command"}
    assert first["hosts"]["b"] == {"msg": "no", "failed": True, "action": "command"}
    assert second["hosts"]["a"]["censored"].startswith("the output has been hidden")
    assert second["hosts"]["a"]["skipped"] is True
    assert doc["stats"]["a"] == {"ok": 1, "changed": 1, "skipped": 1, "failures": 0, "unreachable": 0,
                                 "rescued": 0, "ignored": 0}
    assert out.getvalue().startswith('{\n    "custom_stats"')


def test_free_strategy_gives_each_host_its_task_entry():
    out = io.StringIO()
    callback = CallbackModule(display=Display(0, stream=out, error_stream=io.StringIO(), color=False))
    task = Task("t", "ping", uuid="t-1")
    callback.v2_playbook_on_play_start(Play("p", strategy="free"))
    callback.v2_playbook_on_task_start(task, False)
    callback.v2_runner_on_start(Host("a"), task)
    callback.v2_runner_on_start(Host("b"), task)
    callback.v2_runner_on_ok(result("b", task, {"ping": "pong"}))
    callback.v2_runner_on_ok(result("a", task, {"ping": "pong"}))
    callback.v2_playbook_on_stats(stats_from({"a": {"ok": 1}, "b": {"ok": 1}}))
    tasks = json.loads(out.getvalue())["plays"][0]["tasks"]
    assert [list(t["hosts"]) for t in tasks] == [["a"], ["b"]]
