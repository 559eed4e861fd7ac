"""Time a play of N tasks on M hosts over SSH: corral vs ansible-playbook (if installed).

Starts a throwaway OpenSSH server on loopback (127.0.0.1..127.0.0.M, one port) with a
throwaway user (pytest-corral's helpers; needs root and openssh-server), writes an
INI inventory and a playbook, then runs each engine on the same files and prints
wall times and the ratio.  Usage (from the repository root, as root):

    .venv/bin/python benchmarks/ssh/bench.py [--hosts 10] [--tasks 20] [--forks 10]
        [--repeat 3] [--json results.json] [--engine corral ...]

The peer is ``.oracle/bin/ansible-playbook`` (see ``scripts/oracle-venv``), run twice:
with Ansible's defaults (a new OpenSSH process per task, ControlPersist reuse) and
with ``pipelining = True``.
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

from pytest_corral.sshd import SshServer, create_user, delete_user

ROOT = Path(__file__).resolve().parents[2]

#: the cycle of tasks the play repeats until it has ``--tasks`` of them
TASKS = [
    {"name": "ping", "ping": None},
    {"name": "command", "command": "uname -r"},
    {"name": "shell", "shell": "echo $((6 * 7)) | tr 4 x"},
    {"name": "directory", "file": {"path": "/tmp/corral-bench-{{ inventory_hostname }}", "state": "directory"}},
    {"name": "lineinfile", "lineinfile": {"path": "/tmp/corral-bench-{{ inventory_hostname }}/conf",
                                          "line": "key = value", "create": True}},
    {"name": "stat", "stat": {"path": "/tmp/corral-bench-{{ inventory_hostname }}/conf"}},
    {"name": "command with creates", "command": "true", "args": {"creates": "/etc/hostname"}},
]


def write_playbook(path: Path, tasks: int) -> Path:
    lines = ["- hosts: ssh", "  gather_facts: false", "  tasks:"]
    for i in range(tasks):
        task = dict(TASKS[i % len(TASKS)])
        name = f"{i + 1:02d} {task.pop('name')}"
        lines.append(f"    - name: {json.dumps(name)}")
        for key, value in task.items():
            lines.append(f"      {key}: {json.dumps(value)}")
    path.write_text("\n".join(lines) + "\n")
    return path


def run(argv: list[str], env: dict[str, str], timeout: float) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    return time.perf_counter() - start, proc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--engine", action="append", choices=["corral", "ansible", "ansible (pipelining)"],
                        help="time only these engines (repeatable; default: every one installed)")
    args = parser.parse_args(argv)

    engines = {}
    corral = ROOT / ".venv/bin/corral-playbook"
    if subprocess.run([str(corral), "--version"], capture_output=True).returncode == 0:
        engines["corral"] = [str(corral)]
    else:
        print("corral-playbook does not run yet: timing the peer only", file=sys.stderr)
    peer = ROOT / ".oracle/bin/ansible-playbook"
    if peer.exists():
        engines["ansible"] = [str(peer)]
        engines["ansible (pipelining)"] = [str(peer)]
    if args.engine:
        engines = {name: command for name, command in engines.items() if name in args.engine}

    with tempfile.TemporaryDirectory(prefix="corral-bench-") as tmp:
        work = Path(tmp)
        user = create_user(work, prefix="crb")
        server = SshServer(work, [user], [f"127.0.0.{i}" for i in range(1, args.hosts + 1)])
        try:
            server.start()
            inventory = server.write_inventory(work / "inventory.ini", user, args.hosts)
            playbook = write_playbook(work / "play.yml", args.tasks)
            results: dict[str, dict] = {}
            for name, command in engines.items():
                env = dict(os.environ, HOME=str(work / ("home-" + name.replace(" ", "-").strip("()"))),
                           ANSIBLE_NOCOLOR="1", CORRAL_NOCOLOR="1",
                           ANSIBLE_PIPELINING=str("pipelining" in name),
                           ANSIBLE_PYTHON_INTERPRETER="/usr/bin/python3")
                Path(env["HOME"]).mkdir(exist_ok=True)
                times, logins = [], []
                for _ in range(args.repeat):
                    before = server.accepted_sessions()
                    elapsed, proc = run([*command, "-i", str(inventory), "-f", str(args.forks),
                                         str(playbook)], env, args.timeout)
                    if proc.returncode != 0:
                        print(f"{name} failed (rc={proc.returncode}):\n{proc.stdout[-3000:]}\n"
                              f"{proc.stderr[-3000:]}", file=sys.stderr)
                        return 1
                    times.append(elapsed)
                    logins.append(server.accepted_sessions() - before)
                results[name] = {"seconds": times, "median": statistics.median(times),
                                 "ssh_logins_per_run": logins}
                print(f"{name:22s} median {statistics.median(times):7.2f}s  runs "
                      f"{', '.join(f'{t:.2f}' for t in times)}  ssh logins per run {logins}")
        finally:
            server.stop()
            delete_user(user)
    base = results["corral"]["median"] if "corral" in results else None
    for name, result in results.items():
        if name != "corral" and base:
            result["ratio_vs_corral"] = result["median"] / base
            print(f"{name} / corral = {result['ratio_vs_corral']:.2f}x")
    summary = {"hosts": args.hosts, "tasks": args.tasks, "forks": args.forks, "results": results}
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
