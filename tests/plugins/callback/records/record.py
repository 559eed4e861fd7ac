"""Record what ansible-core 2.21 reports for ``site.yml`` into ``expected.json``: each
host's status of each task (with its loop items' statuses), the results of the
``no_log`` tasks as Ansible censors them, the recap and the exit code.  The records
tests compare what the ``records`` callback stored with it.

Run from a checkout with the oracle installed (``scripts/oracle-venv``)::

    .venv/bin/python tests/plugins/callback/records/record.py
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
ORACLE = REPO / ".oracle" / "bin" / "ansible-playbook"
RECORDER = REPO / "tests" / "callback" / "oracle" / "callback_plugins"


def _status(event: str, result: dict, task: dict) -> str:
    if event.endswith("_skipped"):
        return "skipped"
    if event.endswith("_unreachable"):
        return "unreachable"
    if event.endswith("_failed"):
        return "ignored" if task.get("ignore_errors") and "item" not in event else "failed"
    return "changed" if result.get("changed") else "ok"


def _plain_result(result: dict) -> dict:
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not k.startswith("_ansible_")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(result)


def record() -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        events_file = Path(scratch) / "events.jsonl"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
        env.update(ANSIBLE_CALLBACK_PLUGINS=str(RECORDER), ANSIBLE_CALLBACKS_ENABLED="record_events",
                   RECORD_EVENTS_FILE=str(events_file), ANSIBLE_NOCOLOR="1")
        proc = subprocess.run([str(ORACLE), "-i", "inventory", "site.yml", "-e", f"out={scratch}",
                               "-e", "password=hunter2-cli", "-e", f"ansible_python_interpreter={sys.executable}"],
                              cwd=HERE, env=env, capture_output=True, text=True, timeout=300)
        events = [json.loads(line) for line in events_file.read_text().splitlines()]
    results, items, stats = [], {}, {}
    for entry in events:
        event, args = entry["event"], entry["args"]
        if event.startswith("v2_runner_item_on_"):
            result = args[0]
            items.setdefault((result["task"]["name"], result["host"]), []).append(
                _status(event, result["result"], result["task"]).replace("changed", "ok"))
        elif event in ("v2_runner_on_ok", "v2_runner_on_failed", "v2_runner_on_skipped", "v2_runner_on_unreachable"):
            result = args[0]
            task, host = result["task"], result["host"]
            results.append({"task": task["name"], "host": host, "status": _status(event, result["result"], task),
                            "items": items.pop((task["name"], host), []),
                            "censored": _plain_result(result["result"]) if task["no_log"] else None})
        elif event == "v2_playbook_on_stats":
            stats = args[0]["summaries"]
    return {"rc": proc.returncode, "results": sorted(results, key=lambda r: (r["task"], r["host"])), "stats": stats}


if __name__ == "__main__":
    (HERE / "expected.json").write_text(json.dumps(record(), indent=1, sort_keys=True) + "\n")
