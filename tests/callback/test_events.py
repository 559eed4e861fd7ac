"""corral.events: ansible-runner job events, the ordered list and both iterators."""
from __future__ import annotations

import asyncio
import io
import json
import re
import threading

import pytest

from corral.display import Display
from corral.events import CENSORED, JobEventCallback, JobEventStream
from corral_callback_default import CallbackModule as Default

from .stand_ins import ORACLE, Host, Replayer, Task, expected_stdout, materialize_scenarios, replay, result

RUNNER_NAMES = {
    "v2_playbook_on_start": "playbook_on_start", "v2_playbook_on_play_start": "playbook_on_play_start",
    "v2_playbook_on_task_start": "playbook_on_task_start",
    "v2_playbook_on_handler_task_start": "playbook_on_task_start",
    "v2_playbook_on_no_hosts_matched": "playbook_on_no_hosts_matched",
    "v2_playbook_on_notify": "playbook_on_notify", "v2_playbook_on_stats": "playbook_on_stats",
    "v2_runner_on_start": "runner_on_start", "v2_runner_on_ok": "runner_on_ok",
    "v2_runner_on_failed": "runner_on_failed", "v2_runner_on_skipped": "runner_on_skipped",
    "v2_runner_on_unreachable": "runner_on_unreachable", "v2_runner_item_on_ok": "runner_item_on_ok",
    "v2_runner_item_on_failed": "runner_item_on_failed", "v2_runner_item_on_skipped": "runner_item_on_skipped",
    "v2_runner_retry": "runner_retry", "v2_on_file_diff": "runner_on_file_diff",
}


def wrapped(tmp_path, name):
    materialize_scenarios(tmp_path)
    out = io.StringIO()
    default = Default(display=Display(0, stream=out, error_stream=io.StringIO(), color=False))
    events = JobEventCallback(stdout_callback=default, runner_ident="run-1")
    replay(events, name, tmp_path)
    events.close()
    return events, out.getvalue()


def test_event_names_order_and_stdout(tmp_path):
    events, screen = wrapped(tmp_path, "more")
    recorded = [event for event, _, _ in Replayer(tmp_path).events("more")]
    assert [e["event"] for e in events.events] == [RUNNER_NAMES[name] for name in recorded]
    # the screen output is exactly Ansible's, and the events' stdout pieces put it back together
    assert screen == expected_stdout("more", tmp_path)
    pieces = [e["stdout"].replace("\r\n", "\n") for e in events.events]
    rebuilt = "".join(text + "\n" * (e["end_line"] - e["start_line"] - text.count("\n"))
                      for text, e in zip(pieces, events.events))
    assert rebuilt == screen
    assert [e["counter"] for e in events.events] == list(range(1, len(events.events) + 1))
    for before, after in zip(events.events, events.events[1:]):
        assert after["start_line"] == before["end_line"]
    assert events.events[-1]["end_line"] == screen.count("\n")
    assert {e["runner_ident"] for e in events.events} == {"run-1"}
    json.dumps(events.events)  # every event is plain JSON


_TIMES = re.compile(r'"(delta|start|end)": "[^"]*"')
_VARYING = {"uuid", "playbook_uuid", "play_uuid", "task_uuid", "start", "end", "duration", "created", "pid",
            "runner_ident", "parent_uuid", "counter"}


@pytest.mark.parametrize("name", ["small", "basic", "misc"])
def test_events_match_ansible_runner(name, tmp_path):
    """Same events, keys, fields, stdout and line numbers as ansible-runner recorded
    for the same playbook (ids, times and timestamps in results aside)."""
    events, _ = wrapped(tmp_path, name)
    theirs = json.loads((ORACLE / "recorded" / f"{name}.runner.json").read_text().replace("@DIR@", str(tmp_path)))
    assert len(events.events) == len(theirs)
    for mine, runner in zip(events.events, theirs):
        assert set(mine) == set(runner)
        assert {k: v for k, v in mine.items() if k not in _VARYING | {"event_data", "stdout"}} == \
            {k: v for k, v in runner.items() if k not in _VARYING | {"event_data", "stdout"}}
        assert _TIMES.sub("", mine["stdout"]) == _TIMES.sub("", runner["stdout"])
        mine_data, runner_data = mine["event_data"], runner["event_data"]
        assert list(mine_data) == list(runner_data), mine["event"]
        for key in set(mine_data) - _VARYING - {"res"}:
            assert mine_data[key] == runner_data[key], (mine["event"], key)
        if "res" in runner_data:
            assert set(mine_data["res"]) == set(runner_data["res"])
        assert ("parent_uuid" in mine) == ("parent_uuid" in runner)


def test_event_data_fields(tmp_path):
    events, _ = wrapped(tmp_path, "basic")
    by_name = {}
    for event in events.events:
        by_name.setdefault(event["event"], []).append(event)
    [start] = by_name["playbook_on_start"]
    assert start["event_data"] == {"playbook": "basic.yml", "playbook_uuid": start["uuid"], "uuid": start["uuid"]}
    assert "parent_uuid" not in start
    [play] = by_name["playbook_on_play_start"]
    assert play["event_data"]["name"] == play["event_data"]["play"] == "Basic play"
    assert play["event_data"]["pattern"] == play["event_data"]["play_pattern"] == "all"
    assert play["parent_uuid"] == start["uuid"]
    task = by_name["playbook_on_task_start"][1]
    assert task["event_data"]["task"] == "run echo" and task["event_data"]["task_action"] == "command"
    assert task["event_data"]["task_path"] == f"{tmp_path}/basic.yml:8"
    assert task["event_data"]["is_conditional"] is False
    assert task["uuid"] == task["event_data"]["task_uuid"] and task["parent_uuid"] == play["uuid"]
    ok = [e for e in by_name["runner_on_ok"] if e["event_data"]["task"] == "run echo"][0]
    data = ok["event_data"]
    assert ok["parent_uuid"] == task["uuid"]
    assert data["host"] == data["remote_addr"] == "localhost"
    assert data["res"]["stdout"] == "hi" and data["res"]["changed"] is True
    assert data["play"] == "Basic play" and data["playbook"] == "basic.yml"
    assert data["resolved_action"] == "ansible.builtin.command" and data["start"] and data["end"] and data["duration"] >= 0
    assert ok["stdout"] == "changed: [localhost]"
    [failed] = [e for e in by_name["runner_on_failed"] if e["event_data"]["ignore_errors"]]
    assert failed["stdout"].startswith("[ERROR]: Task failed: Module failed:")
    assert failed["stdout"].endswith("...ignoring")
    [stats] = by_name["playbook_on_stats"]
    assert stats["event_data"]["ok"] == {"localhost": 7} and stats["event_data"]["failures"] == {"localhost": 1}
    assert "play" not in stats["event_data"] and "task" not in stats["event_data"]
    assert stats["stdout"].startswith("\r\nPLAY RECAP ***")


def test_no_log_results_are_censored(tmp_path):
    events, _ = wrapped(tmp_path, "misc")
    secret = [e for e in events.events if e["event"] == "runner_on_ok" and e["event_data"]["task"] == "secret"][0]
    assert secret["event_data"]["res"] == {"censored": CENSORED}
    items = [e for e in events.events if e["event"] == "runner_item_on_ok" and e["event_data"]["task"] == "secret loop"]
    assert [e["event_data"]["res"] for e in items] == [{"censored": CENSORED}] * 2


def test_output_outside_events_becomes_its_own_event():
    display = Display(0, stream=io.StringIO(), error_stream=io.StringIO(), color=False)
    events = JobEventCallback(stdout_callback=Default(display=display))
    display.warning("loose")
    display.display("plain")
    assert [(e["event"], e["stdout"]) for e in events.events] == [("warning", "[WARNING]: loose"),
                                                                   ("verbose", "plain")]


def test_without_a_stdout_callback_events_have_no_stdout():
    events = JobEventCallback()
    task = Task("t", "ping")
    events.v2_runner_on_start(Host("h"), task)
    events.v2_runner_on_ok(result("h", task, {"ping": "pong"}))
    assert [(e["event"], e["stdout"], e["start_line"], e["end_line"]) for e in events.events] == [
        ("runner_on_start", "", 0, 0), ("runner_on_ok", "", 0, 0)]


def test_a_failing_stdout_callback_does_not_lose_the_event():
    class Broken(Default):
        def v2_runner_on_ok(self, result):
            raise RuntimeError("nope")

    err = io.StringIO()
    display = Display(0, stream=io.StringIO(), error_stream=err, color=False)
    events = JobEventCallback(stdout_callback=Broken(display=display))
    events.v2_runner_on_ok(result("h", Task("t", "ping"), {}))
    assert [e["event"] for e in events.events] == ["runner_on_ok"]
    assert "Failure using method (v2_runner_on_ok)" in err.getvalue()


def test_close_on_stats_and_blocking_iteration_from_another_thread():
    from .stand_ins import stats_from
    events = JobEventCallback(close_on_stats=True)
    received = []
    consumer = threading.Thread(target=lambda: received.extend(e["event"] for e in events.stream))
    consumer.start()
    events.v2_playbook_on_no_hosts_matched()
    events.v2_playbook_on_stats(stats_from({}))
    consumer.join(timeout=10)
    assert not consumer.is_alive()
    assert received == ["playbook_on_no_hosts_matched", "playbook_on_stats"]
    assert events.stream.closed and events.stream.wait_closed(0)


def test_every_iterator_sees_every_event():
    stream = JobEventStream()
    stream.publish({"n": 1})
    first = iter(stream)
    assert next(first) == {"n": 1}
    stream.publish({"n": 2})
    stream.close()
    assert list(first) == [{"n": 2}]
    assert [e["n"] for e in stream] == [1, 2]
    assert len(stream) == 2


def test_async_iteration_while_another_thread_publishes():
    stream = JobEventStream()

    def produce():
        for n in range(50):
            stream.publish({"n": n})
        stream.close()

    async def consume():
        producer = threading.Thread(target=produce)
        producer.start()
        seen = [event["n"] async for event in stream]
        producer.join(timeout=10)
        return seen

    assert asyncio.run(asyncio.wait_for(consume(), timeout=20)) == list(range(50))


def test_publishing_after_close_is_an_error():
    stream = JobEventStream()
    stream.close()
    with pytest.raises(RuntimeError, match="closed"):
        stream.publish({})


def test_registered_in_place_of_the_stdout_callback(tmp_path):
    """Through the kernel's plugin manager, as a run registers it."""
    from corral.plugins.manager import PluginManager
    from .stand_ins import Play, Playbook, stats_from
    out = io.StringIO()
    default = Default(display=Display(0, stream=out, error_stream=io.StringIO(), color=False))
    events = JobEventCallback(stdout_callback=default, close_on_stats=True)
    manager = PluginManager(allow=[])
    warnings = []
    manager.register_callback(events, "events", warnings.append)
    task = Task("say", "debug", uuid="t-1")
    manager.emit("v2_playbook_on_start", playbook=Playbook("site.yml"))
    manager.emit("v2_playbook_on_play_start", play=Play("web"))
    manager.emit("v2_playbook_on_task_start", task=task, is_conditional=False)
    manager.emit("v2_runner_on_start", host=Host("h"), task=task)
    manager.emit("v2_runner_on_ok", result=result("h", task, {"msg": "hi", "_ansible_verbose_always": True}))
    manager.emit("v2_playbook_on_stats", stats=stats_from({"h": {"ok": 1}}))
    assert warnings == []
    assert [e["event"] for e in events.stream] == ["playbook_on_start", "playbook_on_play_start",
                                                   "playbook_on_task_start", "runner_on_start", "runner_on_ok",
                                                   "playbook_on_stats"]
    assert events.events[4]["stdout"] == 'ok: [h] => {\r\n    "msg": "hi"\r\n}'
    assert out.getvalue().startswith("\nPLAY [web] ***")


def test_async_and_prompt_events():
    events = JobEventCallback()
    task = Task("slow", "command", uuid="a")
    events.v2_runner_on_async_poll(result("h", task, {"ansible_job_id": "j1"}))
    events.v2_runner_on_async_failed(result("h", task, {"async_result": {"ansible_job_id": "j2"}}))
    events.v2_playbook_on_vars_prompt("name", True, "Name?", None, False, None, None, "anon", False)
    assert [(e["event"], e["event_data"].get("jid")) for e in events.events] == [
        ("runner_on_async_poll", "j1"), ("runner_on_async_failed", "j2"), ("playbook_on_vars_prompt", None)]
    assert events.events[2]["event_data"]["varname"] == "name" and events.events[2]["event_data"]["default"] == "anon"
