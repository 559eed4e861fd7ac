"""The error text of the language cases that have an ``expected.errors`` (recorded from
ansible-playbook with ``record.py``): errors that point at the keyword, value or line
that caused them (``Origin:``, the source lines, ``<<< caused by >>>``, Ansible's
hints), compared line for line with ansible-core's."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .harness import case_dirs, error_text, run_case

PROGRAM = str(Path(sys.executable).parent / "corral-playbook")
CASES = [p for p in case_dirs() if (p / "expected.errors").is_file()]


@pytest.mark.parametrize("case_dir", CASES, ids=lambda p: p.name)
def test_error_text(case_dir):
    proc = run_case(case_dir, PROGRAM)
    assert proc.returncode == int((case_dir / "expected.rc").read_text())
    assert error_text(proc.stdout, proc.stderr, case_dir) == (case_dir / "expected.errors").read_text()
