"""The target-side CPU of one ``setup`` run: the module's payload (as a connection
sends it) fed to a fresh ``/usr/bin/python3 -`` on this machine, CPU of the process
and of every command it waits for (``RUSAGE_CHILDREN``), min and median of N runs.

    .venv/bin/python benchmarks/setup_cpu.py [N] [GATHER_SUBSET,...]

Run it with two checkouts' venvs in turn (before, after, before, after...) to
compare them on a shared machine; the minimum is the figure to read."""
from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

from corral.executor.module_payload import build_module_payload
from corral.plugins.manager import PluginManager


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    args = {"gather_subset": sys.argv[2].split(",")} if len(sys.argv) > 2 else {}
    payload = build_module_payload(PluginManager().modules()["setup"], args)
    cpu, wall = [], []
    for _ in range(runs):
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        proc = subprocess.run(["/usr/bin/python3", "-"], input=payload, capture_output=True)
        end, after = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0 or b'"ansible_facts"' not in proc.stdout:
            raise SystemExit(proc.stderr.decode("utf-8", "replace")[-2000:])
        cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
        wall.append((end - start) * 1000)
    print(f"cpu min {min(cpu):.1f} median {statistics.median(cpu):.1f} ms; "
          f"wall min {min(wall):.1f} median {statistics.median(wall):.1f} ms (n={runs})")


if __name__ == "__main__":
    main()
