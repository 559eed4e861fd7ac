"""The ``json`` stdout callback: the whole run as one JSON document, printed at the end.

The shape of Ansible's json callback (``ansible.posix.json``)::

    {"custom_stats": {...}, "global_custom_stats": {...},
     "plays": [{"play": {"name", "id", "path", "duration": {"start", "end"}},
                "tasks": [{"task": {"name", "id", "path", "duration"},
                           "hosts": {host: result + {"action": ...}}}]}],
     "stats": {host: {"ok", "changed", "unreachable", "failures", "skipped", "rescued", "ignored"}}}

Results keep their keys (internal ``_ansible_*`` keys removed; ``no_log`` results
arrive censored by the kernel); ``failed``/``skipped`` are set on failed and skipped
results.  For a play run by a non-lockstep strategy (``free``, ``host_pinned``), each host's result opens
its own task entry, as in Ansible.
"""
from __future__ import annotations

import copy
import datetime
import json
import threading
from typing import Any

from corral.plugins.callback import CallbackBase, CallbackOption, plain_data, strip_internal_keys

__all__ = ["CallbackModule"]

_LOCKSTEP = frozenset(("linear", "debug", "ansible.builtin.linear", "ansible.builtin.debug"))


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).isoformat() + "Z"


class CallbackModule(CallbackBase):
    """Collects every result; prints the document when the run's stats arrive."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "json"
    OPTIONS = {
        "show_custom_stats": CallbackOption("show_custom_stats", False, "bool", ("ANSIBLE_SHOW_CUSTOM_STATS",),
                                            (("defaults", "show_custom_stats"),)),
        "json_indent": CallbackOption("json_indent", 4, "int", ("ANSIBLE_JSON_INDENT",),
                                      (("callback_json", "json_indent"),)),
    }

    def __init__(self, display: Any = None, options: Any = None) -> None:
        super().__init__(display=display, options=options)
        self.results: list[dict[str, Any]] = []
        self._task_map: dict[tuple[str, Any], dict[str, Any]] = {}
        self._is_lockstep = True
        self._lock = threading.RLock()

    @staticmethod
    def _path(obj: Any) -> str | None:
        get_path = getattr(obj, "get_path", None)
        path = get_path() if callable(get_path) else None
        return str(path) if path else None

    def _new_play(self, play: Any) -> dict[str, Any]:
        self._is_lockstep = (getattr(play, "strategy", None) or "linear") in _LOCKSTEP
        entry = {"name": play.get_name(), "id": str(play._uuid), "duration": {"start": _now()}}
        path = self._path(play)
        if path:
            entry["path"] = path
        return {"play": entry, "tasks": []}

    def _new_task(self, task: Any) -> dict[str, Any]:
        entry = {"name": task.get_name(), "id": str(task._uuid), "duration": {"start": _now()}}
        path = self._path(task)
        if path:
            entry["path"] = path
        return {"task": entry, "hosts": {}}

    def _current_play(self) -> dict[str, Any]:
        if not self.results:  # results without a play (ad-hoc): one anonymous play
            self.results.append({"play": {"name": "", "id": "", "duration": {"start": _now()}}, "tasks": []})
        return self.results[-1]

    def v2_playbook_on_play_start(self, play: Any) -> None:
        with self._lock:
            self.results.append(self._new_play(play))

    def v2_runner_on_start(self, host: Any, task: Any) -> None:
        with self._lock:
            if self._is_lockstep:
                return
            entry = self._new_task(task)
            self._task_map[(host.get_name(), task._uuid)] = entry
            self._current_play()["tasks"].append(entry)

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        with self._lock:
            if self._is_lockstep:
                self._current_play()["tasks"].append(self._new_task(task))

    def v2_playbook_on_handler_task_start(self, task: Any) -> None:
        with self._lock:
            if self._is_lockstep:
                self._current_play()["tasks"].append(self._new_task(task))

    def _record(self, result: Any, **marks: bool) -> None:
        with self._lock:
            host, task = result._host, result._task
            data = self._plain_result(result._result)
            data.update(marks)
            data["action"] = task.action
            key = (host.get_name(), task._uuid)
            play = self._current_play()
            entry = self._task_map.pop(key, None)
            if entry is None:
                if not play["tasks"]:
                    play["tasks"].append(self._new_task(task))
                entry = play["tasks"][-1]
            entry["hosts"][host.get_name()] = data
            end = _now()
            entry["task"]["duration"]["end"] = end
            play["play"]["duration"]["end"] = end

    @staticmethod
    def _plain_result(result: dict[str, Any]) -> dict[str, Any]:
        return plain_data(strip_internal_keys(copy.deepcopy(dict(result))))

    def v2_runner_on_ok(self, result: Any) -> None:
        self._record(result)

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._record(result, failed=True)

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._record(result, skipped=True)

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._record(result)

    def v2_playbook_on_stats(self, stats: Any) -> None:
        summary = {host: stats.summarize(host) for host in sorted(stats.processed)}
        custom_stats: dict[str, Any] = {}
        global_custom_stats: dict[str, Any] = {}
        if self.get_option("show_custom_stats") and stats.custom:
            custom_stats = {getattr(k, "name", k): v for k, v in stats.custom.items()}
            global_custom_stats = custom_stats.pop("_run", {})
        output = {"plays": self.results, "stats": summary, "custom_stats": custom_stats,
                  "global_custom_stats": global_custom_stats}
        self._display.display(json.dumps(output, indent=self.get_option("json_indent"), sort_keys=True,
                                         ensure_ascii=False, default=str))
