"""Run the same account tasks (``user``, ``group``) with corral-playbook and ansible-core's
ansible-playbook, each inside a throwaway mount namespace whose /etc (passwd, shadow, group,
gshadow, login.defs, skel...), /home, /var/log and /var/mail are private copies, so the
machine's accounts are never changed; return what each engine registered and left behind.

The whole /etc is a private copy bind-mounted over it (not the single files): shadow-utils
replaces /etc/passwd by renaming a new file over it, which a file bind mount refuses."""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO / ".oracle" / "bin" / "ansible-playbook"
CORRAL = Path(sys.executable).with_name("corral-playbook")
#: the files of /etc whose contents are compared after the plays
ACCOUNT_FILES = ("passwd", "shadow", "group", "gshadow")
#: result keys only one engine adds, not about the module (ansible-core keeps module_args)
IGNORED_KEYS = {"invocation", "_ansible_no_log", "warnings", "deprecations"}


def _playbook(tasks: list[dict[str, Any]], results: Path) -> list[dict[str, Any]]:
    """Each task registered (failures kept going), then one task writing all the registrations
    as JSON to ``results``."""
    body = []
    for index, task in enumerate(tasks):
        body.append({**task, "register": f"r{index}", "ignore_errors": True})
    names = ", ".join(f"r{index}" for index in range(len(tasks)))
    body.append({"copy": {"content": "{{ [%s] | to_json }}" % names, "dest": str(results)},
                 "check_mode": False, "diff": False})
    return [{"hosts": "localhost", "gather_facts": False, "tasks": body}]


def _snapshot_script(out: Path) -> str:
    """Shell that records the account files and the /home tree (paths, modes, owners) into ``out``."""
    copies = " ; ".join(f"cp /etc/{name} {out}/{name}" for name in ACCOUNT_FILES)
    return (f"mkdir -p {out} ; {copies} ; "
            f"(cd /home && find . -printf '%p %M %u %g %l\\n' | sort) > {out}/home.txt ; "
            f"(ls /var/mail | sort) > {out}/mail.txt")


def snapshot_system(directory: Path) -> Path:
    """Copy /etc and /var/log into ``directory`` (the start both engines get: other programs may
    add accounts to the machine meanwhile); return it."""
    directory.mkdir(parents=True)
    _copy_tree(Path("/etc"), directory / "etc")
    _copy_tree(Path("/var/log"), directory / "varlog")
    return directory


def _copy_tree(source: Path, dest: Path, attempts: int = 5) -> None:
    """``cp -a source dest``, again when a file vanished while it was copied (the machine's
    other programs lock and replace files in /etc meanwhile)."""
    for _ in range(attempts):
        proc = subprocess.run(["cp", "-a", str(source), str(dest)], capture_output=True, text=True)
        if proc.returncode == 0:
            return
        shutil.rmtree(dest, ignore_errors=True)
    raise AssertionError(f"could not copy {source}: {proc.stderr}")


def run_engine(engine: Path, workdir: Path, tasks: list[dict[str, Any]], setup: str = "",
               runs: int = 2, extra_args: tuple[str, ...] = (), start: Path | None = None) -> dict[str, Any]:
    """Run ``tasks`` ``runs`` times with ``engine`` in one private namespace (its /etc and /var/log
    copied from ``start``, a ``snapshot_system``, or from the machine) after ``setup`` (shell);
    return ``{"runs": [registered results of each run], "stdout": [screen output of each run, the
    work directory written <DIR>], "files": {name: text}, "home": [the /home tree], "mail": [spools]}``."""
    workdir.mkdir(parents=True)
    for name in ("home", "mail"):
        (workdir / name).mkdir()
    source = start or Path("/")
    _copy_tree(source / "etc", workdir / "etc")
    _copy_tree(source / ("varlog" if start else "var/log"), workdir / "varlog")
    commands = [f"mount --bind {workdir}/etc /etc", f"mount --bind {workdir}/home /home",
                f"mount --bind {workdir}/varlog /var/log", f"mount --bind {workdir}/mail /var/mail",
                setup or "true"]
    for index in range(runs):
        play_file = workdir / f"play{index}.yml"
        play_file.write_text(yaml.safe_dump(_playbook(tasks, workdir / f"results{index}.json"), sort_keys=False))
        commands.append(f"{shlex.quote(str(engine))} -i localhost, -c local {' '.join(extra_args)} "
                        f"{play_file} > {workdir}/stdout{index}.txt 2>&1")
    commands.append(_snapshot_script(workdir / "after"))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_PYTHON_INTERPRETER="/usr/bin/python3", ANSIBLE_HOST_KEY_CHECKING="0")
    proc = subprocess.run(["unshare", "--mount", "sh", "-c", " ; ".join(commands)], capture_output=True,
                          text=True, timeout=600, env=env, cwd=str(workdir))
    outcome: dict[str, Any] = {"runs": [], "stdout": [], "files": {}}
    for index in range(runs):
        stdout = (workdir / f"stdout{index}.txt").read_text()
        outcome["stdout"].append(stdout.replace(str(workdir), "<DIR>"))
        results = workdir / f"results{index}.json"
        if not results.exists():
            raise AssertionError(f"{engine.name} run {index} wrote no results:\n{stdout}\n{proc.stderr}")
        outcome["runs"].append([_comparable(result) for result in json.loads(results.read_text())])
    for name in ACCOUNT_FILES:
        outcome["files"][name] = (workdir / "after" / name).read_text()
    outcome["home"] = (workdir / "after" / "home.txt").read_text().splitlines()
    outcome["mail"] = (workdir / "after" / "mail.txt").read_text().splitlines()
    return outcome


def _comparable(result: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in result.items() if key not in IGNORED_KEYS}


def run_both(tmp_path: Path, tasks: list[dict[str, Any]], setup: str = "", runs: int = 2,
             extra_args: tuple[str, ...] = ()) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(corral's outcome, ansible-core's outcome)`` of the same ``tasks`` from the same start."""
    start = snapshot_system(tmp_path / "start")
    return (run_engine(CORRAL, tmp_path / "corral", tasks, setup, runs, extra_args, start),
            run_engine(ORACLE, tmp_path / "ansible", tasks, setup, runs, extra_args, start))
