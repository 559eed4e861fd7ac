"""The playbook-language compatibility suite: every case under ``cases/`` run by
corral-playbook, compared with what ansible-playbook printed (see harness.py)."""
from __future__ import annotations

import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .harness import case_dirs, normalize, run_case

PROGRAM = str(Path(sys.executable).parent / "corral-playbook")
CASE_DIRS = case_dirs()

@pytest.fixture(scope="module")
def outcomes():
    """Run every case once, a few at a time (each run is a separate process)."""
    with ThreadPoolExecutor(3) as pool:
        procs = list(pool.map(lambda d: run_case(d, PROGRAM), CASE_DIRS))
    return {d.name: p for d, p in zip(CASE_DIRS, procs)}

def test_enough_cases():
    assert len(CASE_DIRS) >= 150


@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=[d.name for d in CASE_DIRS])
def test_case(case_dir, outcomes):
    proc = outcomes[case_dir.name]
    expected_rc = int((case_dir / "expected.rc").read_text())
    report = f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    assert proc.returncode == expected_rc, report
    assert normalize(proc.stdout, case_dir) == (case_dir / "expected.stdout").read_text(), report
    expect_error = case_dir / "expect_error"
    if expect_error.is_file():
        combined = proc.stdout + proc.stderr
        for pattern in expect_error.read_text().splitlines():
            if pattern.strip():
                assert re.search(pattern, combined), f"{pattern!r} not in output\n{report}"
