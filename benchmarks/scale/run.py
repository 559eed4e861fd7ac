"""The ``scale`` benchmark: a 3-task play over many hosts, timed as whole processes.

Workloads: ``local-N``, N local-connection hosts for each ``--sizes`` (default 500,
2,000 and 10,000), and ``ssh-M``, ``--ssh`` aliases (default 200) of a throwaway
sshd on loopback, one address each (as ``benchmarks/ssh/bench.py``; needs root and
openssh-server; ``--ssh 0`` skips it).  The play is ``ping`` (a module), ``command``
(a module running a program) and ``debug`` (a controller-side action) on every host.

Each run is one ``corral-playbook`` process (with ``-f --forks``), measured by
``measure.py``: wall, CPU of the whole process tree, peak memory (PSS summed over the
tree, and the controller's own peak RSS), peak processes, and memory per host.
The executors of ``--executor`` (``forking``, ``ray``; repeatable) take turns, round
after round (``--repeat``), so that a drift of the machine's load falls on each.
For ``ray``, a 2-node Ray cluster is started on this machine (a head and a second
raylet, each with ``--ray-cpus`` CPUs and ``--ray-memory`` bytes; see
``ray_cluster.py``) unless ``--ray-address`` names one, and each node's processes
are measured too (memory and CPU per node).  ``--ansible-sizes`` also runs
ansible-core's ``ansible-playbook`` (``.oracle/bin``, ``scripts/oracle-venv``) on
those local sizes, in turn with the executors (executor column ``ansible-core``).

Usage (from the repository root)::

    .venv/bin/python benchmarks/scale/run.py [--sizes 500,2000,10000] [--ssh 200]
        [--forks 50] [--repeat 3] [--executor forking --executor ray] [--timeout 1800]
        [--json results.json] [--profile 2000] [--ansible-sizes 500,2000]

``--profile N`` adds one run of ``local-N`` with the controller under cProfile and
prints where its time goes (the controller is what grows with hosts).  Prints one
row per workload and executor: median and min-max of each figure.  Timings are
never asserted anywhere; the last recorded table is ``results.md``.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import pstats
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Sample, measure  # noqa: E402
from ray_cluster import LocalRayCluster  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ORACLE = ROOT / ".oracle" / "bin" / "ansible-playbook"
PLAY = """- hosts: scale
  gather_facts: false
  tasks:
    - name: ping
      ping:
    - name: command
      command: echo {{ inventory_hostname }}
    - name: debug
      debug:
        msg: "{{ inventory_hostname }} done"
"""


def local_inventory(path: Path, hosts: int) -> Path:
    names = "".join(f"h{i:05d}\n" for i in range(1, hosts + 1))
    path.write_text(f"[scale]\n{names}\n[scale:vars]\nansible_connection=local\n"
                    f"ansible_python_interpreter={sys.executable}\n")
    return path


@contextlib.contextmanager
def ssh_inventory(work: Path, hosts: int) -> Iterator[Path]:
    """An inventory of ``hosts`` aliases, one loopback address each, of a throwaway sshd."""
    from pytest_corral.sshd import SshServer, create_user, delete_user
    user = create_user(work, prefix="crs")
    server = SshServer(work, [user], [f"127.0.{i // 250}.{i % 250 + 1}" for i in range(hosts)])
    try:
        server.start()
        yield server.write_inventory(work / f"ssh-{hosts}.ini", user, hosts, group="scale")
    finally:
        server.stop()
        delete_user(user)


def recap_ok(text: str, hosts: int) -> bool:
    """Whether the run's recap shows every host with its 3 tasks ok and nothing failed."""
    recap = text.split("PLAY RECAP")[-1]
    good = sum(1 for line in recap.splitlines() if " ok=3 " in line and "unreachable=0" in line
               and "failed=0" in line)
    return good == hosts


def machine() -> dict[str, object]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gib": round(int(mem) / 2**20, 1),
            "python": platform.python_version(), "kernel": platform.release(),
            "load_average": os.getloadavg()}


def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    """``median [min-max]``."""
    if not values:
        return "-"
    median = fmt.format(statistics.median(values))
    if len(values) == 1:
        return median
    return f"{median} [{fmt.format(min(values))}-{fmt.format(max(values))}]"


def summarize(workload: str, hosts: int, executor: str, samples: list[Sample]) -> dict[str, Any]:
    mib = 1024
    row: dict[str, Any] = {
        "workload": workload, "hosts": hosts, "executor": executor, "runs": len(samples),
        "rcs": [s.rc for s in samples],
        "wall_s": [round(s.wall, 2) for s in samples], "cpu_s": [round(s.cpu, 2) for s in samples],
        "tree_pss_mib": [round(s.tree.pss_kib / mib) for s in samples],
        "controller_rss_mib": [round(s.main_hwm_kib / mib) for s in samples],
        "controller_pss_mib": [round(s.main_pss_kib / mib) for s in samples],
        "controller_kib_per_host": [round(s.main_pss_kib / hosts, 1) for s in samples],
        "fds": [s.tree.fds for s in samples],
        "controller_fds": [s.main_fds for s in samples],
        "controller_cpu_s": [round(s.main_cpu, 2) for s in samples],
        "processes": [s.tree.processes for s in samples],
        "tree_kib_per_host": [round(s.tree.pss_kib / hosts, 1) for s in samples],
    }
    for name in (samples[0].extra if samples else {}):
        row[f"{name}_pss_mib"] = [round(s.extra[name].pss_kib / mib) for s in samples]
        row[f"{name}_cpu_s"] = [round(s.extra[name].cpu_seconds, 2) for s in samples]
        row[f"{name}_processes"] = [s.extra[name].processes for s in samples]
    return row


def table(rows: list[dict[str, Any]]) -> str:
    nodes = sorted({key[:-len("_pss_mib")] for row in rows for key in row
                    if key.endswith("_pss_mib") and key not in ("tree_pss_mib", "controller_pss_mib")})
    head = ["workload", "executor", "runs", "wall s", "CPU s (tree)", "controller CPU s", "peak PSS MiB (tree)",
            "controller PSS / RSS MiB", "processes", "fds (tree / controller)", "KiB per host (tree / controller)"]
    head += [f"{node}: PSS MiB, CPU s, processes" for node in nodes]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in rows:
        cells = [str(row["workload"]), str(row["executor"]), str(row["runs"]),
                 spread(row["wall_s"]), spread(row["cpu_s"]), spread(row["controller_cpu_s"]),
                 spread(row["tree_pss_mib"], "{:.0f}"),
                 f'{spread(row["controller_pss_mib"], "{:.0f}")} / {spread(row["controller_rss_mib"], "{:.0f}")}',
                 spread(row["processes"], "{:.0f}"),
                 f'{spread(row["fds"], "{:.0f}")} / {spread(row["controller_fds"], "{:.0f}")}',
                 f'{spread(row["tree_kib_per_host"])} / {spread(row["controller_kib_per_host"])}']
        for node in nodes:
            if f"{node}_pss_mib" in row:
                cells.append(f"{spread(row[f'{node}_pss_mib'], '{:.0f}')}; {spread(row[f'{node}_cpu_s'])}; "
                             f"{spread(row[f'{node}_processes'], '{:.0f}')}")
            else:
                cells.append("-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def profile(work: Path, hosts: int, forks: int, env: dict[str, str], timeout: float) -> str:
    """One ``local-hosts`` run with the controller under cProfile: its busiest functions."""
    stats = work / "controller.prof"
    inventory = local_inventory(work / f"profile-{hosts}.ini", hosts)
    sample = measure([sys.executable, "-m", "cProfile", "-o", str(stats), str(BIN / "corral-playbook"),
                      "-i", str(inventory), "-f", str(forks), str(work / "play.yml")],
                     env, work / "profile.out", timeout=timeout)
    if not stats.exists():
        return f"profiled run ended rc={sample.rc} without a profile:\n{sample.output_tail}"
    lines = [f"cProfile of the controller, local-{hosts}, -f {forks}: rc={sample.rc}, wall {sample.wall:.1f} s "
             f"(profiled), CPU {sample.cpu:.1f} s (tree)"]
    for order in ("tottime", "cumulative"):
        text = Path(work / f"profile-{order}.txt")
        with open(text, "w") as handle:
            pstats.Stats(str(stats), stream=handle).sort_stats(order).print_stats(25)
        lines.append(f"--- by {order} ---")
        lines.extend(line for line in text.read_text().splitlines()[6:] if line.strip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,10000", help="local host counts, comma separated")
    parser.add_argument("--ssh", type=int, default=200, help="ssh aliases (0: no ssh workload)")
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--executor", action="append", choices=("forking", "ray"))
    parser.add_argument("--timeout", type=float, default=1800, help="seconds one run may take before it is killed")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between samples of /proc")
    parser.add_argument("--ray-address", help="an existing Ray cluster (default: start a 2-node one here)")
    parser.add_argument("--ray-cpus", type=int, default=1, help="CPUs of each local Ray node")
    parser.add_argument("--ray-memory", type=int, default=4 * 2**30, help="memory (bytes) of each local Ray node")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="also profile the controller on N hosts")
    parser.add_argument("--json", type=Path, help="write the rows and the machine here")
    parser.add_argument("--ansible-sizes", default="", help="local host counts to run ansible-core on too")
    args = parser.parse_args(argv)
    executors = args.executor or ["forking"]
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    ansible_sizes = {int(size) for size in args.ansible_sizes.split(",") if size.strip()}
    if ansible_sizes and not ORACLE.exists():
        parser.error(f"--ansible-sizes needs {ORACLE} (scripts/oracle-venv)")

    def runners(workload: str, hosts: int) -> list[str]:
        """Who runs ``workload``: corral's executors on the sizes asked, then ansible-core."""
        local = workload.startswith("local-")
        return ([e for e in executors if not local or hosts in sizes]
                + (["ansible-core"] if local and hosts in ansible_sizes else []))

    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    base_env["CORRAL_NOCOLOR"] = "1"
    about = machine()
    print(f"machine: {json.dumps(about)}", flush=True)
    samples: dict[tuple[str, str], list[Sample]] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="corral-scale-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        (work / "play.yml").write_text(PLAY)
        workloads = [(f"local-{n}", n, local_inventory(work / f"local-{n}.ini", n))
                     for n in sorted(set(sizes) | ansible_sizes)]
        if args.ssh:
            workloads.append((f"ssh-{args.ssh}", args.ssh, stack.enter_context(ssh_inventory(work, args.ssh))))
        envs: dict[str, dict[str, str]] = {}
        nodes: dict[str, dict[str, list[int]]] = {}
        envs["ansible-core"] = dict(base_env, ANSIBLE_NOCOLOR="1", ANSIBLE_HOST_KEY_CHECKING="False")
        for executor in executors:
            envs[executor] = dict(base_env, CORRAL_EXECUTOR=executor)
            nodes[executor] = {}
            if executor == "ray":
                if args.ray_address:
                    envs[executor]["CORRAL_RAY_ADDRESS"] = args.ray_address
                else:
                    cluster = stack.enter_context(LocalRayCluster(work / "ray", nodes=2, cpus=args.ray_cpus,
                                                                  memory=args.ray_memory))
                    envs[executor]["CORRAL_RAY_ADDRESS"] = cluster.address
                    nodes[executor] = cluster.node_pids()
        for round_ in range(1, args.repeat + 1):
            for name, hosts, inventory in workloads:
                for executor in runners(name, hosts):
                    binary = ORACLE if executor == "ansible-core" else BIN / "corral-playbook"
                    sample = measure([str(binary), "-i", str(inventory), "-f", str(args.forks),
                                      str(work / "play.yml")], envs[executor], work / "out.txt",
                                     timeout=args.timeout, interval=args.interval,
                                     extra_roots=nodes.get(executor))
                    complete = sample.rc == 0 and recap_ok((work / "out.txt").read_text(errors="replace"), hosts)
                    print(f"round {round_} {name} {executor}: rc={sample.rc} complete={complete} "
                          f"wall={sample.wall:.1f}s cpu={sample.cpu:.1f}s controller-cpu={sample.main_cpu:.1f}s "
                          f"pss={sample.tree.pss_kib // 1024}MiB "
                          f"controller={sample.main_pss_kib // 1024}/{sample.main_hwm_kib // 1024}MiB "
                          f"procs={sample.tree.processes} fds={sample.tree.fds}/{sample.main_fds} "
                          + " ".join(f"{node}={peaks.pss_kib // 1024}MiB/{peaks.cpu_seconds:.1f}s"
                                     for node, peaks in sample.extra.items()), flush=True)
                    if not complete:
                        notes.append(f"{name} {executor} round {round_}: rc={sample.rc}, not every host "
                                     f"completed:\n{sample.output_tail[-1500:]}")
                        print(notes[-1], file=sys.stderr, flush=True)
                    samples.setdefault((name, executor), []).append(sample)
        report = None
        if args.profile:
            report = profile(work, args.profile, args.forks, envs[executors[0]], args.timeout)
    rows = [summarize(name, hosts, executor, samples[(name, executor)])
            for name, hosts, _ in workloads for executor in runners(name, hosts)]
    print()
    print(table(rows))
    if report:
        print()
        print(report)
    if args.json:
        args.json.write_text(json.dumps({"machine": about, "forks": args.forks, "rows": rows,
                                         "notes": notes, "profile": report}, indent=2) + "\n")
    return 1 if notes else 0


if __name__ == "__main__":
    sys.exit(main())
