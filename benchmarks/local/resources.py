"""Peak resources of one run on many local-connection hosts: processes, RSS, file descriptors.

Runs ``corral-playbook`` (or, with ``--engine ansible``, ``.oracle/bin/ansible-playbook``)
on ``--hosts`` local hosts x ``--tasks`` tasks (alternating ``command`` and ``ping``)
with ``--forks``, optionally under ``--nofile`` (the ``ulimit -n`` of the run), and
samples ``/proc`` every ``--interval`` seconds for the run's whole process tree.

Usage (from the repository root):

    .venv/bin/python benchmarks/local/resources.py [--hosts 200] [--tasks 20] [--forks 50]
        [--nofile 128] [--engine corral|ansible]

Prints the exit code, wall time, how many hosts failed or were unreachable, whether
"Too many open files" was printed, and the peaks: processes in the tree, the sum of
their RSS, the sum of their open file descriptors, and the main process's own fds.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def tree_of(root: int) -> list[int]:
    """``root`` and every process below it, from ``/proc``."""
    tree = _children()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            match = re.search(r"^VmRSS:\s+(\d+)", handle.read(), re.M)
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def fd_count(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--nofile", type=int, default=0, help="RLIMIT_NOFILE of the run (0: unchanged)")
    parser.add_argument("--interval", type=float, default=0.05)
    parser.add_argument("--engine", choices=("corral", "ansible"), default="corral")
    args = parser.parse_args()
    binary = (ROOT / ".venv" / "bin" / "corral-playbook" if args.engine == "corral"
              else ROOT / ".oracle" / "bin" / "ansible-playbook")
    if not binary.exists():
        binary = Path("/work/main/.oracle/bin/ansible-playbook")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env["ANSIBLE_NOCOLOR"] = "1"

    def limit() -> None:
        if args.nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE, (args.nofile, args.nofile))

    with tempfile.TemporaryDirectory(prefix="corral-resources-") as tmp:
        inventory = Path(tmp) / "inventory.ini"
        inventory.write_text("".join(
            f"h{i:03d} ansible_connection=local ansible_python_interpreter={sys.executable}\n"
            for i in range(1, args.hosts + 1)))
        steps = [{"command": "true"} if i % 2 == 0 else {"ping": {}} for i in range(args.tasks)]
        playbook = Path(tmp) / "play.yml"
        playbook.write_text(json.dumps([{"hosts": "all", "gather_facts": False, "tasks": steps}]))
        out_path = Path(tmp) / "out.txt"
        start = time.perf_counter()
        with open(out_path, "wb") as out:
            proc = subprocess.Popen([str(binary), "-i", str(inventory), str(playbook), "-f", str(args.forks)],
                                    stdout=out, stderr=subprocess.STDOUT, env=env, preexec_fn=limit,
                                    stdin=subprocess.DEVNULL)
            peaks = {"processes": 0, "rss_mib": 0.0, "fds": 0, "main_fds": 0}
            while proc.poll() is None:
                pids = tree_of(proc.pid)
                peaks["processes"] = max(peaks["processes"], len(pids))
                peaks["rss_mib"] = max(peaks["rss_mib"], sum(rss_kib(p) for p in pids) / 1024)
                peaks["fds"] = max(peaks["fds"], sum(fd_count(p) for p in pids))
                peaks["main_fds"] = max(peaks["main_fds"], fd_count(proc.pid))
                time.sleep(args.interval)
        elapsed = time.perf_counter() - start
        text = out_path.read_text(errors="replace")
    recap = text.split("PLAY RECAP")[-1]
    bad = sum(1 for m in re.finditer(r"unreachable=(\d+)\s+failed=(\d+)", recap)
              if int(m.group(1)) or int(m.group(2)))
    print(json.dumps({"engine": args.engine, "hosts": args.hosts, "tasks": args.tasks, "forks": args.forks,
                      "nofile": args.nofile or None, "rc": proc.returncode, "seconds": round(elapsed, 2),
                      "hosts_failed_or_unreachable": bad,
                      "too_many_open_files": "Too many open files" in text,
                      "peak_processes": peaks["processes"], "peak_rss_mib": round(peaks["rss_mib"]),
                      "peak_fds": peaks["fds"], "peak_main_fds": peaks["main_fds"]}))


if __name__ == "__main__":
    main()
