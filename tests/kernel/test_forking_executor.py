"""The forking executor: workers keep their hosts across tasks; a killed worker
fails its task (in bounded time) and a new worker takes over."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import BIN

WORKER_PID = ("pid=$$; while [ \"$pid\" -gt 1 ]; do "
              "if [ \"$(cat /proc/$pid/comm)\" = corral-worker ]; then echo $pid; break; fi; "
              "pid=$(awk '{print $4}' /proc/$pid/stat); done")


def _inventory(tmp_path: Path, hosts: list[str]) -> Path:
    path = tmp_path / "inv"
    path.write_text("".join(f"{h} ansible_connection=local ansible_python_interpreter={sys.executable}\n"
                            for h in hosts))
    return path


def _run_json(tmp_path: Path, playbook: str, hosts: list[str], *args: str) -> dict:
    (tmp_path / "site.yml").write_text(playbook)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env["CORRAL_STDOUT_CALLBACK"] = "json"
    out = subprocess.run([str(BIN / "corral-playbook"), "-i", str(_inventory(tmp_path, hosts)),
                          str(tmp_path / "site.yml"), *args], capture_output=True, text=True, env=env, timeout=120)
    return json.loads(out.stdout)


def test_each_host_keeps_its_worker_for_the_whole_run(tmp_path: Path) -> None:
    task = {"shell": WORKER_PID, "register": "w"}
    playbook = json.dumps([{"hosts": "all", "gather_facts": False, "tasks": [task] * 4}])
    data = _run_json(tmp_path, playbook, ["h1", "h2", "h3"], "-f", "2")
    pids: dict[str, set[str]] = {}
    for task_result in data["plays"][0]["tasks"]:
        for host, result in task_result["hosts"].items():
            pids.setdefault(host, set()).add(result["stdout"])
    assert all(len(seen) == 1 for seen in pids.values()), pids
    assert len({next(iter(seen)) for seen in pids.values()}) == 2, "forks=2: two workers share three hosts"
    assert all(next(iter(seen)).isdigit() for seen in pids.values())


def _descendants_running(root: int, needle: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if needle in cmdline:
            found.append(int(entry))
    return found


def _ancestor_worker(pid: int) -> int | None:
    while pid > 1:
        if Path(f"/proc/{pid}/comm").read_text().strip() == "corral-worker":   # spawned or forked, workers say so
            return pid
        pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return None


def test_a_killed_worker_fails_its_task_and_the_run_goes_on(tmp_path: Path) -> None:
    playbook = json.dumps([{"hosts": "all", "gather_facts": False, "tasks": [
        {"name": "slow on a", "shell": "{{ 'sleep 47.5' if inventory_hostname == 'a' else 'true' }}",
         "ignore_errors": True},
        {"name": "after", "command": "echo after-{{ inventory_hostname }}"},
    ]}])
    (tmp_path / "site.yml").write_text(playbook)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env["CORRAL_STDOUT_CALLBACK"] = "json"
    proc = subprocess.Popen([str(BIN / "corral-playbook"), "-i", str(_inventory(tmp_path, ["a", "b"])),
                             str(tmp_path / "site.yml"), "-f", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    sleepers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not sleepers and time.monotonic() < deadline:
            sleepers = _descendants_running(proc.pid, "sleep 47.5")
            time.sleep(0.1)
        assert sleepers, "the slow task never started"
        worker = _ancestor_worker(sleepers[0])
        assert worker is not None
        killed_at = time.monotonic()
        os.kill(worker, signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
        assert time.monotonic() - killed_at < 30
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in _descendants_running(0, "sleep 47.5"):
            os.kill(pid, signal.SIGKILL)
    data = json.loads(out)
    slow, after = data["plays"][0]["tasks"]
    assert slow["hosts"]["a"]["failed"] is True
    assert "worker process running this task for a died" in slow["hosts"]["a"]["msg"]
    assert slow["hosts"]["b"]["changed"] is True and not slow["hosts"]["b"].get("failed")
    assert after["hosts"]["a"]["stdout"] == "after-a", "a new worker took over host a"
    assert after["hosts"]["b"]["stdout"] == "after-b"
    assert data["stats"]["a"]["ignored"] == 1
