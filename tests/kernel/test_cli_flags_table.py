"""The flag table (``scripts/cli-flags``): every flag of ansible-core 2.21's CLIs has
corral's equivalent and a test that proves it acts, or is a known gap with its
reason; ``docs/cli-flags.md`` is the table the script makes now."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_flag_acts_or_is_a_known_gap_and_the_table_is_current() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "cli-flags"), "--check"], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    table = (ROOT / "docs" / "cli-flags.md").read_text()
    assert "| `--start-at-task` | `--start-at-task` | acting |" in table
    assert "`ansible-console`" in table
