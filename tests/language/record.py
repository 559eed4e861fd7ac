"""Re-record the expectations of the language cases with ansible-playbook.

Usage: ``python tests/language/record.py [NAME_SUBSTRING ...]`` (all cases when no
name is given; the ``-vv`` cases of ``verbose_cases/`` too).  Uses ``.oracle/bin/ansible-playbook`` (see scripts/oracle-venv).
Writes ``expected.stdout`` (normalised) and ``expected.rc`` in each case directory, and
``expected.errors`` where the case has one (the error text is what it is about).
``--compare`` instead runs corral-playbook and prints the differences with the
recordings (for working on a failing case).
"""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import difflib  # noqa: E402

from tests.language.harness import case_dirs, error_text, normalize, run_case  # noqa: E402

ORACLE = Path(__file__).resolve().parents[2] / ".oracle" / "bin" / "ansible-playbook"


def record(case_dir: Path) -> str:
    proc = run_case(case_dir, str(ORACLE))
    (case_dir / "expected.stdout").write_text(normalize(proc.stdout, case_dir))
    if (case_dir / "expected.errors").exists():     # a case about the error text (test_error_text.py)
        (case_dir / "expected.errors").write_text(error_text(proc.stdout, proc.stderr, case_dir))
    (case_dir / "expected.rc").write_text(f"{proc.returncode}\n")
    return f"{case_dir.name}: rc={proc.returncode}"


CORRAL = Path(sys.executable).parent / "corral-playbook"


def compare(case_dir: Path) -> str:
    proc = run_case(case_dir, str(CORRAL))
    expected = (case_dir / "expected.stdout").read_text().splitlines()
    actual = normalize(proc.stdout, case_dir).splitlines()
    rc = int((case_dir / "expected.rc").read_text())
    diff = list(difflib.unified_diff(expected, actual, "ansible", "corral", lineterm="", n=2))
    if not diff and rc == proc.returncode:
        return f"{case_dir.name}: same"
    stderr = proc.stderr.strip()[-1500:]
    return "\n".join([f"{case_dir.name}: rc ansible={rc} corral={proc.returncode}", *diff,
                      f"stderr: {stderr}" if stderr else ""])


def main(names: list[str]) -> int:
    if names and names[0] == "--compare":
        chosen = [d for d in case_dirs() if len(names) == 1 or any(n in d.name for n in names[1:])]
        with ThreadPoolExecutor(3) as pool:
            for text in pool.map(compare, chosen):
                print(text)
        return 0
    if not ORACLE.exists():
        print(f"no oracle at {ORACLE}: run scripts/oracle-venv first", file=sys.stderr)
        return 1
    verbose = sorted(p for p in (Path(__file__).resolve().parent / "verbose_cases").iterdir() if p.is_dir())
    chosen = [d for d in case_dirs() + verbose if not names or any(n in d.name for n in names)]
    with ThreadPoolExecutor(4) as pool:
        for line in pool.map(record, chosen):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
