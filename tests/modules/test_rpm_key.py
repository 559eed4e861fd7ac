"""rpm_key against a stand-in ``rpm``/``rpmkeys`` (RPM does not run here): a shell script that records
its arguments and keeps the imported key ids in a file; the module's commands, check mode and a
second run that changes nothing."""
from __future__ import annotations

import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _fake_rpm(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("rpm", "rpmkeys"):
        shutil.copy(DATA / "fake_rpm.sh", bin_dir / name)
        (bin_dir / name).chmod(0o755)
    return bin_dir


def test_import_and_erase_through_rpm(tmp_path, playbook) -> None:
    bin_dir = _fake_rpm(tmp_path)
    key = DATA / "test-key.asc"
    log, db = tmp_path / "log", tmp_path / "db"
    env = (f"  environment: {{PATH: '{bin_dir}:/usr/local/bin:/usr/bin:/bin', FAKE_RPM_LOG: '{log}', "
           f"FAKE_RPM_DB: '{db}'}}\n")
    tasks = "\n".join(f"- {task}\n{env}" for task in [
        f"rpm_key: {{key: '{key}'}}\n  check_mode: true",
        f"rpm_key: {{key: '{key}', fingerprint: '5D64 4BB6 E6BE 8391 F333  E128 B586 A923 67D7 39AA'}}",
        f"rpm_key: {{key: '{key}'}}",
        f"rpm_key: {{key: '{key}', fingerprint: '0000000000000000000000000000000000000000'}}\n  ignore_errors: true",
        "rpm_key: {key: '0x67D739AA', state: absent}\n  check_mode: true",
        "rpm_key: {key: 'B586A92367D739AA', state: absent}",
        "rpm_key: {key: '67D739AA', state: absent}",
        "rpm_key: {key: 'nothex', state: absent}\n  ignore_errors: true",
    ])
    run = playbook(tasks)
    changed = [task.get("changed") for task in run["tasks"]]
    assert changed == [True, True, False, False, True, True, False, False]
    assert run["tasks"][3]["msg"].startswith("The specified fingerprint, '0000000000000000000000000000000000000000', "
                                             "does not match any key fingerprints")
    assert run["tasks"][7]["msg"] == "Not a valid key nothex"
    commands = log.read_text().splitlines()
    assert f"rpmkeys --import {key}" in commands
    assert "rpm --erase --allmatches gpg-pubkey-67d739aa" in commands
    assert commands.count(f"rpmkeys --import {key}") == 1 and db.read_text() == ""
