"""systemd_service (and its alias systemd) against a stand-in ``systemctl`` that records its arguments,
run as root in a mount namespace where ``/run/systemd/system`` exists (systemd does not run the test
machine): states, enabling with ``force``, masking, daemon-reload, check mode and a second run that
changes nothing."""
from __future__ import annotations

import shutil
from pathlib import Path

from .namespaces import run_in_namespaces

DATA = Path(__file__).resolve().parent / "data"


def test_units_through_systemctl(tmp_path) -> None:
    bin_dir, units, run_dir = tmp_path / "bin", tmp_path / "units", tmp_path / "run-systemd"
    for folder in (bin_dir, units, run_dir / "system"):
        folder.mkdir(parents=True)
    shutil.copy(DATA / "fake_systemctl.sh", bin_dir / "systemctl")
    (bin_dir / "systemctl").chmod(0o755)
    (units / "nginx.service.known").touch()
    log = tmp_path / "log"
    env = f"  environment: {{PATH: '{bin_dir}:/usr/bin:/bin', FAKE_LOG: '{log}', FAKE_UNITS: '{units}'}}\n"
    tasks = "\n".join(f"- {task}\n{env}" for task in [
        "systemd_service: {name: nginx, state: started, enabled: true, force: true}\n  check_mode: true",
        "systemd_service: {name: nginx, state: started, enabled: true, force: true, daemon_reload: true}",
        "systemd: {name: nginx.service, masked: false, state: started}",
        "systemd: {name: nginx, state: stopped, enabled: false}",
        "systemd_service: {name: nowhere, state: started}\n  ignore_errors: true",
    ])
    first, second = run_in_namespaces(tmp_path, tasks, ["mount"], runs=2,
                                      setup=f"mount --bind {run_dir} /run/systemd")
    assert [task.get("changed") for task in first["tasks"]] == [True, True, False, True, False]
    assert first["tasks"][4]["msg"] == "Could not find the requested service nowhere: host"
    assert [task.get("changed") for task in second["tasks"][:4]] == [True, True, False, True]
    commands = [line for line in log.read_text().splitlines()
                if not line.startswith(("systemctl show", "systemctl is-enabled"))]
    assert commands[:3] == ["systemctl daemon-reload", "systemctl --force enable nginx.service",
                            "systemctl start nginx.service"]
    assert commands[3:5] == ["systemctl disable nginx.service", "systemctl stop nginx.service"]
