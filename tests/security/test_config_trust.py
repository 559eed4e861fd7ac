"""Config files in a world-writable current directory are not trusted (issue #10, item 5).

A config file can make corral run code (``vault_password_file`` may be a script), so
one that any local user could have dropped into a world-writable working directory
(``/tmp``, a shared scratch dir) is ignored with a warning, as Ansible does.  A config
file in a directory only its owner can write, or named explicitly by
``ANSIBLE_CONFIG``/``CORRAL_CONFIG``, is still honoured.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PLAYBOOK = """\
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - debug:
        msg: hello
"""


def _run(tool: str, *args: str, cwd: Path, home: Path, env: dict[str, str] | None = None,
         ) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("ANSIBLE_", "CORRAL_")) and k != "SSH_AUTH_SOCK"}
    environ.update(HOME=str(home), CORRAL_NOCOLOR="1", **(env or {}))
    return subprocess.run([str(Path(sys.executable).parent / tool), *args], cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def planted(tmp_path):
    """A working directory holding an ``ansible.cfg`` (and a ``corral.cfg``) whose
    ``vault_password_file`` is a script that creates a canary file when run."""
    work = tmp_path / "work"
    work.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    canary = tmp_path / "canary"
    script = tmp_path / "vault-pass.sh"
    script.write_text(f"#!/bin/sh\ntouch {canary}\necho planted-password\n")
    script.chmod(0o755)
    for name in ("ansible.cfg", "corral.cfg"):
        (work / name).write_text(f"[defaults]\nvault_password_file = {script}\n")
    (work / "site.yml").write_text(PLAYBOOK)
    yield work, home, canary
    work.chmod(0o755)


COMMANDS = {
    "corral-playbook": ("corral-playbook", "-i", "localhost,", "site.yml"),
    "corral": ("corral", "localhost", "-i", "localhost,", "-c", "local", "-m", "ping",
               "-e", f"ansible_python_interpreter={sys.executable}"),
    "corral-vault": ("corral-vault", "encrypt_string", "value"),
}


@pytest.mark.parametrize("mode", [0o1777, 0o0777], ids=["1777", "0777"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_config_in_world_writable_cwd_is_ignored_with_a_warning(planted, command, mode):
    work, home, canary = planted
    work.chmod(mode)
    result = _run(*COMMANDS[command], cwd=work, home=home)
    assert not canary.exists(), "the planted vault_password_file script was executed"
    assert "[WARNING]: corral is being run in a world writable directory" in result.stderr
    assert f"({work})" in result.stderr
    assert "ignoring its ansible.cfg as a config source" in result.stderr
    assert "ignoring its corral.cfg as a config source" in result.stderr
    assert "Traceback" not in result.stderr
    if command != "corral-vault":  # with no password source left, corral-vault has nothing to encrypt with
        assert result.returncode == 0, result.stdout + result.stderr


def test_config_in_private_cwd_is_still_read(planted):
    work, home, canary = planted
    work.chmod(0o755)
    result = _run("corral-playbook", "-i", "localhost,", "site.yml", cwd=work, home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert canary.exists(), "the config file of a 0755 working directory was not read"
    assert "world writable" not in result.stderr


def test_explicit_config_env_in_world_writable_dir_is_honoured(planted):
    work, home, canary = planted
    work.chmod(0o1777)
    (work / "corral.cfg").unlink()
    result = _run("corral-playbook", "-i", "localhost,", "site.yml", cwd=work, home=home,
                  env={"ANSIBLE_CONFIG": str(work / "ansible.cfg")})
    assert result.returncode == 0, result.stdout + result.stderr
    assert canary.exists(), "ANSIBLE_CONFIG naming the file is an explicit choice and must be read"
    assert "world writable" not in result.stderr


def test_world_writable_cwd_without_config_file_gives_no_warning(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    work.chmod(0o1777)
    (work / "site.yml").write_text(PLAYBOOK)
    home = tmp_path / "home"
    home.mkdir()
    result = _run("corral-playbook", "-i", "localhost,", "site.yml", cwd=work, home=home)
    work.chmod(0o755)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "world writable" not in result.stderr


def test_inventory_cli_ignores_planted_inventory_setting(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "planted-hosts").write_text("planted-host\n")
    (work / "ansible.cfg").write_text(f"[defaults]\ninventory = {work / 'planted-hosts'}\n")
    home = tmp_path / "home"
    home.mkdir()
    work.chmod(0o1777)
    result = _run("corral-inventory", "--list", cwd=work, home=home)
    work.chmod(0o755)
    assert "planted-host" not in result.stdout
    assert "world writable directory" in result.stderr
