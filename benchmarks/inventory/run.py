"""Time corral's inventory on 10,000 hosts, side by side with Ansible when installed.

Usage: ``.venv/bin/python benchmarks/inventory/run.py [--repeat N]``

For a 10,000-host INI inventory and a 10,000-host dynamic inventory script it
reports the wall time of ``corral-inventory --list`` and of
``ansible-inventory --list`` (from ``.oracle/``, see ``scripts/oracle-venv``),
best of N runs, and their ratio; then the time to load each inventory in
process and to resolve a set of host patterns (corral's InventoryManager, and
Ansible's run by the oracle's own Python).  Both tools' ``--list`` outputs are
checked to be equal.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from generate import generate  # noqa: E402

CORRAL = os.path.join(ROOT, ".venv", "bin", "corral-inventory")
ORACLE_BIN = os.path.join(ROOT, ".oracle", "bin")
ANSIBLE = os.path.join(ORACLE_BIN, "ansible-inventory")

PATTERNS = ["all", "g05*", "dc1:&g01*:!h010-00*", "~h0[0-4][0-9]-0[0-4][0-9]", "dc3[10:200]",
            "all:!dc0:!dc1", "g001,g002,h099-099.example.com", "extra[-1]"]

# Runs inside each tool's own interpreter: load once, then time the patterns.
PATTERN_PROBE = textwrap.dedent("""
    import json, sys, time
    source, patterns, repeat, tool = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if tool == "ansible":
        from ansible.parsing.dataloader import DataLoader
        from ansible.inventory.manager import InventoryManager
        from ansible.utils.display import Display
        Display().verbosity = 0
    else:
        from corral.parsing.dataloader import DataLoader
        from corral.inventory.manager import InventoryManager
    start = time.perf_counter()
    inv = InventoryManager(loader=DataLoader(), sources=[source])
    load = time.perf_counter() - start
    counts, best = {}, float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for pattern in patterns:
            inv.clear_pattern_cache()
            inv._hosts_patterns_cache = {}  # Ansible keeps this one across clear_pattern_cache()
            counts[pattern] = len(inv.get_hosts(pattern))
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"load": load, "patterns": best, "counts": counts}))
""")


def best_of(command: list[str], repeat: int, cwd: str) -> tuple[float, str]:
    best, output = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {proc.stderr}")
        best, output = min(best, elapsed), proc.stdout
    return best, output


def probe(python: str, tool: str, source: str, repeat: int, cwd: str) -> dict:
    proc = subprocess.run([python, "-c", PATTERN_PROBE, source, json.dumps(PATTERNS), str(repeat), tool],
                          cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"pattern probe ({tool}) failed: {proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    have_oracle = os.path.exists(ANSIBLE)
    results = {}
    with tempfile.TemporaryDirectory() as work:
        sources = generate(os.path.join(work, "inventories"))
        cwd = os.path.join(work, "cwd")
        os.makedirs(cwd)
        for case, source in sources.items():
            row: dict = {}
            row["corral_list"], corral_out = best_of([CORRAL, "-i", source, "--list"], args.repeat, cwd)
            corral_probe = probe(sys.executable, "corral", source, args.repeat, cwd)
            row["corral_load"], row["corral_patterns"] = corral_probe["load"], corral_probe["patterns"]
            if have_oracle:
                row["ansible_list"], ansible_out = best_of([ANSIBLE, "-i", source, "--list"], args.repeat, cwd)
                ansible_data = json.loads(ansible_out)
                ansible_data["_meta"].pop("profile", None)
                row["same_output"] = ansible_data == json.loads(corral_out)
                ansible_probe = probe(os.path.join(ORACLE_BIN, "python"), "ansible", source, args.repeat, cwd)
                row["ansible_load"], row["ansible_patterns"] = ansible_probe["load"], ansible_probe["patterns"]
                row["same_pattern_counts"] = ansible_probe["counts"] == corral_probe["counts"]
            results[case] = row
    print(f"10,000-host inventories, best of {args.repeat} (seconds)")
    header = f"{'case':8} {'measure':28} {'corral':>9} {'ansible':>9} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for case, row in results.items():
        for key, label in (("list", "inventory --list (process)"), ("load", "load in process"),
                           ("patterns", f"{len(PATTERNS)} patterns resolved")):
            corral = row[f"corral_{key}"]
            ansible = row.get(f"ansible_{key}")
            ratio = f"{ansible / corral:6.1f}x" if ansible else "    n/a"
            ansible_text = f"{ansible:9.3f}" if ansible else "      n/a"
            print(f"{case:8} {label:28} {corral:9.3f} {ansible_text} {ratio}")
        if have_oracle:
            print(f"{case:8} same --list output: {row['same_output']}; same pattern matches: "
                  f"{row['same_pattern_counts']}")
    if not have_oracle:
        print("(ansible-core oracle not installed: run scripts/oracle-venv for the comparison)")
    return 0 if all(row.get("same_output", True) and row.get("same_pattern_counts", True)
                    for row in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
