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


def test_command_with_uses_shell(tmp_path):
    shell = {"_uses_shell": True}
    result = run_module("command", {**shell, "_raw_params": "echo $((1+2)) | tr 3 x; echo err >&2",
                                    "chdir": str(tmp_path)})
    assert result["stdout"] == "x" and result["stderr"] == "err"
    assert result["cmd"] == "echo $((1+2)) | tr 3 x; echo err >&2"
    failed = run_module("command", {**shell, "_raw_params": "exit 7"})
    assert failed["failed"] is True and failed["rc"] == 7
    bash = run_module("command", {**shell, "_raw_params": "echo ${BASH_VERSION:+bash}", "executable": "/bin/bash"})
    assert bash["stdout"] == "bash"


def test_commands_through_the_playbook(tmp_path, playbook):
    (tmp_path / "files").mkdir()
    script = tmp_path / "files" / "hello.sh"
    script.write_text("#!/bin/sh\necho \"hello $1 from $(pwd)\"\necho warn >&2\n")
    marker = tmp_path / "marker"
    result = playbook(f"""
    - shell: echo $((6*7)) | tr 4 X
    - command: cat
      args: {{stdin: piped}}
    - raw: echo raw-$((1+1))
    - script: hello.sh world
      args: {{chdir: {tmp_path}}}
    - command: touch {marker}
      args: {{creates: {marker}}}
    - shell: exit 3
      ignore_errors: true
    - raw: exit 4
      ignore_errors: true
    - ping:
    """)
    shell, stdin, raw, script_result, creates, failed_shell, failed_raw, ping = result["tasks"]
    assert shell["stdout"] == "X2" and shell["cmd"] == "echo $((6*7)) | tr 4 X"
    assert stdin["stdout"] == "piped"
    assert raw["stdout"].strip() == "raw-2" and raw["rc"] == 0 and raw["changed"] is True
    assert script_result["stdout_lines"] == [f"hello world from {tmp_path}"]
    assert script_result["stderr"].strip() == "warn"
    assert creates["changed"] is True and marker.exists()
    assert failed_shell["failed"] is True and failed_shell["rc"] == 3
    assert failed_raw["failed"] is True and failed_raw["rc"] == 4
    assert ping["ping"] == "pong"

    again = playbook(f"""
    - command: touch {marker}
      args: {{creates: {marker}}}
    - script: hello.sh
      args: {{creates: {marker}}}
    """)
    assert [t["changed"] for t in again["tasks"]] == [False, False]

    checked = playbook(f"""
    - shell: touch {tmp_path}/never
    - script: hello.sh
    """, "--check")
    assert checked["rc"] == 0 and not (tmp_path / "never").exists()
    assert checked["tasks"][0]["skipped"] is True


def _processes() -> dict[int, tuple[int, list[str]]]:
    """pid -> (ppid, argv) of the processes on this machine."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                argv = [part.decode(errors="replace") for part in handle.read().split(b"\0") if part]
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        found[int(entry)] = (ppid, argv)
    return found


def test_killed_module_fails_the_task_and_the_run_goes_on(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    playbook_file = tmp_path / "play.yml"
    playbook_file.write_text(
        "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
        "    - command: sleep 61.25\n      ignore_errors: true\n"
        "    - ping:\n")
    binary = os.path.join(os.path.dirname(sys.executable), "corral-playbook")
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="json")
    proc = subprocess.Popen([binary, "-i", "localhost,", "-c", "local", str(playbook_file)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    sleeper = None
    try:
        deadline = time.monotonic() + 30
        while sleeper is None and time.monotonic() < deadline:
            for pid, (ppid, argv) in _processes().items():
                if argv == ["sleep", "61.25"]:
                    sleeper = (pid, ppid)
            time.sleep(0.1)
        assert sleeper is not None, "the module's command never started"
        killed_at = time.monotonic()
        os.kill(sleeper[1], signal.SIGKILL)  # the module's Python process on the "target"
        out, err = proc.communicate(timeout=30)
        assert time.monotonic() - killed_at < 20
    finally:
        if proc.poll() is None:
            proc.kill()
        if sleeper is not None:
            try:
                os.kill(sleeper[0], signal.SIGKILL)
            except ProcessLookupError:
                pass
    import json
    data = json.loads(out)
    results = [task["hosts"]["localhost"] for task in data["plays"][0]["tasks"]]
    assert results[0]["failed"] is True
    assert results[0]["msg"].startswith("MODULE FAILURE")
    assert results[0]["rc"] in (-9, 137), "killed by SIGKILL (directly, or as the shell reports it)"
    assert results[1]["ping"] == "pong", "the run went on after the killed module"
