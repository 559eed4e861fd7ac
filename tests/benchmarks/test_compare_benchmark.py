"""``benchmarks/compare.py``, the one command for every workload: it runs the engines
side by side and reports them (timings are never asserted, only that each engine ran,
was checked and is in the table with its ratio)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from compare import cached_facts_check, pyinfra_deploy_check, recap_check  # noqa: E402

PYINFRA_RESULTS = """
--> Results:
    Operation     Hosts   Success   Error   No Change
    base          2       -         -       2
    copy 2        2       2         -       -
    Grand total   4       2         -       2
"""


def test_startup_and_inventory_side_by_side_with_ansible(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "compare.py"), "--only", "startup,inventory-10k",
                          "--engines", "corral,ansible", "--rounds", "1"],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    rows = [line.split("|") for line in out.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    table = {(row[1].strip(), row[2].strip()): row for row in rows[1:]}
    assert set(table) == {("startup", "corral"), ("startup", "ansible"),
                          ("inventory-10k", "corral"), ("inventory-10k", "ansible")}, out.stdout
    for (_, engine), row in table.items():
        assert float(row[4].split()[0]) > 0, row              # wall seconds
        assert (row[7].strip() != "") == (engine != "corral"), row   # a peer's ratio to corral


def test_output_checks_refuse_incomplete_runs() -> None:
    assert pyinfra_deploy_check(2)(PYINFRA_RESULTS) == ""
    assert "not run on 3 hosts" in pyinfra_deploy_check(3)(PYINFRA_RESULTS)
    assert pyinfra_deploy_check(2)(PYINFRA_RESULTS.replace("copy 2        2       2         -",
                                                           "copy 2        2       1         1")) != ""
    recap = ("h1 : ok=2    changed=0    unreachable=0    failed=0\n"
             "h2 : ok=1    changed=0    unreachable=0    failed=1\n")
    assert "hosts not ok" in recap_check(2)(recap)
    assert recap_check(2, failed_ok=True)(recap) == ""
    assert "1 recap lines, 2 expected" in recap_check(2)(recap.splitlines()[0])


def test_the_cached_facts_check_refuses_a_run_that_gathered() -> None:
    shown = '    "ansible_facts.system": "Linux"\n'
    recap = "h1 : ok=1    changed=0    unreachable=0    failed=0\n"
    assert cached_facts_check(1)(shown + recap) == ""
    assert cached_facts_check(1)("TASK [Gathering Facts] ***\n" + shown + recap) == "facts were gathered again"
    assert "expected" in cached_facts_check(1)(recap)          # the cached fact is not shown
