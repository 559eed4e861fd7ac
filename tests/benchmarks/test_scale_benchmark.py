"""The ``scale`` benchmark's measurements and its runner, on real processes (timings
are never asserted: only that what is measured is there and plausible)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks" / "scale"))

from measure import measure  # noqa: E402

#: a parent that forks a child; the child holds 64 MiB and both burn CPU for a while
BUSY = """
import os, time
child = os.fork()
if child == 0:
    block = bytearray(64 * 2**20)
    for i in range(0, len(block), 4096):
        block[i] = 1
end = time.process_time() + 0.6
while time.process_time() < end:
    pass
if child == 0:
    time.sleep(0.6)
    os._exit(0)
os.waitpid(child, 0)
print("done")
"""


def test_measure_sees_the_whole_tree(tmp_path: Path) -> None:
    sample = measure([sys.executable, "-c", BUSY], {}, tmp_path / "out.txt", timeout=60, interval=0.05)
    assert sample.rc == 0 and "done" in sample.output_tail
    assert sample.cpu >= 1.0, "the child's CPU counts with the parent's"
    assert sample.tree.processes == 2
    assert sample.tree.pss_kib >= 60 * 1024, "the child's memory counts"
    assert sample.main_hwm_kib < sample.tree.pss_kib
    assert sample.wall >= 1.0


#: a parent whose short-lived children burn CPU, each reaped before the next
FORKER = """
import os, sys, time
for _ in range(8):
    child = os.fork()
    if child == 0:
        end = time.process_time() + 0.1
        while time.process_time() < end:
            pass
        os._exit(0)
    os.waitpid(child, 0)
    time.sleep(0.05)
open(sys.argv[1], "w").close()
time.sleep(60)
"""


def test_measure_counts_an_extra_tree_s_short_lived_processes(tmp_path: Path) -> None:
    """A Ray node's module runs live shorter than a sampling interval: their CPU is
    counted through the process that reaped them."""
    done = tmp_path / "done"
    node = subprocess.Popen([sys.executable, "-c", FORKER, str(done)])
    wait = f"import os, time\nwhile not os.path.exists({str(done)!r}): time.sleep(0.05)"
    try:
        sample = measure([sys.executable, "-c", wait], {}, tmp_path / "out.txt",
                         timeout=60, interval=0.5, extra_roots={"node": [node.pid]}, settle=0.1)
    finally:
        node.kill()
        node.wait()
    assert 0.7 <= sample.extra["node"].cpu_seconds < 2.0
    assert sample.extra["node"].processes >= 1


def test_measure_kills_a_run_past_its_timeout(tmp_path: Path) -> None:
    sample = measure([sys.executable, "-c", "import time; time.sleep(60)"], {}, tmp_path / "out.txt",
                     timeout=0.5, interval=0.05)
    assert sample.rc == -9 and sample.wall < 30


def test_run_times_a_small_fleet(tmp_path: Path) -> None:
    out = tmp_path / "scale.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale" / "run.py"), "--sizes", "3,6",
                           "--ssh", "0", "--repeat", "1", "--forks", "2", "--json", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = json.loads(out.read_text())["rows"]
    assert [(row["workload"], row["executor"], row["rcs"]) for row in rows] == [
        ("local-3", "forking", [0]), ("local-6", "forking", [0])]
    assert all(row["processes"][0] >= 2 and row["tree_pss_mib"][0] > 0 for row in rows)
    assert "| local-6 | forking | 1 |" in done.stdout
