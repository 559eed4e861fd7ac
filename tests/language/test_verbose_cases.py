"""Cases run at ``-vv`` (``verbose_cases/*``, recorded from ansible-playbook like the
language cases, with ``record.py``): what the engine says at
that verbosity, compared line for line with ansible-core's, leaving out the version
banner both print at ``-vv`` (its values are each engine's own: versions, paths) and
the "Skipping callback ..." lines corral does not print."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from .harness import normalize, run_case

HERE = Path(__file__).resolve().parent / "verbose_cases"
PROGRAM = str(Path(sys.executable).parent / "corral-playbook")
_NOT_YET = re.compile(r"^(ansible-playbook \[core |corral-playbook \[corral |  [a-z ]+ = |Skipping callback ')")


def comparable(text: str) -> list[str]:
    return [line for line in text.splitlines() if not _NOT_YET.match(line)]


@pytest.mark.parametrize("case_dir", sorted(p for p in HERE.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_verbose_case(case_dir):
    proc = run_case(case_dir, PROGRAM)
    assert proc.returncode == int((case_dir / "expected.rc").read_text())
    expected = (case_dir / "expected.stdout").read_text()
    assert comparable(normalize(proc.stdout, case_dir)) == comparable(expected), proc.stdout + proc.stderr
