"""Record what ansible-core prints and writes with the everyday callbacks.

Usage: ``.venv/bin/python tests/plugins/callback/everyday/record.py`` (needs the oracle,
``bash scripts/oracle-venv``, and installs the ``ansible`` package from PyPI once for
ansible.posix's timing callbacks).  Writes ``recorded/*``: the screen of
``timing.yml`` under ``profile_tasks``, ``profile_roles`` and ``timer`` together, and
the junit reports of ``report.yml`` (default options, and every option changed).
Paths of this folder are written as ``@DIR@``.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from pypi_packages import ansible_package  # noqa: E402

ORACLE = HERE.parents[3] / ".oracle" / "bin" / "ansible-playbook"
JUNIT_ALL_OPTIONS = {"JUNIT_FAIL_ON_CHANGE": "true", "JUNIT_FAIL_ON_IGNORE": "true", "JUNIT_TASK_CLASS": "true",
                     "JUNIT_HIDE_TASK_ARGUMENTS": "true", "JUNIT_TEST_CASE_PREFIX": "T",
                     "JUNIT_TASK_RELATIVE_PATH": "@DIR@/roles", "JUNIT_REPLACE_OUT_OF_TREE_PATH": "OUT/"}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_", "JUNIT_"))}
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_PYTHON_INTERPRETER=sys.executable, **extra)
    return env


def run(playbook: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ORACLE), "-i", "inventory", playbook], cwd=HERE, env=clean_env(**env),
                          capture_output=True, text=True, timeout=300)


def junit(name: str, options: dict[str, str]) -> None:
    out = Path(tempfile.mkdtemp())
    try:
        run("report.yml", ANSIBLE_CALLBACKS_ENABLED="junit", JUNIT_OUTPUT_DIR=str(out),
            **{k: v.replace("@DIR@", str(HERE)) for k, v in options.items()})
        (report,) = glob.glob(str(out / "*.xml"))
        (HERE / "recorded" / f"{name}.xml").write_text(Path(report).read_text().replace(str(HERE), "@DIR@"))
    finally:
        shutil.rmtree(out)


def main() -> None:
    collections = str(ansible_package())
    timing = run("timing.yml", ANSIBLE_COLLECTIONS_PATH=collections,
                 ANSIBLE_CALLBACKS_ENABLED="ansible.posix.profile_tasks,ansible.posix.profile_roles,ansible.posix.timer")
    (HERE / "recorded" / "timing.stdout").write_text(timing.stdout.replace(str(HERE), "@DIR@"))
    junit("junit-default", {})
    junit("junit-options", JUNIT_ALL_OPTIONS)


if __name__ == "__main__":
    main()
