"""corral-modules-system: facts, background tasks, waiting for ports, known_hosts."""
from __future__ import annotations

import os
import socket


def test_setup_gathers_facts_for_later_tasks(corral_run) -> None:
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": True, "tasks": [
        {"debug": {"msg": "{{ ansible_facts.system }} {{ ansible_facts.env.HOME is defined }}"}},
    ]}])
    assert result.rc == 0
    assert corral_run.outcome(result, "localhost").result["msg"] == f"{os.uname().sysname} True"


def test_an_async_task_is_followed_with_async_status(corral_run) -> None:
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"command": "echo background", "async": 10, "poll": 0, "register": "job"},
        {"async_status": {"jid": "{{ job.ansible_job_id }}"}, "register": "done", "until": "done.finished",
         "retries": 20, "delay": 0.2},
    ]}])
    assert result.rc == 0
    assert corral_run.outcome(result, "localhost").result["stdout"] == "background"


def test_wait_for_a_listening_port(corral_run) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        result = corral_run.task({"wait_for": {"host": "127.0.0.1", "port": port, "timeout": 5}})
    assert result.rc == 0
    assert corral_run.outcome(result, "localhost").result["port"] == port


def test_known_hosts_adds_a_key_once(corral_run, tmp_path) -> None:
    path = tmp_path / "known_hosts"
    key = "web1.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHV0ZXN0a2V5dGVzdGtleXRlc3RrZXl0ZXN0a2V5"
    task = {"known_hosts": {"path": str(path), "name": "web1.example", "key": key}}
    assert corral_run.outcome(corral_run.task(task), "localhost").result["changed"]
    assert corral_run.outcome(corral_run.task(task), "localhost").result["changed"] is False
    assert path.read_text().strip() == key
