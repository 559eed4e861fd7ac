"""The lines every CLI prints around a run, compared with ansible-core 2.21's own
CLIs (``.oracle/``, installed by ``scripts/oracle-venv``) on the same input:
``--version``'s fields, the config-file line at ``-v`` and the warnings about host
patterns and empty inventories."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO / ".oracle" / "bin"
CORRAL = Path(sys.executable).parent

#: ansible-core's CLI -> corral's
CLIS = {"ansible-playbook": "corral-playbook", "ansible": "corral", "ansible-inventory": "corral-inventory",
        "ansible-vault": "corral-vault", "ansible-doc": "corral-doc", "ansible-config": "corral-config"}
INVENTORY = "h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"


def _run(program: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_NOCOLOR="1")
    return subprocess.run([str(program), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


def _fields(text: str) -> list[str]:
    return [line.split(" = ", 1)[0].strip() for line in text.splitlines()[1:]]


@pytest.mark.parametrize("ansible, corral", CLIS.items(), ids=list(CLIS.values()))
def test_version_has_ansibles_fields_with_corrals_values(ansible, corral, tmp_path) -> None:
    (tmp_path / "ansible.cfg").write_text("[defaults]\nforks = 3\n")
    theirs = _run(ORACLE / ansible, "--version", cwd=tmp_path)
    ours = _run(CORRAL / corral, "--version", cwd=tmp_path)
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    assert _fields(ours.stdout) == _fields(theirs.stdout)
    assert ours.stdout.splitlines()[0].startswith(f"{corral} [corral ")
    values = dict(line.strip().split(" = ", 1) for line in ours.stdout.splitlines()[1:])
    assert values["config file"] == str(tmp_path / "ansible.cfg")
    assert values["configured module search path"] == \
        repr([os.path.expanduser("~/.ansible/plugins/modules"), "/usr/share/ansible/plugins/modules"])
    assert values["ansible collection location"] == \
        f"{os.path.expanduser('~/.ansible/collections')}:/usr/share/ansible/collections"
    assert values["executable location"] == str(CORRAL / corral)
    assert values["python version"].startswith(sys.version.split()[0]) and sys.executable in values["python version"]
    assert values["jinja version"] == jinja2.__version__
    assert re.fullmatch(r"\S+ \((with libyaml v\S+|without libyaml)\)", values["pyyaml version"])
    assert Path(values["ansible python module location"], "module_utils").is_dir()


#: what each CLI is asked to do at -v
VERBOSE_COMMANDS = {
    "ansible-playbook": ["-v", "-i", "hosts", "site.yml"],
    "ansible": ["-v", "-i", "hosts", "h1", "-m", "ping"],
    "ansible-inventory": ["-v", "-i", "hosts", "--list"],
    "ansible-vault": ["encrypt_string", "-v", "--vault-password-file", "pw", "text"],
}


@pytest.mark.parametrize("with_cfg", [False, True], ids=["no-config", "ansible.cfg"])
@pytest.mark.parametrize("ansible", VERBOSE_COMMANDS, ids=[CLIS[a] for a in VERBOSE_COMMANDS])
def test_verbose_names_the_config_file_first(ansible, with_cfg, tmp_path) -> None:
    (tmp_path / "hosts").write_text(INVENTORY)
    (tmp_path / "pw").write_text("secret\n")
    (tmp_path / "site.yml").write_text("- hosts: h1\n  gather_facts: false\n  tasks:\n    - ping:\n")
    if with_cfg:
        (tmp_path / "ansible.cfg").write_text("[defaults]\nforks = 3\n")
    theirs = _run(ORACLE / ansible, *VERBOSE_COMMANDS[ansible], cwd=tmp_path)
    ours = _run(CORRAL / CLIS[ansible], *VERBOSE_COMMANDS[ansible], cwd=tmp_path)
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    expected = f"Using {tmp_path / 'ansible.cfg'} as config file" if with_cfg else \
        "No config file found; using defaults"
    assert ours.stdout.splitlines()[0] == theirs.stdout.splitlines()[0] == expected


@pytest.mark.parametrize("inventory, pattern, extra", [
    ("", "all", []), ("", "localhost", []), ("", "nosuch", []), ("", "all,localhost", []),
    (INVENTORY, "nosuch", []), (INVENTORY, "nosuch", ["--list-hosts"]), ("", "all", ["--list-hosts"]),
], ids=["empty-all", "empty-localhost", "empty-nomatch", "empty-all-and-localhost", "nomatch",
        "nomatch-list-hosts", "empty-list-hosts"])
def test_adhoc_warns_about_patterns_and_empty_inventories_as_ansible(inventory, pattern, extra, tmp_path) -> None:
    (tmp_path / "hosts").write_text(inventory)
    args = ["-i", "hosts", pattern, "-m", "ping", *extra]
    theirs = _run(ORACLE / "ansible", *args, cwd=tmp_path)
    ours = _run(CORRAL / "corral", *args, cwd=tmp_path)
    assert ours.returncode == theirs.returncode
    warnings = [line for line in ours.stderr.splitlines() if line.startswith("[WARNING]")]
    assert warnings == [line for line in theirs.stderr.splitlines() if line.startswith("[WARNING]")]
    assert [line for line in ours.stdout.splitlines() if "hosts (" in line or "SUCCESS" in line] == \
        [line for line in theirs.stdout.splitlines() if "hosts (" in line or "SUCCESS" in line]
