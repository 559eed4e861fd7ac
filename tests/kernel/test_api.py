"""The typed entry point: per-host results, ordered job events, nothing printed."""
from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from corral.api import run_playbook, stream_playbook

PLAYBOOK = """
- hosts: all
  gather_facts: false
  tasks:
    - name: greet
      debug: msg="hi {{ inventory_hostname }}"
    - name: change something
      command: echo changed
    - name: maybe fail
      fail: msg=boom
      when: inventory_hostname == 'h2'
    - name: after
      debug: msg=after
"""


def _inventory(tmp_path: Path) -> Path:
    path = tmp_path / "inv.ini"
    path.write_text("".join(f"{h} ansible_connection=local ansible_python_interpreter={sys.executable}\n"
                            for h in ("h1", "h2")))
    return path


def test_run_playbook_returns_per_host_results_and_events(tmp_path: Path, capsys) -> None:
    playbook = tmp_path / "site.yml"
    playbook.write_text(PLAYBOOK)
    result = run_playbook(playbook, inventory=str(_inventory(tmp_path)))
    assert result.rc == 2 and not result.ok
    h1, h2 = result.hosts["h1"], result.hosts["h2"]
    assert [(o.task, o.status) for o in h1.results] == [
        ("greet", "ok"), ("change something", "changed"), ("maybe fail", "skipped"), ("after", "ok")]
    assert [(o.task, o.status) for o in h2.results] == [
        ("greet", "ok"), ("change something", "changed"), ("maybe fail", "failed")]
    assert h1.stats == {"ok": 3, "failures": 0, "unreachable": 0, "changed": 1, "skipped": 1, "rescued": 0,
                        "ignored": 0}
    assert h2.failed and not h1.failed
    names = [e["event"] for e in result.events]
    assert names[0] == "playbook_on_start" and names[-1] == "playbook_on_stats"
    assert names.count("playbook_on_task_start") == 4
    assert [e["counter"] for e in result.events] == list(range(1, len(names) + 1))
    failed = [e for e in result.events if e["event"] == "runner_on_failed"]
    assert failed[0]["event_data"]["host"] == "h2" and failed[0]["event_data"]["res"]["msg"] == "boom"
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_a_list_of_plays_and_a_stdout_callback(tmp_path: Path) -> None:
    script = (f"from corral.api import run_playbook\n"
              f"r = run_playbook([{{'hosts': 'all', 'gather_facts': False, 'tasks': [{{'debug': {{'msg': 'x'}}}}]}}],"
              f" inventory={str(_inventory(tmp_path))!r}, stdout_callback='default')\n"
              f"print('RC', r.rc)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "PLAY RECAP" in out.stdout and "RC 0" in out.stdout
    assert 'ok: [h1] => {\n    "msg": "x"\n}' in out.stdout


def test_stream_playbook_yields_events_to_an_async_consumer(tmp_path: Path) -> None:
    playbook = tmp_path / "site.yml"
    playbook.write_text(PLAYBOOK)
    stream, future = stream_playbook(playbook, inventory=str(_inventory(tmp_path)))

    async def consume() -> list[str]:
        return [event["event"] async for event in stream]

    names = asyncio.run(asyncio.wait_for(consume(), timeout=120))
    result = future.result(timeout=60)
    assert names == [e["event"] for e in result.events]
    assert "runner_on_ok" in names
