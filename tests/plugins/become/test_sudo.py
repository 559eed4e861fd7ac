"""corral-become-sudo: a real play escalates with sudo; its options come from
Ansible's sources with Ansible's precedence.  (Passwords over ssh: tests/ssh/test_become.py.)"""
from __future__ import annotations


def test_a_play_runs_its_task_through_sudo(escalate) -> None:
    assert escalate("sudo", "nobody") == "nobody"


def test_options_come_from_ansibles_sources_with_its_precedence(resolve, monkeypatch) -> None:
    cfg = "[privilege_escalation]\nbecome_user = from_ini\n[sudo_become_plugin]\nflags = -H -S\n"
    become = resolve("sudo", cfg)
    assert (become.user, become.flags, become.exe) == ("from_ini", "-H -S", "sudo")
    assert become.plugin == "corral_become_sudo:SudoBecome"
    monkeypatch.setenv("ANSIBLE_BECOME_USER", "from_env")
    assert resolve("sudo", cfg).user == "from_env"
    cli = {"become_user": "from_cli"}
    assert resolve("sudo", cfg, cli=cli).user == "from_cli"
    assert resolve("sudo", cfg, cli=cli, keywords={"become_user": "from_keyword"}).user == "from_keyword"
    variables = {"ansible_become_user": "become_var", "ansible_sudo_user": "sudo_var"}
    assert resolve("sudo", cfg, keywords={"become_user": "kw"}, variables=variables).user == "sudo_var"
    # another method's variable names are not sudo's
    assert resolve("su", cfg, variables=variables).user == "become_var"


def test_the_password_comes_from_variables_before_the_command_line(resolve) -> None:
    become = resolve("sudo", cli={"become_pass": "from -K"})
    assert become.password == "from -K"
    assert "from -K" not in repr(become)
    assert resolve("sudo", cli={"become_pass": "from -K"},
                   variables={"ansible_become_password": "var"}).password == "var"
