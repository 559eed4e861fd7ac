"""minimal and oneline: the ad-hoc formats, compared with ansible 2.21's output for
the same results (``ansible localhost -m ping``, ``-a 'echo hi'``, ``-o``...)."""
from __future__ import annotations

import io

import pytest

from corral.display import Display
from corral_callback_minimal import CallbackModule as Minimal
from corral_callback_oneline import CallbackModule as Oneline

from .stand_ins import Task, result

SHELL_FAILED = {"changed": True, "cmd": "echo out; echo err >&2; exit 3", "delta": "0:00:00.003602",
                "end": "2026-11-26 03:39:47.039897", "failed": True,
                "msg": "The command exited with a non-zero return code.", "rc": 3,
                "start": "2026-11-26 03:39:47.036295", "stderr": "err", "stderr_lines": ["err"], "stdout": "out",
                "stdout_lines": ["out"]}
UNREACHABLE = {"changed": False, "unreachable": True,
               "msg": "Task failed: Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 1: "
                      "Connection refused"}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    import os
    for key in list(os.environ):
        if key.startswith(("ANSIBLE_", "CORRAL_")):
            monkeypatch.delenv(key)


def run(cls, event, host, task, data, *extra):
    out = io.StringIO()
    callback = cls(display=Display(0, stream=out, error_stream=io.StringIO(), color=False))
    getattr(callback, event)(result(host, task, data), *extra)
    return out.getvalue()


def test_minimal_json_results():
    assert run(Minimal, "v2_runner_on_ok", "localhost", Task("", "ping"), {"changed": False, "ping": "pong"}) == \
        'localhost | SUCCESS => {\n    "changed": false,\n    "ping": "pong"\n}\n'
    assert run(Minimal, "v2_runner_on_ok", "localhost", Task("", "debug", {"msg": "yo"}),
               {"changed": False, "msg": "yo", "_ansible_verbose_always": True}) == \
        'localhost | SUCCESS => {\n    "msg": "yo"\n}\n'


def test_minimal_command_results():
    assert run(Minimal, "v2_runner_on_ok", "localhost", Task("", "command"),
               {"changed": True, "rc": 0, "stdout": "hi", "stderr": "", "msg": ""}) == \
        "localhost | CHANGED | rc=0 >>\nhi\n"


def test_minimal_failures_show_the_error_first():
    task = Task("", "shell", {"_raw_params": "echo out; echo err >&2; exit 3"})
    assert run(Minimal, "v2_runner_on_failed", "localhost", task, dict(SHELL_FAILED)) == (
        "[ERROR]: Task failed: Module failed: The command exited with a non-zero return code.\n"
        "Origin: <adhoc 'shell' task>\n\n"
        "{'action': 'shell', 'args': {'_raw_params': 'echo out; echo err >&2; exit 3'}, 'timeout': 0, "
        "'async_val': 0, 'poll': 15}\n\n"
        "localhost | FAILED | rc=3 >>\nouterrThe command exited with a non-zero return code.\n")
    assert run(Minimal, "v2_runner_on_failed", "localhost", Task("", "fail", {"msg": "yo"}),
               {"changed": False, "failed": True, "msg": "yo"}) == (
        "[ERROR]: Task failed: Action failed: yo\nOrigin: <adhoc 'fail' task>\n\n"
        "{'action': 'fail', 'args': {'msg': 'yo'}, 'timeout': 0, 'async_val': 0, 'poll': 15}\n\n"
        'localhost | FAILED! => {\n    "changed": false,\n    "msg": "yo"\n}\n')


def test_minimal_unreachable_and_skipped():
    out = run(Minimal, "v2_runner_on_unreachable", "127.0.0.1", Task("", "ping"), dict(UNREACHABLE))
    assert out.endswith(
        '127.0.0.1 | UNREACHABLE! => {\n    "changed": false,\n    "msg": "Task failed: Failed to connect to the host '
        'via ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused",\n    "unreachable": true\n}\n')
    assert out.startswith("[ERROR]: Task failed: Failed to connect to the host via ssh:")
    assert run(Minimal, "v2_runner_on_skipped", "h", Task("", "ping"), {"skipped": True}) == "h | SKIPPED\n"


def test_oneline_formats():
    assert run(Oneline, "v2_runner_on_ok", "localhost", Task("", "command"),
               {"changed": True, "rc": 0, "stdout": "hi", "stderr": ""}) == "localhost | CHANGED | rc=0 | (stdout) hi\n"
    assert run(Oneline, "v2_runner_on_ok", "localhost", Task("", "ping"), {"changed": False, "ping": "pong"}) == \
        'localhost | SUCCESS => {"changed": false,"ping": "pong"}\n'
    out = run(Oneline, "v2_runner_on_failed", "localhost", Task("", "shell"), dict(SHELL_FAILED))
    assert out.split("\n")[0] == "localhost | FAILED | rc=3 | (stdout) out (stderr) err"
    assert out.split("\n")[1].startswith('localhost | FAILED! => {"changed": true,"cmd": "echo out; echo err >&2; '
                                         'exit 3","delta"')
    assert run(Oneline, "v2_runner_on_failed", "localhost", Task("", "fail"),
               {"changed": False, "failed": True, "msg": "yo"}) == (
        "An exception occurred during task execution. To see the full traceback, use -vvv. "
        "The error was: (traceback unavailable)\n"
        'localhost | FAILED! => {"changed": false,"msg": "yo"}\n')
    assert run(Oneline, "v2_runner_on_unreachable", "127.0.0.1", Task("", "ping"), dict(UNREACHABLE)) == \
        f"127.0.0.1 | UNREACHABLE!: {UNREACHABLE['msg']}\n"


def test_tree_writes_one_json_file_per_host(tmp_path, monkeypatch):
    from corral_callback_tree import CallbackModule as Tree
    import json
    monkeypatch.setenv("ANSIBLE_CALLBACK_TREE_DIR", str(tmp_path / "from-env"))
    callback = Tree(display=Display(0, stream=io.StringIO(), error_stream=io.StringIO(), color=False))
    assert callback.tree == str(tmp_path / "from-env")
    callback.set_cli_args({"tree": str(tmp_path / "out")})
    callback.v2_runner_on_ok(result("web1", Task("", "ping"), {"changed": False, "ping": "pong"}))
    callback.v2_runner_on_failed(result("web2", Task("", "fail"), {"failed": True, "msg": "x"}))
    assert json.loads((tmp_path / "out" / "web1").read_text()) == {"changed": False, "ping": "pong"}
    assert json.loads((tmp_path / "out" / "web2").read_text()) == {"msg": "x"}


def test_tree_default_directory_is_expanded(monkeypatch, tmp_path):
    from corral_callback_tree import CallbackModule as Tree
    monkeypatch.setenv("HOME", str(tmp_path))
    callback = Tree(display=Display(0, stream=io.StringIO(), error_stream=io.StringIO(), color=False))
    assert callback.tree == str(tmp_path / ".ansible" / "tree")
