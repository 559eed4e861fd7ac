"""Time plays on local-connection hosts: corral vs ansible-playbook (if installed).

Two workloads, each on ``--hosts`` inventory hosts that all use the local connection:

- ``controller``: ``--tasks`` ``debug`` tasks (no module runs on a target), so the
  time is the engine's own overhead per task per host;
- ``modules``: ``--tasks`` tasks alternating ``command`` and ``debug``.

Usage (from the repository root):

    .venv/bin/python benchmarks/local/bench.py [--hosts 10] [--tasks 20] [--forks 5] [--repeat 3]
        [--json results.json]

The peer is ``.oracle/bin/ansible-playbook`` (``scripts/oracle-venv``).  Reports the
median wall time of each engine, the ratio, and the overhead per task per host.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def workload(kind: str, tasks: int) -> list[dict]:
    steps = []
    for i in range(tasks):
        if kind == "modules" and i % 2 == 0:
            steps.append({"name": f"command {i}", "command": "true"})
        else:
            steps.append({"name": f"debug {i}", "debug": {"msg": "{{ inventory_hostname }} step %d" % i}})
    return [{"hosts": "all", "gather_facts": False, "tasks": steps}]


def time_engine(command: list[str], repeat: int) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env["ANSIBLE_NOCOLOR"] = "1"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"{command[0]} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        times.append(elapsed)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--forks", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    corral = ROOT / ".venv" / "bin" / "corral-playbook"
    ansible = ROOT / ".oracle" / "bin" / "ansible-playbook"
    report: dict = {"hosts": args.hosts, "tasks": args.tasks, "forks": args.forks, "results": {}}
    with tempfile.TemporaryDirectory(prefix="corral-bench-") as tmp:
        inventory = Path(tmp) / "inventory.ini"
        inventory.write_text("".join(
            f"h{i:03d} ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"
            for i in range(args.hosts)))
        for kind in ("controller", "modules"):
            playbook = Path(tmp) / f"{kind}.yml"
            playbook.write_text(json.dumps(workload(kind, args.tasks)))
            common = ["-i", str(inventory), str(playbook), "-f", str(args.forks)]
            row = {"corral": time_engine([str(corral), *common], args.repeat)}
            if ansible.exists():
                row["ansible"] = time_engine([str(ansible), *common], args.repeat)
                row["ratio"] = row["ansible"] / row["corral"]
            row["corral_ms_per_task_per_host"] = 1000 * row["corral"] / (args.tasks * args.hosts)
            report["results"][kind] = row
            line = f"{kind:<11} corral {row['corral']:7.2f}s"
            if "ansible" in row:
                line += f"   ansible {row['ansible']:7.2f}s   ansible/corral {row['ratio']:5.1f}x"
            line += f"   corral {row['corral_ms_per_task_per_host']:.1f} ms per task per host"
            print(line, flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.exit(main())
