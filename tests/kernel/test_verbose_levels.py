"""What ``-vv`` and ``-vvvv`` add, compared with ansible-core 2.21 on the same play:
the version text first at ``-vv``; at ``-vvvv`` ``setting up inventory plugins`` and,
under the ``PLAYBOOK`` banner, the command line's options as ansible-core's
``context.CLIARGS`` (``Positional arguments: ...``, then each set option in its
order); ``corral-inventory`` traces its parsing at ``-vvv``/``-vvvv`` as
ansible-inventory.  No password is ever shown (only the files holding them)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO / ".oracle" / "bin"
CORRAL = Path(sys.executable).parent
PASSWORD = "vault-secret-never-shown"


def _run(program: Path, *args: str, cwd: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([str(program), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert PASSWORD not in proc.stdout + proc.stderr
    return proc.stdout.splitlines()


@pytest.fixture
def play(tmp_path: Path) -> Path:
    (tmp_path / "hosts").write_text("h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n")
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    (tmp_path / "mods").mkdir()
    (tmp_path / "site.yml").write_text("- hosts: all\n  gather_facts: false\n  tasks:\n    - name: ping\n"
                                       "      ping:\n")
    return tmp_path


def _cli_arguments(lines: list[str]) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith("PLAYBOOK: "))
    end = next(i for i, line in enumerate(lines) if " plays in " in line)
    return lines[start + 1:end]


@pytest.mark.parametrize("extra", [
    [],
    ["--check", "--diff", "-l", "all", "-e", "x=1", "-t", "all", "--skip-tags", "never", "-u", "root", "-f", "3",
     "-T", "9", "--flush-cache", "--force-handlers", "-b", "--become-user", "root", "-M", "mods",
     "--ssh-common-args=-oA=b", "--ssh-extra-args=-oC=d", "--scp-extra-args=-l", "--sftp-extra-args=-q",
     "--start-at-task=ping", "--private-key", "/dev/null", "-c", "local", "--vault-password-file", "pw"],
    ["--vault-id", "pw", "--connection-password-file", "pw", "--become-password-file", "pw", "-c", "local"],
], ids=["defaults", "many", "password-files"])
def test_vvvv_shows_the_command_line_as_ansible_playbook(play: Path, extra: list[str]) -> None:
    theirs = _run(ORACLE / "ansible-playbook", "-vvvv", "-i", "hosts", *extra, "site.yml", cwd=play)
    ours = _run(CORRAL / "corral-playbook", "-vvvv", "-i", "hosts", *extra, "site.yml", cwd=play)
    assert _cli_arguments(ours) == _cli_arguments(theirs)
    assert _cli_arguments(ours)[0] == "Positional arguments: site.yml"
    assert "setting up inventory plugins" in ours and "setting up inventory plugins" in theirs
    quieter = _run(CORRAL / "corral-playbook", "-vvv", "-i", "hosts", *extra, "site.yml", cwd=play)
    assert "setting up inventory plugins" not in quieter and "Positional arguments: site.yml" not in quieter


@pytest.mark.parametrize("ansible, corral, args", [
    ("ansible-playbook", "corral-playbook", ["-i", "hosts", "site.yml"]),
    ("ansible", "corral", ["-i", "hosts", "all", "-m", "ping"]),
    ("ansible-inventory", "corral-inventory", ["-i", "hosts", "--list"]),
])
def test_vv_prints_the_version_text_first(play: Path, ansible: str, corral: str, args: list[str]) -> None:
    theirs = _run(ORACLE / ansible, "-vv", *args, cwd=play)
    ours = _run(CORRAL / corral, "-vv", *args, cwd=play)
    assert theirs[0].startswith(f"{ansible} [core ") and ours[0].startswith(f"{corral} [corral ")
    assert [line.split(" = ")[0] for line in ours[1:9]] == [line.split(" = ")[0] for line in theirs[1:9]]
    assert ours[9] == theirs[9] == "No config file found; using defaults"
    assert not any(line.startswith(f"{corral} [corral ") for line in _run(CORRAL / corral, "-v", *args, cwd=play))


@pytest.mark.parametrize("verbosity", ["-vvv", "-vvvv"])
def test_inventory_traces_its_parsing_as_ansible_inventory(play: Path, verbosity: str) -> None:
    def parsing(lines: list[str]) -> list[str]:
        return [line for line in lines if "declined parsing" in line or line.startswith(("Parsed ", "setting up"))]
    theirs = _run(ORACLE / "ansible-inventory", verbosity, "-i", "hosts", "--list", "--vault-password-file", "pw",
                  cwd=play)
    ours = _run(CORRAL / "corral-inventory", verbosity, "-i", "hosts", "--list", "--vault-password-file", "pw",
                cwd=play)
    assert parsing(ours) == parsing(theirs)
    assert parsing(ours)[-1] == f"Parsed {play / 'hosts'} inventory source with ini plugin"
