"""A real apt to test the ``apt`` module on without changing the machine: small ``.deb`` packages built
with ``dpkg-deb``, a local flat repository (``Packages`` by ``dpkg-scanpackages``, a ``Release`` with
its hashes), and plays run in a new mount namespace whose apt and dpkg state (``/etc/apt``,
``/var/lib/apt``, ``/var/lib/dpkg``, ``/var/cache/apt``, ``/var/log``), ``/usr/sbin`` and ``/srv`` are
overlays on the machine's: what apt and dpkg write there disappears with the namespace.

The same play can be run by ``corral-playbook`` or by ansible-core (the oracle), each on a fresh
overlay, so outcomes can be compared."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO / ".oracle" / "bin" / "ansible-playbook"
CORRAL = Path(sys.executable).with_name("corral-playbook")
OVERLAID = ["/etc/apt", "/var/lib/apt", "/var/lib/dpkg", "/var/cache/apt", "/var/log", "/usr/sbin", "/srv"]


@dataclass
class Package:
    """One package to build: its ``/srv/capt/<name>`` file holds its version; ``postinst`` is a shell
    script body run after it is unpacked."""
    name: str
    version: str
    depends: str = ""
    postinst: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def build_deb(workdir: Path, package: Package) -> Path:
    """Build ``package`` with ``dpkg-deb --build``; the path of the ``.deb``."""
    root = workdir / f"{package.name}_{package.version}"
    (root / "DEBIAN").mkdir(parents=True)
    (root / "srv" / "capt").mkdir(parents=True)
    (root / "srv" / "capt" / package.name).write_text(package.version + "\n")
    control = {"Package": package.name, "Version": package.version, "Architecture": "all",
               "Maintainer": "corral tests <tests@corral.invalid>", "Priority": "optional",
               "Section": "misc", "Description": f"corral apt test package {package.name}",
               **({"Depends": package.depends} if package.depends else {}), **package.extra}
    (root / "DEBIAN" / "control").write_text("".join(f"{key}: {value}\n" for key, value in control.items()))
    if package.postinst:
        script = root / "DEBIAN" / "postinst"
        script.write_text("#!/bin/sh\nset -e\n" + textwrap.dedent(package.postinst))
        script.chmod(0o755)
    deb = workdir / f"{package.name}_{package.version}_all.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(root), str(deb)],
                   check=True, capture_output=True)
    return deb


def build_repository(directory: Path, packages: list[Package]) -> Path:
    """A flat repository in ``directory`` holding ``packages``: ``Packages``, ``Packages.gz`` and a
    ``Release`` with their sizes and SHA256 sums."""
    directory.mkdir(parents=True, exist_ok=True)
    for package in packages:
        build_deb(directory, package)
    index = subprocess.run(["dpkg-scanpackages", "--multiversion", "."], cwd=directory, check=True,
                           capture_output=True, text=True).stdout
    (directory / "Packages").write_text(index)
    subprocess.run(["gzip", "-kf", "Packages"], cwd=directory, check=True)
    lines = ["Origin: corral-tests", "Label: corral-tests", "Suite: capt", "Codename: capt",
             "Date: Thu, 01 Jan 2026 00:00:00 UTC", "SHA256:"]
    for name in ("Packages", "Packages.gz"):
        data = (directory / name).read_bytes()
        lines.append(f" {hashlib.sha256(data).hexdigest()} {len(data)} {name}")
    (directory / "Release").write_text("\n".join(lines) + "\n")
    return directory


def sandbox_setup(scratch: Path, repository: Path, trusted: bool = True) -> str:
    """Shell commands, run in the new mount namespace, that overlay the apt and dpkg state and make
    ``repository`` the only apt source (``[trusted=yes]`` unless ``trusted`` is false: then it is an
    unsigned source that apt accepts only with ``--allow-unauthenticated``)."""
    commands = []
    for index, path in enumerate(OVERLAID):
        upper, work = scratch / f"ov{index}" / "u", scratch / f"ov{index}" / "w"
        upper.mkdir(parents=True)
        work.mkdir(parents=True)
        commands.append(f"mount -t overlay overlay -o lowerdir={path},upperdir={upper},workdir={work} {path}")
    option = "trusted=yes" if trusted else "allow-insecure=yes"
    commands += [
        "rm -rf /etc/apt/sources.list /etc/apt/sources.list.d/* /var/lib/apt/lists/* /var/cache/apt/*.bin",
        "rm -f /etc/apt/apt.conf.d/*docker-clean* /var/lib/apt/periodic/update-success-stamp",
        # the emptied lists folder dates from an hour ago: an update in the same second would not move its
        # time, and both engines (whole seconds) would see no change
        "touch -d '1 hour ago' /var/lib/apt/lists",
        "rm -f /usr/sbin/policy-rc.d",
        f"echo 'deb [{option}] file:{repository} ./' > /etc/apt/sources.list.d/capt.list",
    ]
    return " && ".join(commands)


def run_plays(engine: Path, scratch: Path, repository: Path, plays: list[str], trusted: bool = True,
              setup: str = "", extra_args: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Run each play of ``plays`` (YAML task lists) in turn with ``engine`` in one new sandbox (after
    the shell commands ``setup``). Every task is registered (errors ignored) and the results are
    written to a file by a last task (not counted as a change); per play ``{"rc", "tasks": [result per task], "changed",
    "failed"}`` (``changed`` and ``failed`` are the recap's counts, read from the default output)."""
    scratch.mkdir(parents=True, exist_ok=True)
    steps = [sandbox_setup(scratch, repository, trusted), setup or "true"]
    for index, tasks in enumerate(plays):
        loaded = yaml.safe_load(textwrap.dedent(tasks))
        for number, task in enumerate(loaded):
            task.setdefault("register", f"r{number}")
            task.setdefault("ignore_errors", True)
        names = ", ".join(task["register"] for task in loaded)
        loaded.append({"name": "results", "copy": {"content": f"{{{{ [{names}] | to_json }}}}",
                                                   "dest": str(scratch / f"results{index}.json")},
                       "check_mode": False, "diff": False, "changed_when": False})
        play = [{"hosts": "localhost", "gather_facts": False, "tasks": loaded}]
        (scratch / f"play{index}.yml").write_text(yaml.safe_dump(play, sort_keys=False))
        steps.append(f"{shlex.quote(str(engine))} -i localhost, -c local "
                     f"-e ansible_python_interpreter=/usr/bin/python3 {' '.join(map(shlex.quote, extra_args))} "
                     f"{shlex.quote(str(scratch / f'play{index}.yml'))} > {scratch}/out{index}.txt 2>&1; "
                     f"echo $? > {scratch}/rc{index}")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0")
    proc = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                           steps[0] + " && " + " ; ".join(steps[1:])],
                          capture_output=True, text=True, timeout=600, env=env, cwd=str(scratch))
    results = []
    for index in range(len(plays)):
        output = (scratch / f"out{index}.txt").read_text() if (scratch / f"out{index}.txt").exists() else ""
        recap = re.search(r"localhost\s+: ok=\d+\s+changed=(\d+).*?failed=(\d+)", output)
        if recap is None or not (scratch / f"results{index}.json").exists():
            raise AssertionError(f"{engine.name} did not finish (rc={proc.returncode}):\n{output}\n{proc.stderr}")
        results.append({"rc": int((scratch / f"rc{index}").read_text()), "output": output,
                        "tasks": json.loads((scratch / f"results{index}.json").read_text()),
                        "changed": int(recap.group(1)), "failed": int(recap.group(2))})
    return results
