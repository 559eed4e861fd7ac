"""async jobs: the payload starts the module in the background; async_status reads it."""
from __future__ import annotations

import os
import select
import subprocess
import sys
import time

from corral.executor.module_payload import (build_module_payload, execute_async, new_async_jid,
                                            parse_module_output, poll_async_job)
from corral.plugins.manager import PluginManager


_MODULES = PluginManager().modules()


def start(tmp_path, name: str, args: dict, limit: int) -> dict:
    jid = new_async_jid()
    payload = build_module_payload(_MODULES[name], args, async_jid=jid, async_limit=limit,
                                   async_dir=str(tmp_path))
    proc = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=30)
    return parse_module_output(proc.returncode, proc.stdout, proc.stderr)


def status(tmp_path, jid: str, mode: str = "status") -> dict:
    """async_status for a job whose results are in ``tmp_path`` (the job's ``async_dir``):
    the module reads ``~/.ansible_async``, here with ``HOME`` pointing at a home whose
    ``.ansible_async`` is ``tmp_path``."""
    home = tmp_path.parent / f"{tmp_path.name}-home"
    if not home.exists():
        home.mkdir()
        (home / ".ansible_async").symlink_to(tmp_path)
    payload = build_module_payload(_MODULES["async_status"], {"jid": jid, "mode": mode})
    proc = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=60,
                          env=dict(os.environ, HOME=str(home)))
    return parse_module_output(proc.returncode, proc.stdout, proc.stderr)


def test_async_job_runs_in_background_and_is_polled(tmp_path):
    marker = tmp_path / "done"
    began = time.monotonic()
    started = start(tmp_path, "command", {"_raw_params": f"sh -c 'sleep 1; echo out; touch {marker}'"}, 30)
    assert time.monotonic() - began < 1, "the job is started, not waited for"
    assert started["started"] is True and started["finished"] is False and started["changed"] is True
    jid = started["ansible_job_id"]
    assert started["results_file"] == str(tmp_path / jid)
    assert status(tmp_path, jid)["finished"] is False
    final = poll_async_job(lambda: status(tmp_path, jid), async_limit=30, poll=0.2)
    assert final["finished"] is True and final["stdout"] == "out" and final["rc"] == 0
    assert final["ansible_job_id"] == jid and marker.exists()
    cleaned = status(tmp_path, jid, "cleanup")
    assert cleaned["erased"].endswith(f"/.ansible_async/{jid}") and not (tmp_path / jid).exists()


def test_a_started_job_holds_no_descriptor_of_its_starter(tmp_path):
    # a module server hands the payload a pipe of its own: the job must not keep it
    # open, or whoever waits for that pipe waits for the job to end
    read_end, write_end = os.pipe()
    payload = build_module_payload(_MODULES["command"], {"_raw_params": "sleep 6"}, async_jid=new_async_jid(),
                                   async_limit=10, async_dir=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, pass_fds=(write_end,))
    out, err = proc.communicate(payload, timeout=30)
    os.close(write_end)
    assert parse_module_output(proc.returncode, out, err)["started"] is True
    readable, _, _ = select.select([read_end], [], [], 4)
    assert readable and os.read(read_end, 1) == b"", "the running job still holds the starter's pipe"
    os.close(read_end)


def test_polling_waits_first_and_reports_the_running_job(tmp_path):
    started = start(tmp_path, "command", {"_raw_params": "sleep 1"}, 30)
    running: list[dict] = []
    calls = []

    def polled() -> dict:
        calls.append(time.monotonic())
        return status(tmp_path, started["ansible_job_id"])

    began = time.monotonic()
    final = poll_async_job(polled, async_limit=30, poll=0.3, on_poll=running.append)
    assert calls[0] - began >= 0.3, "as Ansible, the first poll comes one interval after the start"
    assert final["finished"] is True and running
    assert all(result["finished"] is False for result in running)


def test_async_time_limit_kills_the_job(tmp_path):
    started = start(tmp_path, "command", {"_raw_params": "sleep 30"}, 1)
    final = poll_async_job(lambda: status(tmp_path, started["ansible_job_id"]), async_limit=20, poll=0.2)
    assert final["failed"] is True and final["finished"] is True
    assert "maximum time limit of 1 seconds" in final["msg"]


def test_poll_gives_up_after_async_limit(tmp_path):
    started = start(tmp_path, "command", {"_raw_params": "sleep 5"}, 10)
    began = time.monotonic()
    final = poll_async_job(lambda: status(tmp_path, started["ansible_job_id"]), async_limit=1, poll=0.2)
    assert time.monotonic() - began < 4
    assert final["failed"] is True and final["msg"] == "async task did not complete within the requested time - 1s"


def test_failed_module_and_unknown_job(tmp_path):
    started = start(tmp_path, "command", {"_raw_params": "false"}, 10)
    final = poll_async_job(lambda: status(tmp_path, started["ansible_job_id"]), async_limit=10, poll=0.1)
    assert final["failed"] is True and final["rc"] == 1 and final["finished"] is True
    unknown = status(tmp_path, "j123.456")
    assert unknown["failed"] is True and unknown["msg"] == "could not find job j123.456"


def _run_payload(payload: bytes) -> tuple[int, bytes, bytes]:
    proc = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=30)
    return proc.returncode, proc.stdout, proc.stderr


def test_execute_async_polls_or_fires_and_forgets(tmp_path):
    cleaned = []
    result = execute_async(_run_payload, _MODULES["command"], {"_raw_params": "echo async-done"},
                           async_limit=20, poll=0.2, async_dir=str(tmp_path),
                           status=lambda jid: status(tmp_path, jid), cleanup=cleaned.append)
    assert result["finished"] is True and result["stdout"] == "async-done" and cleaned == [result["ansible_job_id"]]
    fired = execute_async(_run_payload, _MODULES["command"], {"_raw_params": "sleep 1"}, async_limit=20, poll=0,
                          async_dir=str(tmp_path), status=lambda jid: status(tmp_path, jid))
    assert fired["started"] is True and fired["finished"] is False
    final = poll_async_job(lambda: status(tmp_path, fired["ansible_job_id"]), async_limit=20, poll=0.2)
    assert final["finished"] is True and final["rc"] == 0
