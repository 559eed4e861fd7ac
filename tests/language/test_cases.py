"""The playbook-language compatibility suite: every case under ``cases/`` run by
corral-playbook, compared with what ansible-playbook printed (see harness.py)."""
from __future__ import annotations

import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from .harness import case_dirs, normalize, run_case

PROGRAM = str(Path(sys.executable).parent / "corral-playbook")
CASE_DIRS = case_dirs()

#: the cases that also run on the ``inline`` executor (every case runs on ``forking``,
#: the default): each way a task reaches hosts, a few dozen plays in all
INLINE_CASES = ["016_register_command", "024_loop_basic", "029_until_retries", "040_block_rescue_always",
                "045_handlers_basic", "050_handlers_failed_host", "062_include_tasks", "068_roles_basic",
                "091_delegate_to", "093_serial_number", "100_strategy_free", "103_check_mode_task",
                "106_no_log", "108_environment", "109_meta_end_host", "118_add_host", "122_gather_facts",
                "141_local_action", "163_ignore_unreachable", "164_unreachable", "165_become_keywords",
                "172_meta_reset_refresh", "175_add_host_loop", "184_delegate_run_once", "192_until_loop",
                "195_failed_when_registered_loop"]
RUNS = [("forking", d) for d in CASE_DIRS] + [("inline", d) for d in CASE_DIRS if d.name in INLINE_CASES]


class _Outcomes:
    """The runs of the cases, made a batch at a time, a few at once (each run is a
    separate process): asking for a case that has not run runs it and the next ones
    of :data:`RUNS`, so that no single test waits for the whole suite."""

    BATCH = 12

    def __init__(self) -> None:
        self._done: dict[tuple[str, str], Any] = {}
        self._pool = ThreadPoolExecutor(3)

    @staticmethod
    def _run(executor: str, case_dir: Path) -> Any:
        return run_case(case_dir, PROGRAM, env={"CORRAL_EXECUTOR": executor})

    def __getitem__(self, key: tuple[str, str]) -> Any:
        if key not in self._done:
            start = next(i for i, (e, d) in enumerate(RUNS) if (e, d.name) == key)
            batch = [(e, d) for e, d in RUNS[start:] if (e, d.name) not in self._done][:self.BATCH]
            for (executor, case_dir), proc in zip(batch, self._pool.map(lambda item: self._run(*item), batch)):
                self._done[(executor, case_dir.name)] = proc
        return self._done[key]

    def close(self) -> None:
        self._pool.shutdown()


@pytest.fixture(scope="module")
def outcomes():
    """Every case's run, once per executor it is listed for (see :class:`_Outcomes`)."""
    runs = _Outcomes()
    yield runs
    runs.close()

def test_enough_cases():
    assert len(CASE_DIRS) >= 150
    assert len([d for d in CASE_DIRS if d.name in INLINE_CASES]) == len(INLINE_CASES)


@pytest.mark.parametrize("executor,case_dir", RUNS, ids=[f"{e}-{d.name}" if e != "forking" else d.name
                                                          for e, d in RUNS])
def test_case(executor, case_dir, outcomes):
    proc = outcomes[(executor, case_dir.name)]
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
