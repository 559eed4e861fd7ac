"""CPU of the ``ssh`` workload (benchmarks/compare.py) per engine, on both sides:
the controller's process tree and the target side (the throwaway sshd and every
session, shell, module server and command it starts), each in a cgroup v1
``cpuacct`` group of its own, read from ``cpuacct.usage`` (the s7 method).

Needs root, cgroup v1 ``cpuacct`` at /sys/fs/cgroup/cpuacct, Debian's
openssh-server; run with a corral venv's Python (it imports pytest_corral)::

    sudo .venv/bin/python benchmarks/notes/s8_ssh_cgroup_cpu.py \\
        --corral before=/path/to/other/.venv/bin --corral after=.venv/bin \\
        --pyinfra .bench/pyinfra/bin --rounds 3

Each engine runs once to converge the hosts, then ``--rounds`` times in
alternation; the table shows medians and [min-max].
"""
from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import compare  # type: ignore[import-not-found]  # noqa: E402 - benchmarks/compare.py: the workload

CGROUPS = Path("/sys/fs/cgroup/cpuacct")


def usage(group: Path) -> float:
    return int((group / "cpuacct.usage").read_text()) / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corral", action="append", default=[], metavar="NAME=BINDIR")
    parser.add_argument("--pyinfra", metavar="BINDIR")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    corrals = dict(item.split("=", 1) for item in args.corral)
    controller, target = CGROUPS / "s8ssh-controller", CGROUPS / "s8ssh-target"
    controller.mkdir(exist_ok=True)
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="s8ssh-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        bins = {"corral": Path(next(iter(corrals.values())))}
        if args.pyinfra:
            bins["pyinfra"] = Path(args.pyinfra)
        commands, _ = compare.Workloads(work, bins, stack).build("ssh")
        for pid in filter(str.isdigit, os.listdir("/proc")):     # the sshd started for this run
            with contextlib.suppress(OSError):
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                if b"sshd" in cmdline and str(work).encode() in cmdline:
                    (target / "cgroup.procs").write_text(pid)
        runs = {}
        for name, bin_dir in corrals.items():
            command = commands["corral"]
            runs[name] = ([str(Path(bin_dir) / "corral-playbook"), *command.argv[1:]], command.env, command.check)
        if args.pyinfra:
            command = commands["pyinfra"]
            runs["pyinfra"] = (command.argv, command.env, command.check)
        for argv, env, _check in runs.values():      # converge the hosts
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in runs}
        for round_ in range(1, args.rounds + 1):
            for name, (argv, env, check) in runs.items():
                c0, t0, w0 = usage(controller), usage(target), time.monotonic()
                done = subprocess.run(["sh", "-c", f'echo $$ > {controller}/cgroup.procs; exec "$@"', "sh", *argv],
                                      env=env, capture_output=True, text=True, check=False)
                wall = time.monotonic() - w0
                time.sleep(1.0)     # module servers end after their session
                c1, t1 = usage(controller), usage(target)
                problem = check(done.stdout + done.stderr) if done.returncode == 0 else f"rc={done.returncode}"
                if problem:
                    raise SystemExit(f"{name}: {problem}\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
                samples[name].append((wall, c1 - c0, t1 - t0))
                print(f"round {round_} {name}: wall {wall:.2f} s, controller {c1 - c0:.2f} s, "
                      f"target {t1 - t0:.2f} s CPU", flush=True)
    print("| engine | wall s | controller CPU s | target CPU s | total CPU s |")
    print("| --- | --- | --- | --- | --- |")
    for name, rows in samples.items():
        cells = []
        for index in range(3):
            values = [row[index] for row in rows]
            cells.append(f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]")
        total = statistics.median(row[1] + row[2] for row in rows)
        print(f"| {name} | {' | '.join(cells)} | {total:.2f} |")


if __name__ == "__main__":
    main()
