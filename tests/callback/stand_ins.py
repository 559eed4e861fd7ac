"""Small stand-ins for the playbook objects callbacks receive (hosts, tasks, plays,
playbooks, included files), exposing exactly the attributes of Ansible's API that
callbacks use (and a task's ``traits``, which corral's tasks carry), and a replayer of events recorded from Ansible (``oracle/recorded``).

Results and stats are the kernel's real ``TaskResult`` and ``AggregateStats``.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Iterable

from corral.plugins.manager import PluginManager
from corral.plugins.module import normalize_module_name
from corral.results import TaskResult
from corral.stats import AggregateStats

ORACLE = Path(__file__).resolve().parent / "oracle"
#: the installed plugins, which give a task its action's traits as loading does
_PLUGINS = PluginManager()


class Host:
    def __init__(self, name: str) -> None:
        self.name = name

    def get_name(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


class Task:
    def __init__(self, name: str = "", action: str = "debug", args: dict | None = None, *, uuid: str = "t1",
                 loop: Any = None, no_log: bool = False, check_mode: bool = False, path: str | None = None,
                 ignore_errors: bool = False, delegate_to: str | None = None,
                 resolved_action: str | None = None) -> None:
        self.name = name
        self.action = action
        self.resolved_action = resolved_action or action
        self.args = args or {}
        self._uuid = uuid
        self.loop = loop
        self.no_log = no_log
        self.check_mode = check_mode
        self.path = path
        self.ignore_errors = ignore_errors
        self.ignore_unreachable = False
        self.delegate_to = delegate_to
        self.traits = _PLUGINS.action_traits(normalize_module_name(action))

    def get_name(self) -> str:
        return self.name or self.action

    def get_path(self) -> str | None:
        return self.path

    def __str__(self) -> str:
        return f"TASK: {self.get_name()}"


class Play:
    def __init__(self, name: str = "", *, uuid: str = "p1", hosts: Any = "all", strategy: str = "linear",
                 check_mode: bool = False) -> None:
        self.name = name
        self._uuid = uuid
        self.hosts = hosts
        self.strategy = strategy
        self.check_mode = check_mode

    def get_name(self) -> str:
        return self.name or (",".join(self.hosts) if isinstance(self.hosts, list) else str(self.hosts))


class Playbook:
    def __init__(self, file_name: str) -> None:
        self._file_name = file_name


class IncludedFile:
    def __init__(self, filename: str, hosts: list[Host], vars: dict | None = None) -> None:
        self._filename = filename
        self._hosts = hosts
        self._vars = vars or {}


def result(host: str, task: Task, data: dict, task_name: str | None = None) -> TaskResult:
    return TaskResult(Host(host), task, data, {"name": task_name} if task_name else None)


def stats_from(summaries: dict[str, dict[str, int]], custom: dict | None = None) -> AggregateStats:
    stats = AggregateStats()
    names = {"ok": "ok", "failures": "failures", "unreachable": "dark", "changed": "changed",
             "skipped": "skipped", "rescued": "rescued", "ignored": "ignored"}
    for host, summary in summaries.items():
        stats.processed[host] = 1
        for key, attr in names.items():
            if summary.get(key):
                getattr(stats, attr)[host] = summary[key]
    stats.custom = copy.deepcopy(custom or {})
    return stats


class Replayer:
    """Builds callback arguments from recorded events; one Task object per task uuid."""

    def __init__(self, directory: Path) -> None:
        self.directory = str(directory)
        self.tasks: dict[str, Task] = {}

    def _fix(self, text: Any) -> Any:
        return text.replace("@DIR@", self.directory) if isinstance(text, str) else text

    def task(self, data: dict) -> Task:
        if data["uuid"] not in self.tasks:
            self.tasks[data["uuid"]] = Task(data["name"], data["action"], data["args"], uuid=data["uuid"],
                                            loop=data["loop"], no_log=data["no_log"],
                                            check_mode=data["check_mode"], path=self._fix(data["path"]),
                                            ignore_errors=data["ignore_errors"], delegate_to=data["delegate_to"],
                                            resolved_action=data.get("resolved_action"))
        return self.tasks[data["uuid"]]

    def arg(self, data: Any) -> Any:
        if not isinstance(data, dict) or "kind" not in data:
            return data
        kind = data["kind"]
        if kind == "task":
            return self.task(data)
        if kind == "host":
            return Host(data["name"])
        if kind == "play":
            return Play(data["name"], uuid=data["uuid"], hosts=data["hosts"], strategy=data["strategy"],
                        check_mode=data["check_mode"])
        if kind == "playbook":
            return Playbook(self._fix(data["file_name"]))
        if kind == "stats":
            return stats_from(data["summaries"], data["custom"])
        if kind == "included":
            return IncludedFile(self._fix(data["filename"]), [Host(h) for h in data["hosts"]], data["vars"])
        if kind == "result":
            # ``exception: true`` stands for Ansible's error object; corral derives the text itself
            res = copy.deepcopy(data["result"])
            return TaskResult(Host(data["host"]), self.task(data["task"]), res, {"name": data["task_name"]})
        raise ValueError(f"unknown recorded kind {kind!r}")

    def events(self, name: str) -> Iterable[tuple[str, list, dict]]:
        path = ORACLE / "recorded" / f"{name}.events.jsonl"
        for line in self._fix(path.read_text()).splitlines():
            record = json.loads(line)
            yield (record["event"], [self.arg(a) for a in record["args"]],
                   {k: self.arg(v) for k, v in record["kwargs"].items()})


def materialize_scenarios(directory: Path) -> None:
    """Write the scenario playbooks into ``directory`` (error messages quote their lines)."""
    for source in (ORACLE / "scenarios").glob("*.yml"):
        (directory / source.name).write_text(source.read_text().replace("@DIR@", str(directory)))


def expected_stdout(name: str, directory: Path) -> str:
    return (ORACLE / "recorded" / f"{name}.stdout").read_text().replace("@DIR@", str(directory))


def expected_stderr(name: str, directory: Path) -> str:
    return (ORACLE / "recorded" / f"{name}.stderr").read_text().replace("@DIR@", str(directory))


def replay(callback: Any, name: str, directory: Path) -> None:
    """Send the events recorded for scenario ``name`` to ``callback``, in order."""
    replayer = Replayer(directory)
    for event, args, kwargs in replayer.events(name):
        getattr(callback, event)(*args, **kwargs)
