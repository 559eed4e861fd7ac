"""RunSettings: the command line, the typed API and Ansible's seed API configure a run
the same way, built in one place (corral.settings) and assembled in one place
(corral.assembly)."""
from __future__ import annotations

import dataclasses
import os
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from corral.api import run_playbook
from corral.cli.options import base_parser, build_run
from corral.config import Config
from corral.executor.task_queue_manager import TaskQueueManager
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral.settings import RunSettings
from corral.vars.manager import VariableManager

PLAYBOOK = "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n"

#: Ansible's Options namedtuple, with the fields the seed lists and those a run reads
Options = namedtuple("Options", ["connection", "module_path", "forks", "become", "become_method", "become_user",
                                 "check", "diff", "verbosity", "remote_user", "private_key_file", "timeout",
                                 "tags", "skip_tags"])


@pytest.fixture
def clean_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory to run in, with no CORRAL_/ANSIBLE_ variables and no config file."""
    for name in list(os.environ):
        if name.startswith(("CORRAL_", "ANSIBLE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _inventory(directory: Path) -> str:
    path = directory / "hosts.ini"
    path.write_text(f"web1 ansible_connection=local ansible_python_interpreter={sys.executable}\n")
    return str(path)


def test_the_command_line_and_the_api_give_equal_settings(clean_config: Path) -> None:
    inventory = _inventory(clean_config)
    (clean_config / "password").write_text("s3cret\n")
    args = base_parser("corral-playbook", "test").parse_args([
        "-i", inventory, "-l", "web1", "-f", "3", "-C", "-D", "-vv", "-c", "local", "-u", "bob",
        "--private-key", "/keys/id", "-T", "7", "-b", "--become-method", "su", "--become-user", "admin",
        "--connection-password-file", str(clean_config / "password"), "-e", "x=1"])
    from_cli = build_run(args, basedir=str(clean_config), tags=["a,b"], skip_tags=["c"]).settings
    playbook = clean_config / "site.yml"
    playbook.write_text(PLAYBOOK)
    result = run_playbook(playbook, inventory=inventory, limit="web1", forks=3, check=True, diff=True, verbosity=2,
                          connection="local", remote_user="bob", private_key_file="/keys/id", timeout=7,
                          become=True, become_method="su", become_user="admin", tags=["a", "b"],
                          skip_tags=["c"], passwords={"conn_pass": "s3cret"}, extra_vars={"x": "1"})
    assert result.rc == 0
    # -e keeps the text the command line gave; both become the same variables
    assert from_cli.extra_vars == ("x=1",) and result.settings.extra_vars == ({"x": "1"},)
    assert dataclasses.replace(from_cli, extra_vars=()) == dataclasses.replace(result.settings, extra_vars=())
    assert from_cli.conn_pass == "s3cret" and "s3cret" not in repr(from_cli)
    assert from_cli.forks == 3 and from_cli.tags == ("a", "b") and from_cli.only_tags == {"a", "b"}


def test_the_seed_api_gives_the_settings_the_command_line_gives(clean_config: Path) -> None:
    args = base_parser("corral", "test").parse_args([
        "-f", "4", "-C", "-c", "local", "-b", "--become-method", "sudo", "--become-user", "root", "-v"])
    from_cli = RunSettings.from_args(args, Config())
    options = Options(connection="local", module_path="/path/to/mymodules", forks=4, become=True,
                      become_method="sudo", become_user="root", check=True, diff=False, verbosity=1,
                      remote_user=None, private_key_file=None, timeout=None, tags=None, skip_tags=None)
    loader = DataLoader()
    inventory = InventoryManager(loader, sources=[])
    seeds = [TaskQueueManager(inventory, VariableManager(loader, inventory), loader, options=given)
             for given in (options, options._asdict())]    # a namedtuple, or Ansible's context.CLIARGS mapping
    for tqm in seeds:
        assert tqm.settings == from_cli
        assert tqm.forks == 4 and tqm.settings.only_tags == {"all"}


def test_what_is_not_given_comes_from_the_configuration(clean_config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSIBLE_FORKS", "9")
    monkeypatch.setenv("CORRAL_STRATEGY", "free")
    (clean_config / "ansible.cfg").write_text("[defaults]\ninventory = hosts.ini\nforce_handlers = true\n")
    config = Config()
    doors = [RunSettings.from_args(base_parser("corral", "test").parse_args([]), config),
             RunSettings.from_keywords(config),
             RunSettings.from_ansible_options(None, None, config)]
    for settings in doors:
        assert settings.forks == 9 and settings.strategy == "free" and settings.executor == "forking"
        assert settings.force_handlers is True
        assert settings.inventory == ("hosts.ini",)
    assert doors[0] == doors[1] == doors[2]


def test_extra_vars_assemble_the_same_from_text_and_from_mappings(clean_config: Path) -> None:
    from corral.assembly import assemble
    (clean_config / "vars.yml").write_text("from_file: yes\n")
    config = Config()
    args = base_parser("corral", "test").parse_args(
        ["-i", "localhost,", "-e", "a=1", "-e", '{"b": [1, 2]}', "-e", f"@{clean_config / 'vars.yml'}", "-e", "a=2"])
    texts = assemble(RunSettings.from_args(args, config), config)
    mappings = assemble(RunSettings.from_keywords(config, inventory="localhost,", extra_vars=[
        {"a": "1"}, {"b": [1, 2]}, {"from_file": True}, {"a": "2"}]), config)
    assert texts.variable_manager.extra_vars == mappings.variable_manager.extra_vars == {
        "a": "2", "b": [1, 2], "from_file": True}
    assert [h.name for h in texts.inventory.get_hosts("all")] == ["localhost"]


def test_cli_options_name_the_command_line_values_as_ansible_does(clean_config: Path) -> None:
    args = base_parser("corral", "test").parse_args(
        ["-u", "deploy", "--private-key", "/keys/id", "-T", "30", "--ssh-extra-args", "-o Foo=bar"])
    options = RunSettings.from_args(args, Config()).cli_options()
    assert options == {"remote_user": "deploy", "private_key_file": "/keys/id", "timeout": 30,
                       "ssh_extra_args": "-o Foo=bar", "check": False, "diff": False, "verbosity": 0, "forks": 5}
    assert "connection" not in options and "become" not in options   # not given: the plugin's other sources apply


def test_the_seed_vault_password_decrypts_the_plays_vars_files(clean_config: Path) -> None:
    from corral.parsing.vault import VaultLib, secrets_from_options
    from corral.playbook.play import Play
    from corral.plugins.callback import CallbackBase
    vaulted = clean_config / "vaulted.yml"
    vaulted.write_bytes(VaultLib(secrets_from_options(vault_pass="pw")).encrypt("answer: 42\n"))

    class Messages(CallbackBase):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def v2_runner_on_ok(self, result) -> None:
            self.seen.append(result._result.get("msg"))

    loader = DataLoader()
    inventory = InventoryManager(loader, sources=["localhost,"])
    variables = VariableManager(loader, inventory)
    play = Play().load({"hosts": "localhost", "gather_facts": False, "vars_files": [str(vaulted)],
                        "tasks": [{"debug": {"msg": "{{ answer }}"}}]}, variable_manager=variables, loader=loader)
    messages = Messages()
    tqm = TaskQueueManager(inventory=inventory, variable_manager=variables, loader=loader,
                           options=Options(connection="local", module_path=None, forks=1, become=None,
                                           become_method=None, become_user=None, check=False, diff=False,
                                           verbosity=0, remote_user=None, private_key_file=None, timeout=None,
                                           tags=None, skip_tags=None),
                           passwords={"vault_pass": "pw"}, stdout_callback=messages)
    assert tqm.settings.vault_passwords == (("default", "pw"),) and "pw" not in repr(tqm.settings)
    try:
        assert tqm.run(play) == 0
    finally:
        tqm.cleanup()
    assert messages.seen == [42]
