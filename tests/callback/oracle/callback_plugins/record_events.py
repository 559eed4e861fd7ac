"""An Ansible callback (run only under the oracle's ansible-playbook, never by corral)
that writes every v2_* event and its arguments as JSON lines to $RECORD_EVENTS_FILE,
so that corral's callbacks can replay the same events and be compared to Ansible's
screen output."""
from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

EVENTS = (
    "v2_playbook_on_start", "v2_playbook_on_play_start", "v2_playbook_on_task_start",
    "v2_playbook_on_handler_task_start", "v2_playbook_on_no_hosts_matched",
    "v2_playbook_on_no_hosts_remaining", "v2_playbook_on_notify", "v2_playbook_on_include",
    "v2_playbook_on_stats", "v2_runner_on_start", "v2_runner_on_ok", "v2_runner_on_failed",
    "v2_runner_on_skipped", "v2_runner_on_unreachable", "v2_runner_item_on_ok",
    "v2_runner_item_on_failed", "v2_runner_item_on_skipped", "v2_runner_retry", "v2_on_file_diff",
    "v2_runner_on_async_poll", "v2_runner_on_async_ok", "v2_runner_on_async_failed", "v2_playbook_on_vars_prompt",
)


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return str(value)
    return repr(value)


def _task(task):
    return {"kind": "task", "uuid": str(task._uuid), "name": task.get_name(), "action": task.action,
            "resolved_action": task.resolved_action,
            "args": _plain({k: v for k, v in task.args.items() if not k.startswith("_ansible_")}), "loop": _plain(task.loop), "no_log": bool(task.no_log),
            "check_mode": bool(task.check_mode), "path": task.get_path(),
            "ignore_errors": bool(task.ignore_errors), "delegate_to": task.delegate_to}


def _result(result):
    res = dict(result.result)
    if "exception" in res:
        res["exception"] = True
    if "warnings" in res:
        res["warnings"] = [getattr(getattr(w, "event", None), "msg", str(w)) for w in res["warnings"] or ()]
    if "deprecations" in res:
        res["deprecations"] = [
            {k: d.get(k) for k in ("msg", "version", "date", "collection_name")} if isinstance(d, dict) else
            {"msg": getattr(getattr(d, "event", None), "msg", str(d)), "version": getattr(d, "version", None),
             "date": getattr(d, "date", None),
             "collection_name": getattr(getattr(d, "deprecator", None), "resolved_name", None)}
            for d in res["deprecations"] or ()]
    return {"kind": "result", "host": result.host.get_name(), "task": _task(result.task),
            "task_name": result.task_name, "result": _plain(res)}


def _arg(value):
    from ansible.executor.task_result import CallbackTaskResult
    from ansible.inventory.host import Host
    from ansible.playbook.play import Play
    from ansible.playbook.task import Task
    if isinstance(value, CallbackTaskResult):
        return _result(value)
    if isinstance(value, Host):
        return {"kind": "host", "name": value.get_name()}
    if isinstance(value, Play):
        return {"kind": "play", "uuid": str(value._uuid), "name": value.get_name(),
                "strategy": value.strategy, "check_mode": bool(value.check_mode), "hosts": _plain(value.hosts)}
    if isinstance(value, Task):
        return _task(value)
    if hasattr(value, "_file_name"):
        return {"kind": "playbook", "file_name": value._file_name}
    if hasattr(value, "processed") and hasattr(value, "summarize"):
        return {"kind": "stats", "summaries": {h: value.summarize(h) for h in value.processed},
                "custom": _plain(value.custom)}
    if hasattr(value, "_filename") and hasattr(value, "_hosts"):
        return {"kind": "included", "filename": value._filename, "hosts": [h.name for h in value._hosts],
                "vars": _plain(value._vars)}
    return _plain(value)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "record_events"
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, event, args, kwargs):
        record = {"event": event, "args": [_arg(a) for a in args],
                  "kwargs": {k: _arg(v) for k, v in kwargs.items()}}
        with open(os.environ["RECORD_EVENTS_FILE"], "a") as handle:
            handle.write(json.dumps(record) + "\n")


def _make(event):
    def method(self, *args, **kwargs):
        self._write(event, args, kwargs)
    method.__name__ = event
    return method


for _event in EVENTS:
    setattr(CallbackModule, _event, _make(_event))
