"""Actions and modules describe themselves: a third-party distribution
(``examples/plugins/corral-modules-mine``) whose actions and module declare the traits
of ``debug``, ``set_fact``, ``add_host`` and ``shell`` behaves exactly as they do, and
the kernel reads every trait through the plugin manager, not from a list of names."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corral.executor.task_queue_manager import TaskQueueManager
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral.parsing.splitter import COMMAND_KEYS, RAW_PARAM_KEYS
from corral.playbook.play import Play
from corral.plugins import hookimpl
from corral.plugins.action import ActionBase
from corral.plugins.callback import CallbackBase
from corral.plugins.manager import PluginManager
from corral.plugins.module import ModuleSpec
from corral.plugins.traits import FACTS_INCLUDED_VARIABLES, FACTS_VARIABLES, ActionTraits, traits_of
from corral.vars.manager import VariableManager

from .conftest import REPO, run

#: one playbook, run once with the standard names and once with the third-party ones
PLAYBOOK = """
- hosts: all
  gather_facts: false
  vars:
    greeting: hello
  tasks:
    - name: set a variable in a loop
      {set_fact}:
        counter: "{{{{ (counter | default(0) | int) + item }}}}"
      loop: [1, 2, 3]
    - name: show a variable
      {debug}: var=counter
    - name: show an expression as written
      {debug}:
        var: "{{{{ greeting }}}} world"
    - name: a failing action
      {debug}: msg=x var=y
      ignore_errors: true
    - name: add a host, once
      {add_host}:
        name: "added_{{{{ inventory_hostname }}}}"
        groups: made
    - name: run a free-form command line
      {shell}: echo a=b "$PWD" chdir={tmp}
      register: out
    - name: show its output
      debug: msg="{{{{ out.stdout }}}}"
      when: out is not failed
- hosts: made
  gather_facts: false
  tasks:
    - name: the added hosts
      {debug}: var=groups.made
"""
STANDARD = {"set_fact": "set_fact", "debug": "debug", "add_host": "add_host", "shell": "shell"}
MINE = {name: f"mine.tools.{name}" for name in STANDARD}


@pytest.fixture(scope="module")
def mine_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example distribution pip-installed into a directory put on PYTHONPATH."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(REPO / "examples" / "plugins" / "corral-modules-mine")],
                   check=True, capture_output=True)
    return target


def _inventory(tmp_path: Path) -> Path:
    """Two local hosts, and one whose connection plugin does not exist: only the
    actions that need no connection run for it."""
    path = tmp_path / "hosts.ini"
    local = f"ansible_connection=local ansible_python_interpreter={sys.executable}"
    path.write_text(f"h1 {local}\nh2 {local}\nnowhere ansible_connection=nosuchconnection\n"
                    f"[all:vars]\nansible_python_interpreter={sys.executable}\n")
    return path


def _run_with(names: dict[str, str], site: Path, tmp_path: Path) -> tuple[int, str]:
    workdir = tmp_path / "cwd"
    workdir.mkdir(exist_ok=True)
    playbook = tmp_path / f"site-{names['debug']}.yml"
    playbook.write_text(PLAYBOOK.format(tmp=workdir, **names))
    result = run(["corral-playbook", "-i", str(_inventory(tmp_path)), str(playbook)],
                 env={"PYTHONPATH": str(site), "ANSIBLE_FORCE_COLOR": "0"})
    output = (result.stdout + result.stderr).replace(str(playbook), "<PLAYBOOK>")
    output = re.sub(r'"(delta|start|end)": "[^"]*"', r'"\1": "X"', output)
    return result.returncode, output


def _comparable(output: str) -> list[str]:
    """The lines of ``output``, sorted (hosts report in any order), without what differs
    by name alone: the error context quotes the playbook's lines, and the default
    callback trims the result of ``debug`` by its name, as Ansible's does
    (``C._ACTION_DEBUG``), so another action's shows ``changed``."""
    return sorted(line.replace("mine.tools.", "").replace('{"changed": false, ', "{")
                  for line in output.splitlines() if line != '    "changed": false,')


def test_third_party_actions_behave_as_the_standard_ones(mine_site: Path, tmp_path: Path) -> None:
    standard = _run_with(STANDARD, mine_site, tmp_path)
    mine = _run_with(MINE, mine_site, tmp_path)
    rc, output = mine
    # the same run, line for line (hosts report in any order), and what each trait does is
    # visible in it
    assert _comparable(output) == _comparable(standard[1]), output
    assert rc == standard[0] == 2
    assert '"counter": 6' in output                          # facts: later loop items see earlier ones
    assert '"{{ greeting }} world": "hello world"' in output  # untemplated argument
    assert "Task failed: Action failed: 'msg' and 'var' are incompatible options" in output
    assert re.search(r'ok: \[nowhere\] => \{\s+"changed": false,\s+"counter": 6', output)  # no connection
    assert "the connection plugin 'nosuchconnection' was not found" in output
    assert f'"msg": "a=b {tmp_path / "cwd"}"' in output       # free-form, chdir taken out
    assert output.count("changed: [h1]") == 2 and "changed: [h2]" not in output.split("TASK [run")[0]
    assert re.search(r'"groups.made": \[\s+"added_h1"\s+\]', output)  # the host loop was bypassed


def test_the_ad_hoc_cli_requires_arguments_of_a_free_form_module(mine_site: Path) -> None:
    result = run(["corral", "localhost", "-m", "mine.tools.shell"], env={"PYTHONPATH": str(mine_site)})
    assert result.returncode == 5
    assert "No argument passed to mine.tools.shell module" in result.stderr
    listed = run(["corral", "localhost", "-c", "local", "-m", "mine.tools.shell", "-a", "echo x=1 chdir=/"],
                 env={"PYTHONPATH": str(mine_site)})
    assert listed.returncode == 0, listed.stderr
    assert '"stdout": "x=1"' in listed.stdout


class _Quiet(ActionBase):
    FREE_FORM_KEYS = frozenset({"level"})
    NEEDS_CONNECTION = False
    UNTEMPLATED_ARGS = frozenset({"that"})
    FACTS = FACTS_INCLUDED_VARIABLES


class _Plugin:
    @hookimpl
    def corral_actions(self) -> dict[str, type[ActionBase]]:
        return {"quiet": _Quiet}

    @hookimpl
    def corral_modules(self) -> list[ModuleSpec]:
        return [ModuleSpec("gather", "/nonexistent/gather.py", gathers_facts=True)]


def test_the_plugin_manager_reads_each_trait_from_the_declarations() -> None:
    plugins = PluginManager(allow=())
    plugins.register(_Plugin())
    assert plugins.action_traits("quiet") == ActionTraits(
        free_form_keys=frozenset({"level"}), needs_connection=False, untemplated_args=frozenset({"that"}),
        facts=FACTS_INCLUDED_VARIABLES)
    assert plugins.action_traits("gather") == ActionTraits(gathers_facts=True)
    assert plugins.action_traits("unknown") == ActionTraits()
    # the language's keywords are the kernel's, whatever is installed
    assert plugins.action_traits("include_tasks").free_form_keys == RAW_PARAM_KEYS
    assert plugins.action_traits("include_role").free_form_keys is None
    assert traits_of(module=ModuleSpec("c", "/x", free_form_keys=COMMAND_KEYS)).free_form_keys == COMMAND_KEYS
    with pytest.raises(ValueError, match="facts must be one of"):
        ActionTraits(facts="everywhere")


def test_loading_splits_free_form_text_as_the_run_s_plugins_declare() -> None:
    plugins = PluginManager(allow=())
    plugins.register(_Plugin())
    play = Play.load({"hosts": "all", "tasks": [{"quiet": "all is well level=3 other=1"},
                                                {"other": "all is well level=3 other=1"}]},
                     plugins=plugins)
    free_form, pairs = play.static_tasks()
    assert free_form.args == {"level": "3", "_raw_params": "all is well other=1"}
    assert free_form.traits.facts == FACTS_INCLUDED_VARIABLES
    assert pairs.args == {"level": "3", "other": "1", "_raw_params": "all is well"}
    assert pairs.traits == ActionTraits()


def test_the_standard_actions_declare_what_the_kernel_used_to_know_by_name() -> None:
    plugins = PluginManager()
    for name in ("debug", "set_fact", "assert", "fail", "include_vars", "add_host", "group_by", "pause",
                 "set_stats", "meta", "include_tasks", "include_role", "import_tasks", "import_role"):
        assert not plugins.action_traits(name).needs_connection, name
    for name in ("command", "shell", "raw", "script", "ping", "copy", "template", "setup"):
        assert plugins.action_traits(name).needs_connection, name
    for name in ("command", "shell", "raw", "script"):
        assert plugins.action_traits(name).free_form_keys == COMMAND_KEYS
        assert plugins.action_traits(name).requires_args
    # every key=value of include_vars' free form is an option (an unknown one is refused), as in ansible-core
    assert plugins.action_traits("include_vars").free_form_keys is None
    assert plugins.action_traits("copy").free_form_keys is None
    assert plugins.action_traits("debug").untemplated_args == {"var"}
    assert plugins.action_traits("assert").untemplated_args == {"that"}
    assert plugins.action_traits("set_fact").facts == FACTS_VARIABLES
    assert plugins.action_traits("include_vars").facts == FACTS_INCLUDED_VARIABLES
    assert plugins.action_traits("setup").gathers_facts
    assert plugins.action_traits("add_host").bypass_host_loop
    assert [n for n in ("add_host", "group_by", "set_fact", "command")
            if plugins.action_traits(n).changes_inventory] == ["add_host", "group_by"]


def test_the_free_strategy_refuses_an_action_that_bypasses_the_host_loop(mine_site: Path, tmp_path: Path) -> None:
    """As Ansible's: the play fails, naming the action and the task."""
    playbook = tmp_path / "free.yml"
    playbook.write_text("- hosts: all\n  gather_facts: false\n  strategy: free\n  tasks:\n"
                        "    - mine.tools.add_host: {name: added}\n")
    result = run(["corral-playbook", "-i", str(_inventory(tmp_path)), str(playbook)],
                 env={"PYTHONPATH": str(mine_site)})
    assert result.returncode == 1
    assert "The 'mine.tools.add_host' module bypasses the host loop, which is currently not supported in the " \
           "free strategy" in result.stderr
    assert f"Origin: {playbook}:5:7" in result.stderr


class _Echo(ActionBase):
    """Free-form, controller-only, ``upper`` untemplated: the text, and ``upper`` as written."""

    FREE_FORM_KEYS = frozenset({"upper"})
    NEEDS_CONNECTION = False
    UNTEMPLATED_ARGS = frozenset({"upper"})

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        return {"changed": False, "text": self._task.args["_raw_params"], "upper": self._task.args.get("upper")}


class _EchoPlugin:
    @hookimpl
    def corral_actions(self) -> dict[str, type[ActionBase]]:
        return {"echo": _Echo}


class _Results(CallbackBase):
    def __init__(self) -> None:
        super().__init__()
        self.results: dict[str, dict[str, Any]] = {}

    def v2_runner_on_ok(self, result: Any) -> None:
        self.results[result._host.get_name()] = result._result


def test_an_action_registered_in_code_runs_with_its_traits() -> None:
    """The seed API with a plugin registered on the run's manager: loading and running
    both read its traits (the host's connection does not even exist)."""
    plugins = PluginManager()
    plugins.register(_EchoPlugin())
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=["far.example,"], plugins=plugins)
    variables = VariableManager(loader=loader, inventory=inventory)
    play = Play().load({"hosts": "all", "gather_facts": False, "vars": {"who": "you"},
                        "tasks": [{"echo": "hello {{ who }} a=b upper={{ who | upper }}"}]},
                       variable_manager=variables, loader=loader, plugins=plugins)
    callback = _Results()
    tqm = TaskQueueManager(inventory=inventory, variable_manager=variables, loader=loader, plugins=plugins,
                           stdout_callback=callback)
    try:
        assert tqm.run(play) == 0
    finally:
        tqm.cleanup()
    result = callback.results["far.example"]
    assert (result["text"], result["upper"]) == ("hello you a=b", "{{ who | upper }}")
