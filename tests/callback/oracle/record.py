"""Record Ansible's screen output and callback events for corral's callback tests.

Run with the oracle present (``scripts/oracle-venv``): ``.venv/bin/python
tests/callback/oracle/record.py``.  For each scenario below it runs the oracle's
``ansible-playbook`` on localhost with the ``record_events`` callback enabled and
writes ``recorded/<name>.events.jsonl`` (every v2 event with its arguments) and
``recorded/<name>.stdout`` (Ansible's stdout).  The playbook directory is written as
``@DIR@`` so that tests can replay from any directory.  Lines that Ansible's CLI,
playbook executor or strategy print (not its stdout callback) are dropped from the
recorded stdout: the version header and "No config file found" at ``-v``,
"N plays in X", "Notification for handler ... has been saved." and, at ``-vvv``, the
connection's ``<host> EXEC ...`` and "Using module file" lines.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
ORACLE = ROOT / ".oracle" / "bin" / "ansible-playbook"
WORK = Path("/tmp/corral-oracle-callbacks")

#: name -> (playbook, extra command line, extra environment, inventory)
SCENARIOS: dict[str, tuple[str, list[str], dict[str, str], str]] = {
    "basic": ("basic.yml", [], {}, "localhost,"),
    "basic_v": ("basic.yml", ["-v"], {}, "localhost,"),
    "basic_yaml": ("basic.yml", [], {"ANSIBLE_CALLBACK_RESULT_FORMAT": "yaml"}, "localhost,"),
    "basic_two_hosts": ("basic.yml", [], {}, "alpha,beta,"),
    "more": ("more.yml", [], {}, "localhost,"),
    "small": ("small.yml", [], {}, "localhost,"),
    "small_vv": ("small.yml", ["-vv"], {}, "localhost,"),
    "small_hidden": ("small.yml", [], {"ANSIBLE_DISPLAY_SKIPPED_HOSTS": "0", "ANSIBLE_DISPLAY_OK_HOSTS": "0"},
                     "localhost,"),
    "check_markers": ("small.yml", ["-C"], {"ANSIBLE_CHECK_MODE_MARKERS": "1"}, "localhost,"),
    "diff": ("diff.yml", ["-C", "--diff"], {}, "localhost,"),
    "misc": ("misc.yml", [], {"ANSIBLE_SHOW_CUSTOM_STATS": "1"}, "localhost,"),
    "misc_vvv": ("misc.yml", ["-vvv"], {"ANSIBLE_SHOW_CUSTOM_STATS": "1"}, "localhost,"),
    "flow": ("flow.yml", [], {}, "alpha,beta,"),
    "options": ("options.yml", [], {"ANSIBLE_DISPLAY_FAILED_STDERR": "1", "ANSIBLE_SHOW_TASK_PATH_ON_FAILURE": "1",
                                    "ANSIBLE_DISPLAY_ARGS_TO_STDOUT": "1"}, "localhost,"),
    "more_color": ("more.yml", [], {"ANSIBLE_FORCE_COLOR": "1"}, "localhost,"),
    "diff_color": ("diff.yml", ["-C", "--diff"], {"ANSIBLE_FORCE_COLOR": "1"}, "localhost,"),
    "unreachable": ("unreach.yml", ["-e", "ansible_connection=ssh", "-e", "ansible_port=1"], {}, "127.0.0.1,"),
    "engine": ("engine.yml", [], {}, "localhost,"),
}

_NOT_CALLBACK = (re.compile(r"^\d+ plays in "), re.compile(r"^Notification for handler .* has been saved\.$"),
                 re.compile(r"^<[^>]+> "), re.compile(r"^Using module file "))


def _clean(stdout: str, verbose: bool) -> str:
    lines = stdout.split("\n")
    if verbose:  # the CLI's header ends at the first blank line (which starts the first banner)
        lines = lines[lines.index(""):]
    return "\n".join(line for line in lines if not any(p.match(line) for p in _NOT_CALLBACK))


def record(name: str) -> None:
    playbook, extra, env_extra, inventory = SCENARIOS[name]
    if WORK.exists():
        shutil.rmtree(WORK)
    shutil.copytree(HERE / "scenarios", WORK, dirs_exist_ok=True)
    for source in (HERE / "scenarios").glob("*.yml"):
        (WORK / source.name).write_text(source.read_text().replace("@DIR@", str(WORK)))
    (WORK / "target.txt").write_text("old\n")
    events = WORK / "events.jsonl"
    env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER="/usr/bin/python3",
               RECORD_EVENTS_FILE=str(events), ANSIBLE_CALLBACK_PLUGINS=str(HERE / "callback_plugins"),
               ANSIBLE_CALLBACKS_ENABLED="record_events", ANSIBLE_NOCOLOR="1", ANSIBLE_HOST_KEY_CHECKING="0",
               **env_extra)
    if "-c" not in extra and not any(a.startswith("ansible_connection") for a in extra):
        extra = ["-c", "local", *extra]
    proc = subprocess.run([str(ORACLE), "-i", inventory, *extra, playbook], cwd=WORK, env=env,
                          capture_output=True, text=True, timeout=300)
    out = HERE / "recorded"
    out.mkdir(exist_ok=True)
    verbose = any(re.fullmatch(r"-v+", a) for a in extra)
    (out / f"{name}.stdout").write_text(_clean(proc.stdout, verbose).replace(str(WORK), "@DIR@"))
    (out / f"{name}.stderr").write_text(proc.stderr.replace(str(WORK), "@DIR@"))
    (out / f"{name}.events.jsonl").write_text(events.read_text().replace(str(WORK), "@DIR@"))
    (out / f"{name}.rc").write_text(f"{proc.returncode}\n")


#: scenarios also run through ansible-runner, whose job events ``<name>.runner.json`` keeps
RUNNER_SCENARIOS = ("small", "basic", "misc")

_RUNNER_SCRIPT = """
import json, sys, ansible_runner
r = ansible_runner.run(private_data_dir=sys.argv[1], playbook=sys.argv[2],
                       inventory='localhost ansible_connection=local', quiet=True,
                       envvars={'ANSIBLE_PYTHON_INTERPRETER': '/usr/bin/python3', 'ANSIBLE_NOCOLOR': '1'})
print(json.dumps(list(r.events)))
"""


def record_runner(name: str) -> None:
    """Record ansible-runner's job events for scenario ``name`` (needs ansible-runner
    installed in the oracle: ``.oracle/bin/pip install ansible-runner``)."""
    playbook = SCENARIOS[name][0]
    if WORK.exists():
        shutil.rmtree(WORK)
    (WORK / "project").mkdir(parents=True)
    for source in (HERE / "scenarios").iterdir():
        (WORK / "project" / source.name).write_text(source.read_text().replace("@DIR@", str(WORK / "project")))
    env = dict(os.environ, PATH=f"{ORACLE.parent}:{os.environ['PATH']}")
    proc = subprocess.run([str(ORACLE.parent / "python"), "-c", _RUNNER_SCRIPT, str(WORK), playbook], env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    events = json.loads(proc.stdout)
    text = json.dumps(events, indent=1).replace(str(WORK / "project"), "@DIR@")
    (HERE / "recorded" / f"{name}.runner.json").write_text(text + "\n")


if __name__ == "__main__":
    for scenario in sys.argv[1:] or SCENARIOS:
        record(scenario)
        if scenario in RUNNER_SCENARIOS:
            record_runner(scenario)
        print("recorded", scenario)
