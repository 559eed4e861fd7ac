"""Record ansible-core 2.21's transcripts of the terminal scenarios.

Usage: ``python tests/terminal/record.py [NAME ...]`` (every scenario when none is
given).  Uses ``.oracle/bin/ansible-playbook`` (``scripts/oracle-venv``); writes
``recorded/<name>.txt`` (normalised, the exit code on the first line).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.terminal.pty_session import normalize, run_scenario  # noqa: E402
from tests.terminal.scenarios import SCENARIOS  # noqa: E402

HERE = Path(__file__).resolve().parent
ORACLE = HERE.parents[1] / ".oracle" / "bin" / "ansible-playbook"


def main(names: list[str]) -> int:
    if not ORACLE.exists():
        print(f"no oracle at {ORACLE}: run scripts/oracle-venv first", file=sys.stderr)
        return 1
    for scenario in SCENARIOS:
        if names and scenario.name not in names:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp) / scenario.name
            transcript, rc = run_scenario(scenario, str(ORACLE), workdir)
            (HERE / "recorded" / f"{scenario.name}.txt").write_text(f"rc={rc}\n" + normalize(transcript, workdir))
        print(f"{scenario.name}: rc={rc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
