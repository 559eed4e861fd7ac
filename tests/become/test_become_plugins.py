"""The become plugin kind: the standard methods run real plays, each plugin's options
come from Ansible's sources, an unknown method fails the task as Ansible does."""
from __future__ import annotations

from pathlib import Path

import pytest

from corral.config import Config
from corral.errors import CorralOptionsError
from corral.executor.become import resolve_become
from corral.plugins.become import BecomeHandshake, build_become_command
from corral.plugins.connection import Become
from corral.plugins.manager import PluginManager
from pytest_corral.sshd import target_python

PLAY = """
- hosts: all
  gather_facts: false
  become: true
  become_method: {method}
  become_user: {user}
  tasks:
    - command: id -un
      register: who
    - debug: msg="escalated={{{{ who.stdout }}}}"
"""


def _local_inventory(tmp_path: Path) -> Path:
    inventory = tmp_path / "hosts.ini"
    inventory.write_text(f"target ansible_connection=local ansible_python_interpreter={target_python()}\n")
    return inventory


def test_runuser_play_runs_its_tasks_as_the_become_user(tmp_path, cli, corral_su_user):
    playbook = tmp_path / "site.yml"
    playbook.write_text(PLAY.format(method="runuser", user=corral_su_user.name))
    result = cli("corral-playbook", "-i", str(_local_inventory(tmp_path)), str(playbook))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"escalated={corral_su_user.name}" in result.stdout
    assert cli.recap(result.stdout)["target"]["failed"] == 0


def test_an_unknown_method_fails_the_task_as_ansible_words_it(tmp_path, cli):
    playbook = tmp_path / "site.yml"
    playbook.write_text(PLAY.format(method="pbrun", user="root"))
    result = cli("corral-playbook", "-i", str(_local_inventory(tmp_path)), str(playbook))
    assert result.returncode == 2
    assert "Invalid become method specified, could not find matching plugin: 'pbrun'" in result.stdout
    assert "installed become plugins: runuser, su, sudo" in result.stdout


def test_a_standard_method_that_is_not_installed_names_its_distribution():
    plugins = PluginManager(allow=["become:sudo"])
    with pytest.raises(CorralOptionsError, match=r"pip install corral-become-runuser"):
        resolve_become(plugins, "runuser", variables={}, keywords={}, cli={}, ini=None)


def _resolve(method: str, tmp_path: Path, *, variables=None, keywords=None, cli=None, env=None,
             cfg: str = "") -> Become:
    (tmp_path / "corral.cfg").write_text(cfg)
    config = Config(env={"HOME": str(tmp_path), **(env or {})}, cwd=str(tmp_path))
    return resolve_become(PluginManager(), method, variables=variables or {}, keywords=keywords or {},
                          cli=cli or {}, ini=config)


def test_options_come_from_ansibles_sources_with_its_precedence(tmp_path, monkeypatch):
    for name in ("ANSIBLE_BECOME_USER", "CORRAL_BECOME_USER", "ANSIBLE_SUDO_FLAGS"):
        monkeypatch.delenv(name, raising=False)
    cfg = "[privilege_escalation]\nbecome_user = from_ini\n[sudo_become_plugin]\nflags = -H -S\n"
    become = _resolve("sudo", tmp_path, cfg=cfg)
    assert (become.user, become.flags, become.exe) == ("from_ini", "-H -S", "sudo")
    monkeypatch.setenv("ANSIBLE_BECOME_USER", "from_env")
    assert _resolve("sudo", tmp_path, cfg=cfg).user == "from_env"
    assert _resolve("sudo", tmp_path, cfg=cfg, cli={"become_user": "from_cli"}).user == "from_cli"
    assert _resolve("sudo", tmp_path, cfg=cfg, cli={"become_user": "from_cli"},
                    keywords={"become_user": "from_keyword"}).user == "from_keyword"
    variables = {"ansible_become_user": "become_var", "ansible_sudo_user": "sudo_var"}
    assert _resolve("sudo", tmp_path, cfg=cfg, keywords={"become_user": "kw"}, variables=variables).user == "sudo_var"
    # the method's own variable names are its own: su does not read ansible_sudo_user
    assert _resolve("su", tmp_path, cfg=cfg, variables=variables).user == "become_var"


def test_a_standard_prefix_names_the_same_method(tmp_path):
    become = _resolve("ansible.builtin.su", tmp_path)
    assert (become.method, become.plugin) == ("su", "corral_become_su:SuBecome")


def test_the_password_comes_from_variables_before_the_command_line(tmp_path):
    become = _resolve("sudo", tmp_path, cli={"become_pass": "from -K"})
    assert become.password == "from -K"
    assert _resolve("sudo", tmp_path, cli={"become_pass": "from -K"},
                    variables={"ansible_become_password": "var"}).password == "var"
    assert "var" not in repr(become)


def test_the_become_carries_the_plugin_reference_and_its_other_options(tmp_path):
    become = _resolve("su", tmp_path, variables={"ansible_su_prompt_l10n": ["Kennwort"]})
    assert become.plugin == "corral_become_su:SuBecome"
    assert become.get("prompt_l10n") == ("Kennwort",)
    hash(become)


def test_su_answers_a_localized_prompt_from_its_options():
    become = Become(method="su", user="nobody", password="pw", plugin="corral_become_su:SuBecome",
                    extra=(("prompt_l10n", ("Kennwort",)),))
    handshake = BecomeHandshake(build_become_command("true", become))
    assert handshake.feed(err=b"Kennwort: ") == b"pw\n"
    assert handshake.feed(err=b"\nsu: Authentication failure\n") == b""
    assert handshake.failed == "Incorrect su password"


def test_runuser_refusal_is_the_task_failure(corral_su_user):
    import subprocess

    from corral.plugins.become import run_become_handshake
    bc = build_become_command("id -un", Become(method="runuser", user="root"))
    proc = subprocess.Popen(["runuser", "-u", corral_su_user.name, "--", "/bin/sh", "-c", bc.cmd],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd="/")
    try:
        handshake = run_become_handshake(proc.stdin.fileno(), proc.stdout.fileno(), proc.stderr.fileno(),
                                         bc, timeout=15)
    finally:
        proc.kill()
        proc.wait(timeout=5)
    assert handshake.failed and "may not be used by non-root users" in handshake.failed
