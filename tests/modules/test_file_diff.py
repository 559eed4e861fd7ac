"""``file``'s ``--diff`` as ansible-core 2.21 shows it, where a recorded language
case cannot hold it (times and modes of files made by the test): run the same tasks
with ``.oracle/bin/ansible-playbook`` and ``corral-playbook`` on two copies of the
same files and compare the diffs, times replaced by what they stand for (the file's
time before the task, the time the task ran, or the time asked for)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO / ".oracle" / "bin" / "ansible-playbook"
CORRAL = Path(sys.executable).parent / "corral-playbook"
OLD = 1_500_000_000.0       # the files' times before the tasks

TASKS = {
    "touch": {"state": "touch"},
    "touch-with-mode": {"state": "touch", "mode": "0600"},
    "mtime-only": {"state": "file", "modification_time": "202001010000.00"},
    "mode-only": {"state": "file", "mode": "0600"},
    "directory-mode": {"state": "directory", "mode": "0700"},
}


def _diff(program: Path, workdir: Path, name: str, check: bool) -> object:
    workdir.mkdir()
    target = workdir / ("adir" if name.startswith("directory") else "f")
    target.mkdir() if name.startswith("directory") else target.write_text("x\n")
    os.chmod(target, 0o755 if target.is_dir() else 0o644)
    os.utime(target, (OLD, OLD))
    (workdir / "hosts").write_text("h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n")
    args = {"path": str(target), **TASKS[name]}
    (workdir / "site.yml").write_text(json.dumps([{"hosts": "h1", "gather_facts": False, "tasks": [
        {"file": args, "register": "r"}, {"copy": {"content": "{{ r.diff | to_json }}", "dest": str(workdir / "d")},
                                         "check_mode": False}]}]))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    started = time.time()
    proc = subprocess.run([str(program), "-i", "hosts", "site.yml", "--diff", *(["--check"] if check else [])],
                          cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return _times_named(json.loads((workdir / "d").read_text()), started, str(workdir))


def _times_named(value: object, started: float, workdir: str) -> object:
    if isinstance(value, dict):
        return {k: _times_named(v, started, workdir) for k, v in value.items()}
    if isinstance(value, float):
        return "OLD" if value == OLD else "NOW" if started - 1 <= value <= time.time() + 1 else value
    if isinstance(value, str):
        return value.replace(workdir, "<DIR>")
    return value


@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
@pytest.mark.parametrize("name", TASKS)
def test_file_diff_is_ansibles(name, check, tmp_path) -> None:
    assert _diff(CORRAL, tmp_path / "corral", name, check) == _diff(ORACLE, tmp_path / "ansible", name, check)
