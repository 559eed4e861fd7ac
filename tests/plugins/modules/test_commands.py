"""corral-modules-commands: command, shell, raw, script and ping."""
from __future__ import annotations


def _results(result) -> list[dict]:
    return [outcome.result for outcome in result.hosts["localhost"].results]


def test_command_shell_raw_and_ping(corral_run) -> None:
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"command": "echo one | tr o 0"},
        {"shell": "echo $((1 + 1)) | sed s/2/two/"},
        {"raw": "echo raw; exit 0"},
        {"ping": {"data": "hello"}},
        {"command": {"cmd": "false"}, "ignore_errors": True},
    ]}])
    command, shell, raw, ping, failed = _results(result)
    assert command["stdout"] == "one | tr o 0"          # no shell: the pipe is an argument
    assert shell["stdout"] == "two"
    assert raw["rc"] == 0 and "raw" in raw["stdout"]
    assert ping["ping"] == "hello"
    assert failed["failed"] and failed["rc"] == 1


def test_creates_skips_a_command_and_script_runs_a_local_file(corral_run, tmp_path) -> None:
    script = tmp_path / "tool.sh"
    script.write_text("#!/bin/sh\necho \"args: $*\"\n")
    marker = tmp_path / "exists"
    marker.write_text("")
    result = corral_run.playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"command": {"cmd": "touch never", "creates": str(marker)}},
        {"script": f"{script} a b"},
    ]}])
    creates, ran = _results(result)
    assert creates["changed"] is False and "skipped" in creates["stdout"]
    assert ran["stdout"].strip() == "args: a b"
