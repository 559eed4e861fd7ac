"""``sysvinit`` (and ``service`` on a host without systemd) with a real init script
in /etc/init.d (a unique name, removed afterwards) and fake ``update-rc.d`` and
``service`` programs first on PATH that record their argv (and make the rc links
the real update-rc.d would make, for this script only): enabling registers the
script (``update-rc.d NAME defaults``), a restart is stop, sleep, start, and
``runlevels``, ``pattern``, ``sleep``, ``arguments`` and check mode do what
ansible-core's sysvinit module does."""
from __future__ import annotations

import glob
import os
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest

from .conftest import run_module

SCRIPT = """#!/bin/sh
echo "script $*" >> {log}
case "$1" in
  start) touch {state} ;;
  stop) rm -f {state} ;;
  status) if [ -f {state} ]; then echo "is running"; exit 0; else echo "is stopped"; exit 3; fi ;;
esac
exit 0
"""
UPDATE_RC_D = """#!/bin/sh
echo "update-rc.d $*" >> {log}
case "$2" in
  defaults) for l in 2 3 4 5; do ln -sf ../init.d/$1 /etc/rc$l.d/S01$1; done
            for l in 0 1 6; do ln -sf ../init.d/$1 /etc/rc$l.d/K01$1; done ;;
  enable) n=$1; shift 2; for l in ${{@:-2 3 4 5}}; do rm -f /etc/rc$l.d/K01$n; ln -sf ../init.d/$n /etc/rc$l.d/S01$n; done ;;
  disable) for f in /etc/rc?.d/S01$1; do [ -e "$f" ] && mv "$f" "$(dirname $f)/K01$1"; done ;;
esac
"""
SERVICE = """#!/bin/sh
echo "service $*" >> {log}
name="$1"; shift
exec /etc/init.d/"$name" "$@"
"""


@pytest.fixture
def init_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A real init script with fake tools on PATH; yields its name and the log."""
    name = f"corral-test-{uuid.uuid4().hex[:8]}"
    log, state = tmp_path / "argv.log", tmp_path / "running"
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for program, text in (("update-rc.d", UPDATE_RC_D), ("service", SERVICE)):
        (bindir / program).write_text(text.format(log=log))
        (bindir / program).chmod(0o755)
    script = Path("/etc/init.d") / name
    script.write_text(SCRIPT.format(log=log, state=state))
    script.chmod(0o755)
    for level in "0123456":
        os.makedirs(f"/etc/rc{level}.d", exist_ok=True)
    monkeypatch.setenv("PATH", f"{bindir}:{os.environ['PATH']}")
    try:
        yield {"name": name, "log": log, "state": state}
    finally:
        script.unlink()
        for link in glob.glob(f"/etc/rc?.d/[SK]01{name}"):
            os.unlink(link)


def calls(log: Path) -> list[str]:
    """The recorded commands since the last call, the log emptied."""
    lines = log.read_text().splitlines() if log.exists() else []
    log.write_text("")
    return lines


def test_enabling_registers_the_script_then_is_idempotent(init_script: dict[str, Any]) -> None:
    name, log = init_script["name"], init_script["log"]
    checked = run_module("sysvinit", {"name": name, "enabled": True}, check=True)
    assert checked["changed"] is True and checked["status"]["enabled"]["changed"] is True
    assert calls(log) == [f"service {name} status", "script status"]
    first = run_module("sysvinit", {"name": name, "enabled": True})
    assert first["changed"] is True and first["status"]["enabled"]["rc"] == 0
    assert calls(log)[-1] == f"update-rc.d {name} defaults"
    assert glob.glob(f"/etc/rc2.d/S??{name}")
    again = run_module("sysvinit", {"name": name, "enabled": True})
    assert again["changed"] is False and "update-rc.d" not in " ".join(calls(log))
    disabled = run_module("sysvinit", {"name": name, "enabled": False})
    assert disabled["changed"] is True and calls(log)[-1] == f"update-rc.d {name} disable"
    assert not glob.glob(f"/etc/rc?.d/S??{name}")
    levels = run_module("sysvinit", {"name": name, "enabled": True, "runlevels": ["3", "5"]})
    assert levels["changed"] is True and levels["status"]["enabled"]["runlevels"] == ["3", "5"]
    assert calls(log)[-1] == f"update-rc.d {name} enable 3 5"
    assert run_module("sysvinit", {"name": name, "enabled": True, "runlevels": ["3"]})["changed"] is False


def test_states_restart_sleep_arguments_and_pattern(init_script: dict[str, Any]) -> None:
    name, log, state = init_script["name"], init_script["log"], init_script["state"]
    started = run_module("sysvinit", {"name": name, "state": "started", "arguments": "--quiet"})
    assert started["changed"] is True and state.exists()
    assert calls(log) == [f"service {name} status", "script status", "script start --quiet"]
    assert started["status"]["started"] == {"changed": True, "rc": 0, "stdout": "", "stderr": ""}
    assert run_module("sysvinit", {"name": name, "state": "started"})["changed"] is False
    calls(log)
    restarted = run_module("sysvinit", {"name": name, "state": "restarted", "sleep": 0})
    assert restarted["changed"] is True
    assert calls(log)[-2:] == ["script stop", "script start"]
    reloaded = run_module("sysvinit", {"name": name, "state": "reloaded"})
    assert reloaded["changed"] is True and calls(log)[-1] == "script reload"
    # the status says running, but the process table decides when a pattern is given
    by_pattern = run_module("sysvinit", {"name": name, "state": "stopped", "pattern": f"no-process-{name}"})
    assert by_pattern["changed"] is False and "script stop" not in calls(log)
    stopped = run_module("sysvinit", {"name": name, "state": "stopped"}, check=True)
    assert stopped["changed"] is True and state.exists() and "script stop" not in calls(log)
    assert run_module("sysvinit", {"name": name, "state": "stopped"})["changed"] is True and not state.exists()


def test_service_action_uses_the_init_script_without_systemd(init_script: dict[str, Any], playbook: Any) -> None:
    if os.path.isdir("/run/systemd/system"):
        pytest.fail("this test needs a host without systemd (corral's CI containers)")
    name, log = init_script["name"], init_script["log"]
    tasks = f"""
    - service: {{name: {name}, state: started, enabled: true, runlevel: default, sleep: 0, arguments: -q}}
    """
    first = playbook(tasks)
    assert first["rc"] == 0 and first["tasks"][0]["changed"] is True, first["stdout"]
    recorded = calls(log)
    assert f"update-rc.d {name} defaults" in recorded and "script start -q" in recorded
    second = playbook(tasks)
    assert second["tasks"][0]["changed"] is False
