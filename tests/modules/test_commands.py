"""command, shell and ping, run for real on localhost."""
from __future__ import annotations

import os

from .conftest import run_module


def test_ping():
    assert run_module("ping")["ping"] == "pong"
    assert run_module("ping", {"data": "hello"})["ping"] == "hello"


def test_command_free_form_runs_without_a_shell(tmp_path):
    result = run_module("command", {"_raw_params": "echo 'a  b' $HOME|x", "chdir": str(tmp_path)})
    assert result["changed"] is True and result["rc"] == 0
    assert result["cmd"] == ["echo", "a  b", "$HOME|x"]
    assert result["stdout"] == f"a  b {os.path.expanduser('~')}|x", "no shell, but $VAR is expanded"
    assert result["stdout_lines"] == [result["stdout"]]
    for key in ("start", "end", "delta"):
        assert result[key]


def test_command_argv_stdin_and_chdir(tmp_path):
    (tmp_path / "f.txt").write_text("x")
    result = run_module("command", {"argv": ["ls"], "chdir": str(tmp_path)})
    assert result["stdout_lines"] == ["f.txt"]
    piped = run_module("command", {"argv": ["cat"], "stdin": "one\ntwo"})
    assert piped["stdout_lines"] == ["one", "two"]
    raw = run_module("command", {"argv": ["od", "-c"], "stdin": "z", "stdin_add_newline": False,
                                 "strip_empty_ends": False})
    assert "\\n" not in raw["stdout"] and raw["stdout"].endswith("\n")


def test_command_failure_and_missing_program():
    failed = run_module("command", {"argv": ["ls", "/nonexistent-dir-xyz"]})
    assert failed["failed"] is True and failed["rc"] == 2
    assert failed["msg"] == "The command exited with a non-zero return code."
    assert "nonexistent-dir-xyz" in failed["stderr"]
    missing = run_module("command", {"_raw_params": "no-such-program-xyz --flag"})
    assert missing["failed"] is True and "no-such-program-xyz" in missing["msg"]
    none = run_module("command", {})
    assert none["failed"] is True and none["msg"] == "no command given"


def test_command_creates_and_removes(tmp_path):
    marker = tmp_path / "marker"
    result = run_module("command", {"_raw_params": f"touch {marker}", "creates": str(marker)})
    assert result["changed"] is True and marker.exists()
    again = run_module("command", {"_raw_params": f"touch {marker}", "creates": str(tmp_path / "mark*")})
    assert again["changed"] is False
    assert again["stdout"] == f"skipped, since {tmp_path / 'mark*'} exists"
    assert again["msg"] == f"Did not run command since '{tmp_path / 'mark*'}' exists"
    removed = run_module("command", {"_raw_params": f"rm {marker}", "removes": str(marker)})
    assert removed["changed"] is True and not marker.exists()
    assert run_module("command", {"_raw_params": f"rm {marker}", "removes": str(marker)})["changed"] is False


def test_command_check_mode_does_not_run(tmp_path):
    marker = tmp_path / "marker"
    result = run_module("command", {"_raw_params": f"touch {marker}"}, check=True)
    assert result["skipped"] is True and result["changed"] is False
    assert result["msg"] == "Command would have run if not in check mode"
    assert not marker.exists()
    decided = run_module("command", {"_raw_params": "true", "creates": str(tmp_path)}, check=True)
    assert decided["msg"] == f"Would not run command since '{tmp_path}' exists"


def test_command_rejects_bad_arguments():
    both = run_module("command", {"_raw_params": "ls", "argv": ["ls"]})
    assert both["msg"] == "parameters are mutually exclusive: _raw_params|cmd|argv"
    unknown = run_module("command", {"_raw_params": "ls", "bogus": 1})
    assert unknown["msg"].startswith("Unsupported parameters for (command) module: bogus. "
                                     "Supported parameters include: _raw_params, _uses_shell, argv, chdir")


def test_shell_uses_a_shell(tmp_path):
    result = run_module("shell", {"_raw_params": "echo $((1+2)) | tr 3 x; echo err >&2", "chdir": str(tmp_path)})
    assert result["stdout"] == "x" and result["stderr"] == "err"
    assert result["cmd"] == "echo $((1+2)) | tr 3 x; echo err >&2"
    failed = run_module("shell", {"_raw_params": "exit 7"})
    assert failed["failed"] is True and failed["rc"] == 7
    bash = run_module("shell", {"_raw_params": "echo ${BASH_VERSION:+bash}", "executable": "/bin/bash"})
    assert bash["stdout"] == "bash"
