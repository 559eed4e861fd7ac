"""Every workload of the performance issue, corral side by side with its peers, in one command.

Engines, each run as a whole process:

- ``corral``: this checkout's ``.venv/bin/corral-*``;
- ``ansible``: ansible-core 2.21 in ``.oracle/`` (``scripts/oracle-venv``);
- ``mitogen``: ansible-core 2.21 with Mitogen's ``mitogen_linear`` strategy, in
  ``.bench/mitogen`` (``scripts/bench-peers``);
- ``pyinfra``: pyinfra 3 in ``.bench/pyinfra`` (``scripts/bench-peers``), on the
  workloads it has an equivalent for (the ssh play and the ad-hoc ping), written
  as a pyinfra deploy that does the same work.

An engine whose environment is missing is left out and named.  Workloads:

- ``startup``: a play with no tasks on the implicit localhost;
- ``local``: 1 local host x 50 tasks (command, ping, debug, set_fact);
- ``ssh``: 10 hosts x 20 tasks (ping, command, copy, template, file, stat) over SSH,
  converged (a first, untimed run makes the changes), forks 10;
- ``adhoc``: ad-hoc ``ping`` of 50 SSH hosts, forks 10;
- ``facts``: fact gathering on 10 SSH hosts;
- ``facts-cached``: the same play a second time with ``gathering = smart`` and the
  ``jsonfile`` fact cache (primed by an untimed first run): nothing is gathered, a
  ``debug`` of a cached fact shows the facts came from the cache;
- ``loops``: a 2,000-item ``debug`` loop and a 2,000-item ``set_fact`` loop;
- ``inventory-10k``: ``--list`` of a 10,000-host INI inventory;
- ``scale``: ``benchmarks/scale/run.py`` (3 tasks on 500, 2,000 and 10,000 local
  hosts and 200 SSH aliases; corral only, with processes and bytes per host).

SSH workloads use a throwaway sshd on loopback with one address per host
(127.0.0.1..N) and a throwaway user whose login shell reads no rc file (needs root
and openssh-server); targets run ``/usr/bin/python3`` (no interpreter discovery).
Engines take turns within each round (``--rounds``), so a drift of the machine's
load falls on each; every run's wall time, CPU (the process and everything it
waited for) and peak memory (PSS summed over its process tree, sampled) are kept.
The report gives median and min-max per engine and the ratio of each peer to
corral, round by round (paired), as median and min-max.  A run that fails (rc not
0, or a recap not complete) stops the benchmark with its output.

Bytecode is compiled before timing, as a pip install leaves it (corral's
checkout is installed editable, so ``compileall`` does it here).

Usage (from the repository root, as root)::

    .venv/bin/python benchmarks/compare.py [--only startup,local,...] [--rounds 5]
        [--engines corral,ansible,mitogen,pyinfra] [--scale-args "--sizes 500"] [--write]

``--write`` replaces the table in ``benchmarks/results.md``.  Timings are never
asserted in tests.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "scale"))
sys.path.insert(0, str(HERE / "inventory"))
from generate import generate  # noqa: E402 - benchmarks/inventory's 10,000-host inventories
from measure import Sample, measure  # noqa: E402 - benchmarks/scale's process-tree sampler

ENGINES = ("corral", "ansible", "mitogen", "pyinfra")
WORKLOADS = ("startup", "local", "ssh", "adhoc", "facts", "facts-cached", "loops", "inventory-10k", "scale")
RESULTS = HERE / "results.md"
PYTHON = "/usr/bin/python3"


@dataclasses.dataclass
class Command:
    """One engine's run of one workload."""

    argv: list[str]
    env: dict[str, str]
    #: checks the output; returns an error or ""
    check: Callable[[str], str]


def engine_bins() -> dict[str, Path]:
    """The bin directory of each installed engine."""
    found = {"corral": ROOT / ".venv/bin", "ansible": ROOT / ".oracle/bin",
             "mitogen": ROOT / ".bench/mitogen/bin", "pyinfra": ROOT / ".bench/pyinfra/bin"}
    marker = {"corral": "corral-playbook", "ansible": "ansible-playbook", "mitogen": "ansible-playbook",
              "pyinfra": "pyinfra"}
    return {name: path for name, path in found.items() if (path / marker[name]).exists()}


def mitogen_strategies(bin_dir: Path) -> str:
    out = subprocess.run([str(bin_dir / "python"), "-c",
                          "import ansible_mitogen, os; print(os.path.dirname(ansible_mitogen.__file__))"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(out, "plugins", "strategy")


def recap_check(hosts: int, *, failed_ok: bool = False) -> Callable[[str], str]:
    """An output check: a PLAY RECAP line for each of ``hosts`` hosts, none failed."""
    def check(text: str) -> str:
        recap = [line for line in text.splitlines() if " : ok=" in line]
        if len(recap) != hosts:
            return f"{len(recap)} recap lines, {hosts} expected"
        bad = [line for line in recap if "unreachable=0" not in line or
               (not failed_ok and "failed=0" not in line)]
        return f"hosts not ok: {bad[:3]}" if bad else ""
    return check


def count_check(word: str, times: int) -> Callable[[str], str]:
    def check(text: str) -> str:
        found = text.count(word)
        return "" if found >= times else f"{found} x {word!r} in the output, {times} expected"
    return check


def cached_facts_check(hosts: int) -> Callable[[str], str]:
    """An output check for a run on cached facts: the recap of ``hosts`` hosts, no fact
    gathering, and the cached fact shown for each host."""
    recap = recap_check(hosts)

    def check(text: str) -> str:
        if "TASK [Gathering Facts]" in text:
            return "facts were gathered again"
        return recap(text) or count_check('"ansible_facts.system": "Linux"', hosts)(text)
    return check


def pyinfra_deploy_check(hosts: int) -> Callable[[str], str]:
    """An output check for a pyinfra deploy: its results table has every operation on
    every host and no error."""
    def check(text: str) -> str:
        table = text[text.rfind("--> Results:"):].splitlines()[2:]
        rows = [line.split() for line in table if line.strip() and not line.startswith("-->")]
        if not any(row[:2] == ["Grand", "total"] for row in rows):
            return "no results table"
        errors = [row[0] for row in rows if row[-2] != "-"]        # the Error column
        if errors:
            return f"errors in: {errors}"
        short = [row[0] for row in rows if row[:2] != ["Grand", "total"] and row[-4] != str(hosts)]
        return f"operations not run on {hosts} hosts: {short}" if short else ""
    return check


def play(path: Path, hosts: str, tasks: list[dict[str, object]], *, facts: bool = False) -> Path:
    document = [{"hosts": hosts, "gather_facts": facts, "tasks": tasks}]
    path.write_text(json.dumps(document, indent=1) + "\n")     # JSON is YAML
    return path


LOCAL_TASKS: list[dict[str, object]] = [{"command": "true"}, {"ping": None}, {"debug": {"msg": "{{ inventory_hostname }}"}},
               {"set_fact": {"fact_n": "{{ ansible_play_hosts | length }}"}}]


def ssh_tasks(work: Path) -> list[dict[str, object]]:
    (work / "files").mkdir(exist_ok=True)
    (work / "files" / "motd").write_text("managed by a benchmark\n")
    (work / "files" / "conf.j2").write_text("host = {{ inventory_hostname }}\nport = {{ 8000 + 80 }}\n")
    base = f"/tmp/{work.name}-{{{{ inventory_hostname }}}}"     # the run's own, removed at its end
    cycle: list[dict[str, object]] = [
        {"ping": None},
        {"command": "uname -r", "changed_when": False},
        {"copy": {"src": str(work / "files/motd"), "dest": base + "/motd"}},
        {"template": {"src": str(work / "files/conf.j2"), "dest": base + "/conf"}},
        {"file": {"path": base + "/dir", "state": "directory", "mode": "0755"}},
        {"stat": {"path": base + "/conf"}},
    ]
    tasks: list[dict[str, object]] = [{"file": {"path": base, "state": "directory"}}]
    while len(tasks) < 20:
        tasks.append(dict(cycle[(len(tasks) - 1) % len(cycle)]))
    return tasks


PYINFRA_DEPLOY = '''\
"""The ``ssh`` workload as a pyinfra deploy: the same 20 operations per host."""
from pyinfra import host
from pyinfra.facts.files import File
from pyinfra.facts.server import Command
from pyinfra.operations import files, server

work = {work!r}
base = "/tmp/{token}-" + host.name
files.directory(name="base", path=base)
for i in range(19):
    kind = i % 6
    if kind == 0:
        host.get_fact(Command, command="true", _ignore_errors=False)      # ping: a round trip
    elif kind == 1:
        host.get_fact(Command, command="uname -r")
    elif kind == 2:
        files.put(name=f"copy {{i}}", src=work + "/files/motd", dest=base + "/motd")
    elif kind == 3:
        files.template(name=f"template {{i}}", src=work + "/files/conf.j2", dest=base + "/conf",
                       inventory_hostname=host.name)
    elif kind == 4:
        files.directory(name=f"dir {{i}}", path=base + "/dir", mode="755")
    else:
        host.get_fact(File, path=base + "/conf")
'''


@contextlib.contextmanager
def ssh_hosts(work: Path, count: int) -> Iterator[tuple[Path, Path]]:
    """A throwaway sshd with ``count`` loopback addresses: (INI inventory, pyinfra inventory)."""
    from pytest_corral.sshd import SshServer, create_user, delete_user
    user = create_user(work, prefix="crb")
    server = SshServer(work, [user], [f"127.0.0.{i}" for i in range(1, count + 1)], name=f"sshd-{count}")
    try:
        server.start()
        ini = server.write_inventory(work / f"ssh-{count}.ini", user, count)
        hosts = [(f"host{i + 1}", {"ssh_hostname": f"127.0.0.{i + 1}", "ssh_port": server.port,
                                   "ssh_user": user.name, "ssh_key": str(user.key),
                                   "ssh_known_hosts_file": str(server.known_hosts)})
                 for i in range(count)]
        pyinfra_inventory = work / f"ssh-{count}.py"
        pyinfra_inventory.write_text(f"ssh = {hosts!r}\n")
        yield ini, pyinfra_inventory
    finally:
        server.stop()
        delete_user(user)


class Workloads:
    """Builds each workload's commands for the installed engines."""

    def __init__(self, work: Path, bins: dict[str, Path], stack: contextlib.ExitStack) -> None:
        self.work = work
        self.bins = bins
        self.stack = stack
        clean = {k: v for k, v in os.environ.items()
                 if not k.startswith(("ANSIBLE_", "CORRAL_")) and k != "PYTHONDONTWRITEBYTECODE"}
        self.env = {name: dict(clean, HOME=str(self._home(name)), ANSIBLE_NOCOLOR="1", CORRAL_NOCOLOR="1",
                               ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_PYTHON_INTERPRETER=PYTHON,
                               ANSIBLE_DEPRECATION_WARNINGS="False")
                    for name in bins}
        if "mitogen" in bins:
            self.env["mitogen"].update(ANSIBLE_STRATEGY_PLUGINS=mitogen_strategies(bins["mitogen"]),
                                       ANSIBLE_STRATEGY="mitogen_linear")
        self._ssh: dict[int, tuple[Path, Path]] = {}

    def _home(self, name: str) -> Path:
        home = self.work / f"home-{name}"
        home.mkdir(exist_ok=True)
        return home

    def _ssh_inventory(self, count: int) -> tuple[Path, Path]:
        if count not in self._ssh:
            self._ssh[count] = self.stack.enter_context(ssh_hosts(self.work, count))
        return self._ssh[count]

    def _playbook(self, engine: str, inventory: str, playbook: Path, forks: int,
                  check: Callable[[str], str]) -> Command:
        tool = "corral-playbook" if engine == "corral" else "ansible-playbook"
        return Command([str(self.bins[engine] / tool), "-i", inventory, "-f", str(forks), str(playbook)],
                       self.env[engine], check)

    def build(self, workload: str) -> tuple[dict[str, Command], Callable[[], None] | None]:
        """Commands per engine, and a warm-up to run once before timing (or None)."""
        work, playbooks = self.work, ("corral", "ansible", "mitogen")
        if workload == "startup":
            path = play(work / "startup.yml", "localhost", [])
            return {e: self._playbook(e, "localhost,", path, 5, lambda text: "")
                    for e in ("corral", "ansible") if e in self.bins}, None
        if workload == "local":
            inventory = work / "local.ini"
            inventory.write_text(f"local1 ansible_connection=local ansible_python_interpreter={PYTHON}\n")
            path = play(work / "local.yml", "all", [dict(LOCAL_TASKS[i % len(LOCAL_TASKS)]) for i in range(50)])
            return {e: self._playbook(e, str(inventory), path, 5, recap_check(1))
                    for e in playbooks if e in self.bins}, None
        if workload == "loops":
            tasks: list[dict[str, object]] = [
                {"debug": {"msg": "{{ item }}"}, "loop": "{{ range(2000) | list }}"},
                {"set_fact": {"total": "{{ (total | default(0) | int) + item }}"},
                 "loop": "{{ range(2000) | list }}"}]
            path = play(work / "loops.yml", "localhost", tasks)
            return {e: self._playbook(e, "localhost,", path, 5, recap_check(1))
                    for e in ("corral", "ansible") if e in self.bins}, None
        if workload == "inventory-10k":
            path = Path(generate(str(work / "inventory-10k"))["ini"])
            tools = {"corral": "corral-inventory", "ansible": "ansible-inventory"}
            return {e: Command([str(self.bins[e] / tool), "-i", str(path), "--list"], self.env[e],
                               count_check('"hostvars"', 1))
                    for e, tool in tools.items() if e in self.bins}, None
        if workload == "facts-cached":
            ini, _ = self._ssh_inventory(10)
            path = play(work / "facts-cached.yml", "ssh", [{"debug": {"var": "ansible_facts.system"}}], facts=True)
            commands = {}
            for e in playbooks:
                if e in self.bins:
                    command = self._playbook(e, str(ini), path, 10, cached_facts_check(10))
                    command.env = dict(command.env, ANSIBLE_GATHERING="smart", ANSIBLE_CACHE_PLUGIN="jsonfile",
                                       ANSIBLE_CACHE_PLUGIN_CONNECTION=str(work / f"fact-cache-{e}"),
                                       ANSIBLE_CACHE_PLUGIN_TIMEOUT="0")
                    commands[e] = command

            def prime() -> None:    # each engine's first run gathers and fills its own cache
                for c in commands.values():
                    _must_succeed(Command(c.argv, c.env, recap_check(10)), work / "warmup.txt")
            return commands, prime
        if workload in ("ssh", "facts"):
            ini, pyinfra_inventory = self._ssh_inventory(10)
            if workload == "facts":
                path = play(work / "facts.yml", "ssh", [], facts=True)
                return {e: self._playbook(e, str(ini), path, 10, recap_check(10))
                        for e in playbooks if e in self.bins}, None
            path = play(work / "ssh.yml", "ssh", ssh_tasks(work))
            commands = {e: self._playbook(e, str(ini), path, 10, recap_check(10))
                        for e in playbooks if e in self.bins}
            if "pyinfra" in self.bins:
                deploy = work / "deploy.py"
                deploy.write_text(PYINFRA_DEPLOY.format(work=str(work), token=work.name))
                commands["pyinfra"] = Command([str(self.bins["pyinfra"] / "pyinfra"), "-y", "--parallel", "10",
                                               str(pyinfra_inventory), str(deploy)],
                                              self.env["pyinfra"], pyinfra_deploy_check(10))
            first = next(iter(commands.values()))
            return commands, lambda: _must_succeed(first, work / "warmup.txt")
        if workload == "adhoc":
            ini, pyinfra_inventory = self._ssh_inventory(50)
            commands = {}
            for e in playbooks:
                if e in self.bins:
                    tool = "corral" if e == "corral" else "ansible"
                    commands[e] = Command([str(self.bins[e] / tool), "-i", str(ini), "ssh", "-m", "ping",
                                           "-f", "10"], self.env[e], count_check("SUCCESS", 50))
            if "pyinfra" in self.bins:
                commands["pyinfra"] = Command([str(self.bins["pyinfra"] / "pyinfra"), "-y", "--parallel", "10",
                                               str(pyinfra_inventory), "exec", "--", "true"],
                                              self.env["pyinfra"], count_check("Success", 50))
            return commands, None
        raise ValueError(workload)


def _must_succeed(command: Command, output: Path) -> None:
    sample = measure(command.argv, command.env, output, timeout=900)
    problem = command.check(output.read_text(errors="replace")) if sample.rc == 0 else f"rc={sample.rc}"
    if problem:
        raise SystemExit(f"warm-up failed: {problem}\n{sample.output_tail}")


def _remove_run_dirs(token: str) -> None:
    """Remove what the ssh workloads made on the (loopback) hosts."""
    for path in Path("/tmp").glob(f"{token}-*"):
        shutil.rmtree(path, ignore_errors=True)


def spread(values: list[float], fmt: str) -> str:
    return f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))}-{fmt.format(max(values))}]"


def run_workload(name: str, commands: dict[str, Command], rounds: int, work: Path) -> list[dict[str, object]]:
    """Time each engine ``rounds`` times in alternation; one row per engine."""
    samples: dict[str, list[Sample]] = {engine: [] for engine in commands}
    interval = 0.02 if name in ("startup", "inventory-10k") else 0.1
    for round_ in range(1, rounds + 1):
        for engine, command in commands.items():
            output = work / f"{name}-{engine}.txt"
            sample = measure(command.argv, command.env, output, timeout=1800, interval=interval)
            text = output.read_text(errors="replace")
            problem = command.check(text) if sample.rc == 0 else f"rc={sample.rc}"
            if problem:
                raise SystemExit(f"{name} {engine} round {round_}: {problem}\n"
                                 f"$ {shlex.join(command.argv)}\n{text[-3000:]}")
            print(f"  round {round_} {name} {engine}: wall={sample.wall:.2f}s cpu={sample.cpu:.2f}s "
                  f"pss={sample.tree.pss_kib // 1024}MiB", flush=True)
            samples[engine].append(sample)
    rows = []
    base = samples.get("corral")
    for engine, runs in samples.items():
        row: dict[str, object] = {
            "workload": name, "engine": engine, "runs": len(runs),
            "wall": spread([s.wall for s in runs], "{:.2f}"), "cpu": spread([s.cpu for s in runs], "{:.2f}"),
            "pss": spread([s.tree.pss_kib / 1024 for s in runs], "{:.0f}"),
            "wall_median": statistics.median(s.wall for s in runs)}
        if base and engine != "corral":
            row["ratio_wall"] = spread([p.wall / c.wall for p, c in zip(runs, base)], "{:.1f}")
            row["ratio_cpu"] = spread([p.cpu / c.cpu for p, c in zip(runs, base)], "{:.1f}")
        rows.append(row)
    return rows


def table(rows: list[dict[str, object]]) -> str:
    lines = ["| workload | engine | runs | wall s | CPU s | peak PSS MiB | peer / corral, wall | "
             "peer / corral, CPU |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        lines.append(f"| {row['workload']} | {row['engine']} | {row['runs']} | {row['wall']} | {row['cpu']} | "
                     f"{row['pss']} | {row.get('ratio_wall', '')} | {row.get('ratio_cpu', '')} |")
    return "\n".join(lines)


def machine(bins: dict[str, Path]) -> str:
    def version(engine: str, argv: list[str]) -> str:
        out = subprocess.run([str(bins[engine] / argv[0]), *argv[1:]], capture_output=True, text=True)
        return (out.stdout or out.stderr).splitlines()[0].strip() if out.returncode == 0 else "?"
    versions = {"corral": ["corral-playbook", "--version"], "ansible": ["ansible-playbook", "--version"],
                "mitogen": ["python", "-c", "import mitogen; print('mitogen', mitogen.__version__)"],
                "pyinfra": ["pyinfra", "--version"]}
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    load = os.getloadavg()
    return (f"{os.cpu_count()} CPUs ({cpu}), Linux {platform.release()}, Python {platform.python_version()}; "
            f"load average at the start {load[0]:.1f}; "
            + "; ".join(f"{e}: {version(e, argv)}" for e, argv in versions.items() if e in bins))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(WORKLOADS), help="workloads, comma separated")
    parser.add_argument("--engines", default=",".join(ENGINES), help="engines, comma separated")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale-args", default="", help="arguments for benchmarks/scale/run.py")
    parser.add_argument("--write", action="store_true", help=f"write the table to {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    wanted = [w for w in args.only.split(",") if w]
    unknown = set(wanted) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))} (known: {', '.join(WORKLOADS)})")
    bins = {e: p for e, p in engine_bins().items() if e in args.engines.split(",")}
    missing = [e for e in args.engines.split(",") if e not in bins]
    if missing:
        print(f"not installed, left out: {', '.join(missing)} (scripts/oracle-venv, scripts/bench-peers)")
    if "corral" not in bins:
        parser.error("corral is not installed in .venv (scripts/venv)")
    about = machine(bins)
    # as after a pip install: every engine's code compiled once, not on each timed run
    subprocess.run([str(bins["corral"] / "python"), "-m", "compileall", "-q", str(ROOT / "core" / "src"),
                    str(ROOT / "plugins")], check=True, stdout=subprocess.DEVNULL)
    print(about, flush=True)
    rows: list[dict[str, object]] = []
    scale = ""
    with tempfile.TemporaryDirectory(prefix="corral-compare-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        stack.callback(_remove_run_dirs, work.name)
        workloads = Workloads(work, bins, stack)
        for name in wanted:
            if name == "scale":
                continue
            print(f"{name}:", flush=True)
            commands, warmup = workloads.build(name)
            if warmup:
                warmup()
            rows.extend(run_workload(name, commands, args.rounds, work))
    if "scale" in wanted:
        print("scale:", flush=True)
        out = subprocess.run([str(bins["corral"] / "python"), str(HERE / "scale" / "run.py"),
                              *shlex.split(args.scale_args)], capture_output=True, text=True)
        print(out.stdout[-6000:], out.stderr[-3000:], flush=True)
        if out.returncode != 0:
            return out.returncode
        scale = out.stdout[out.stdout.rfind("| workload"):].strip()
    report = table(rows) if rows else ""
    print()
    print(report)
    if scale:
        print()
        print(scale)
    if args.write:
        write_results(about, args, report, scale)
    return 0


def write_results(about: str, args: argparse.Namespace, report: str, scale: str) -> None:
    """Replace ``results.md`` with this run's tables."""
    text = ["# Benchmarks: the last recorded run of `benchmarks/compare.py`", "",
            f"Command: `.venv/bin/python benchmarks/compare.py --only {args.only} --engines {args.engines} "
            f"--rounds {args.rounds}" + (f" --scale-args {shlex.quote(args.scale_args)}" if args.scale_args else "")
            + " --write`", "", f"Machine: {about}", "",
            "Median [min-max] over the rounds; ratios are paired round by round (peer time divided by "
            "corral's time in the same round: above 1 means corral is faster).", ""]
    if report:
        text += [report, ""]
    if scale:
        text += ["## scale (corral)", "", scale, ""]
    RESULTS.write_text("\n".join(text))


if __name__ == "__main__":
    sys.exit(main())
