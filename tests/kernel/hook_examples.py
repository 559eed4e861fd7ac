"""One tested example per hook: ``example_<hook>(tmp_path)`` implements the hook in a
throwaway plugin, runs it through the kernel and checks what it did.

``scripts/generate-hook-docs`` copies each function into ``docs/plugin-hooks.md``
and ``tests/kernel/test_plugin_hooks.py`` runs every one of them.  Plugins are
registered on the run's own ``PluginManager`` (``run_playbook(plugins=...)``), as
an installed plugin's entry point would be.  Plays without an inventory run on the
implicit ``localhost``.
"""
from __future__ import annotations

import argparse
import shlex
import subprocess
from pathlib import Path
from typing import Any

from corral.api import run_playbook
from corral.config import Config
from corral.executor.become import resolve_become
from corral.executor.connections import ConnectionCache
from corral.inventory.data import InventoryChanges
from corral.inventory.host import Host
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral.plugins import hookimpl
from corral.plugins.action import ActionBase
from corral.plugins.become import BecomeBase, become_options
from corral.plugins.cache import CacheBase
from corral.plugins.callback import CallbackBase
from corral.plugins.connection import ConnectionBase
from corral.plugins.content import ContentContext
from corral.plugins.inventory import InventoryCheck, InventoryPlugin
from corral.plugins.lookup import LookupBase
from corral.plugins.manager import PluginManager
from corral.plugins.module import ModuleSpec
from corral.plugins.options import Option
from corral.plugins.strategy import StrategyContext
from corral.plugins.vars import VarsBase

PLAY = {"hosts": "localhost", "gather_facts": False}


def _deliver(callback: CallbackBase, event: str, **arguments: Any) -> None:
    """Send ``event`` to ``callback`` through a plugin manager, as the kernel sends events:
    for the reserved events, which the kernel does not send yet."""
    plugins = PluginManager()
    plugins.register_callback(callback, "recorder", warn=print)
    plugins.emit(event, **arguments)


# -- inventory sources ---------------------------------------------------------------


def example_corral_inventory_plugins(tmp_path: Path) -> None:
    class TeamInventory(InventoryPlugin):
        NAME = "team"

        def verify_source(self, source: str) -> bool:
            return source.startswith("team:")

        def parse(self, inventory: Any, loader: Any, source: str, **options: Any) -> None:
            changes = InventoryChanges(inventory)
            changes.add_group("team")
            for name in source.removeprefix("team:").split(","):
                changes.add_host(name, group="team")
            changes.apply()

    class Plugin:
        @hookimpl
        def corral_inventory_plugins(self) -> list[InventoryPlugin]:
            return [TeamInventory()]

    plugins = PluginManager()
    plugins.register(Plugin())
    inventory = InventoryManager(DataLoader(), sources=["team:ann,bob"], plugins=plugins, enable_plugins=["team"])
    assert [host.name for host in inventory.get_hosts("team")] == ["ann", "bob"]


def example_corral_inventory_check(tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def corral_inventory_check(self, source: str) -> InventoryCheck | None:
            if not source.endswith(".team"):
                return None     # not this plugin's kind of source
            with open(source, encoding="utf-8") as handle:
                problems = [f"line {number}: {line.strip()!r} is not one host name"
                            for number, line in enumerate(handle, 1) if len(line.split()) != 1]
            return InventoryCheck("team", problems, [], "OK, one host name a line.")

    plugins = PluginManager()
    plugins.register(Plugin())
    source = tmp_path / "crew.team"
    source.write_text("ann\nbob smith\n")
    check = plugins.inventory_check(str(source))     # what corral-inventory --check-script runs
    assert check is not None and check.problems == ["line 2: 'bob smith' is not one host name"]


# -- connections ------------------------------------------------------------------------


def example_corral_connection(tmp_path: Path) -> None:
    class UpperConnection(ConnectionBase):
        """Answers every command with its own text in capitals, after the host's
        ``ansible_upper_prefix`` (a stand-in transport with a setting of its own)."""

        transport = "upper"
        OPTIONS = {"upper_prefix": Option("upper_prefix", default="", vars=("ansible_upper_prefix",))}

        def connect(self) -> None:
            pass

        def exec_command(self, cmd: str, in_data: bytes | None = None, become: Any = None) -> tuple[int, bytes, bytes]:
            return 0, (self.get_option("upper_prefix") + cmd.upper()).encode(), b""

        def close(self) -> None:
            pass

    class Plugin:
        @hookimpl
        def corral_connection(self, name: str) -> type[ConnectionBase] | None:
            return UpperConnection if name == "upper" else None

    plugins = PluginManager()
    plugins.register(Plugin())
    upper = plugins.connection_class("upper")
    # a run resolves the class's declared options for each task and host; options_for does it here
    connection = upper(upper.options_for("upper", "web1", variables={"ansible_upper_prefix": "web1: "}))
    connection.connect()
    assert connection.exec_command("echo hi") == (0, b"web1: ECHO HI", b"")


def example_corral_become(tmp_path: Path) -> None:
    class EnvBecome(BecomeBase):
        """Runs the command under ``env`` with ``BECOME_USER`` set (a stand-in for a real tool)."""

        name = "envuser"
        OPTIONS = become_options("envuser", exe="env")

        def wrap(self, inner: str, key: str) -> tuple[str, str | None]:
            return f"{self.exe} BECOME_USER={shlex.quote(self.become.user)} {inner}", None

    class Plugin:
        @hookimpl
        def corral_become(self, name: str) -> type[BecomeBase] | None:
            return EnvBecome if name == "envuser" else None

    plugins = PluginManager()
    plugins.register(Plugin())
    become = resolve_become(plugins, "envuser", variables={"ansible_envuser_user": "deploy"}, keywords={},
                            cli={}, ini=None)
    assert (become.user, become.exe) == ("deploy", "env")
    line, prompt = plugins.become_class("envuser")(become).wrap("/bin/sh -c 'echo $BECOME_USER'", key="k1")
    assert prompt is None
    assert subprocess.run(["/bin/sh", "-c", line], capture_output=True, text=True).stdout == "deploy\n"


# -- vars plugins --------------------------------------------------------------------------


def example_corral_vars(tmp_path: Path) -> None:
    class OwnerVars(VarsBase):
        """Gives every host ``owner``: the text of a file ``OWNER`` beside the inventory."""

        def get_vars(self, loader: Any, path: str, entities: Any) -> dict[str, Any]:
            owner = Path(path, "OWNER")
            if owner.is_file() and any(isinstance(entity, Host) for entity in entities):
                return {"owner": owner.read_text().strip()}
            return {}

    class Plugin:
        @hookimpl
        def corral_vars(self, name: str) -> type[VarsBase] | None:
            return OwnerVars if name == "owner" else None

    plugins = PluginManager()
    plugins.register(Plugin())
    (tmp_path / "hosts.ini").write_text("web1\n")
    (tmp_path / "OWNER").write_text("ann\n")
    config = Config(env={"ANSIBLE_VARS_PLUGINS_ENABLED": "host_group_vars,owner"}, cwd=str(tmp_path))
    inventory = InventoryManager(DataLoader(), sources=[str(tmp_path / "hosts.ini")], plugins=plugins,
                                 config=config)
    assert inventory.get_inventory_vars("web1")["owner"] == "ann"


# -- strategies and executors ------------------------------------------------------------


def example_corral_strategy(tmp_path: Path) -> None:
    class OneHostAtATime:
        def __init__(self, play_run: StrategyContext) -> None:
            self.play_run = play_run

        def run(self) -> None:
            announced = set()
            while not self.play_run.ended and self.play_run.active():
                host_run = self.play_run.active()[0]
                step = host_run.next_step
                if id(step.task) not in announced:
                    announced.add(id(step.task))
                    self.play_run.announce(step, host_run)
                self.play_run.run_steps([(host_run, step)])
                self.play_run.after_task()

    class Plugin:
        @hookimpl
        def corral_strategy(self, name: str) -> type | None:
            return OneHostAtATime if name == "host_by_host" else None

    plugins = PluginManager()
    plugins.register(Plugin())
    result = run_playbook([{"hosts": "a,b", "gather_facts": False, "strategy": "host_by_host",
                            "tasks": [{"name": "one", "debug": {}}, {"name": "two", "debug": {}}]}],
                          inventory="a,b,", connection="local", plugins=plugins)
    order = [(e["event_data"]["host"], e["event_data"]["task"]) for e in result.events if e["event"] == "runner_on_ok"]
    assert order == [("a", "one"), ("a", "two"), ("b", "one"), ("b", "two")]


def example_corral_executor(tmp_path: Path) -> None:
    class InProcessExecutor:
        """Every request runs in the kernel's lane thread that sends it."""

        requests: list[str] = []

        def __init__(self, settings: Any) -> None:
            self.size = 1
            self.cache = ConnectionCache(PluginManager().connection_class, max_hosts=settings.max_connections)

        def start(self, hosts: Any) -> None:
            pass

        def lane_of(self, host: str) -> int:
            return 0

        def call(self, host: str, options: Any, request: Any) -> Any:
            self.requests.append(f"{type(request).__name__} for {host}")
            return self.cache.handle(host, options, request)

        def shutdown(self) -> None:
            self.cache.close_all()

    class Plugin:
        @hookimpl
        def corral_executor(self, name: str) -> type | None:
            return InProcessExecutor if name == "in_process" else None

    plugins = PluginManager()
    plugins.register(Plugin())
    result = run_playbook([{**PLAY, "tasks": [{"command": "echo hi"}]}], plugins=plugins,
                          config=Config(overrides={"executor": "in_process"}))
    assert result.rc == 0 and InProcessExecutor.requests == ["ModuleRequest for localhost"]


def example_corral_cache(tmp_path: Path) -> None:
    class DictCache(CacheBase):
        def __init__(self, connection: str | None = None, timeout: int = 86400, prefix: str = "") -> None:
            super().__init__(connection, timeout, prefix)
            self.data: dict[str, dict] = {}

        def get(self, key: str) -> dict | None:
            return self.data.get(key)

        def set(self, key: str, value: dict) -> None:
            self.data[key] = dict(value)

        def delete(self, key: str) -> None:
            self.data.pop(key, None)

        def keys(self) -> list[str]:
            return list(self.data)

    class Plugin:
        @hookimpl
        def corral_cache(self, name: str) -> type[CacheBase] | None:
            return DictCache if name == "dict" else None

    plugins = PluginManager()
    plugins.register(Plugin())
    cache = plugins.cache_class("dict")(connection=None, timeout=60)
    cache.set("web1", {"os": "linux"})
    cache.flush()
    assert cache.keys() == []


# -- callbacks ---------------------------------------------------------------------------------


def example_corral_callback(tmp_path: Path) -> None:
    class TaskNames(CallbackBase):
        CALLBACK_NAME = "task_names"

        def __init__(self) -> None:
            super().__init__()
            self.names: list[str] = []

        def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
            self.names.append(task.get_name())

    class Plugin:
        @hookimpl
        def corral_callback(self, name: str) -> type[CallbackBase] | None:
            return TaskNames if name == "task_names" else None

    plugins = PluginManager()
    plugins.register(Plugin())
    callback = plugins.callback_class("task_names")()
    run_playbook([{**PLAY, "tasks": [{"name": "greet", "debug": {"msg": "hi"}}]}], callbacks=[callback])
    assert callback.names == ["greet"]


def example_v2_playbook_on_start(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[str] = []

        def v2_playbook_on_start(self, playbook: Any) -> None:
            self.seen.append(Path(playbook._file_name).name)

    (tmp_path / "site.yml").write_text("- hosts: localhost\n  gather_facts: false\n  tasks: []\n")
    run_playbook(tmp_path / "site.yml", callbacks=[Recorder()])
    assert Recorder.seen == ["site.yml"]


def example_v2_playbook_on_play_start(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[str] = []

        def v2_playbook_on_play_start(self, play: Any) -> None:
            self.seen.append(play.get_name())

    run_playbook([{**PLAY, "name": "first"}, {**PLAY, "name": "second"}], callbacks=[Recorder()])
    assert Recorder.seen == ["first", "second"]


def example_v2_playbook_on_task_start(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[tuple[str, bool]] = []

        def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
            self.seen.append((task.get_name(), is_conditional))

    run_playbook([{**PLAY, "tasks": [{"name": "greet", "debug": {"msg": "hi"}}]}], callbacks=[Recorder()])
    assert Recorder.seen == [("greet", False)]


def example_v2_playbook_on_handler_task_start(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[str] = []

        def v2_playbook_on_handler_task_start(self, task: Any) -> None:
            self.seen.append(task.get_name())

    run_playbook([{**PLAY, "tasks": [{"debug": {}, "changed_when": True, "notify": "restart"}],
                   "handlers": [{"name": "restart", "debug": {}}]}], callbacks=[Recorder()])
    assert Recorder.seen == ["restart"]


def example_v2_playbook_on_cleanup_task_start(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[str] = []

        def v2_playbook_on_cleanup_task_start(self, task: Any) -> None:
            self.seen.append(task)

    # reserved: the kernel does not send this event yet; a callback written for
    # Ansible may implement it, and receives it like any other event
    _deliver(Recorder(), "v2_playbook_on_cleanup_task_start", task="cleanup")
    assert Recorder.seen == ["cleanup"]


def example_v2_playbook_on_notify(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[tuple[str, str]] = []

        def v2_playbook_on_notify(self, handler: Any, host: Any) -> None:
            self.seen.append((handler.get_name(), host.get_name()))

    run_playbook([{**PLAY, "tasks": [{"debug": {}, "changed_when": True, "notify": "restart"}],
                   "handlers": [{"name": "restart", "debug": {}}]}], callbacks=[Recorder()])
    assert Recorder.seen == [("restart", "localhost")]


def example_v2_playbook_on_no_hosts_matched(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        calls = 0

        def v2_playbook_on_no_hosts_matched(self) -> None:
            Recorder.calls += 1

    run_playbook([{**PLAY, "hosts": "nowhere", "tasks": [{"debug": {}}]}], callbacks=[Recorder()])
    assert Recorder.calls == 1


def example_v2_playbook_on_no_hosts_remaining(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        calls = 0

        def v2_playbook_on_no_hosts_remaining(self) -> None:
            Recorder.calls += 1

    run_playbook([{**PLAY, "max_fail_percentage": 0, "tasks": [{"fail": {"msg": "x"}}, {"debug": {}}]}],
                 callbacks=[Recorder()])
    assert Recorder.calls >= 1


def example_v2_playbook_on_include(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[tuple[str, list[str]]] = []

        def v2_playbook_on_include(self, included_file: Any) -> None:
            self.seen.append((Path(included_file._filename).name, [h.get_name() for h in included_file._hosts]))

    (tmp_path / "more.yml").write_text("- debug: msg=included\n")
    (tmp_path / "site.yml").write_text("- hosts: localhost\n  gather_facts: false\n"
                                       "  tasks:\n    - include_tasks: more.yml\n")
    run_playbook(tmp_path / "site.yml", callbacks=[Recorder()])
    assert Recorder.seen == [("more.yml", ["localhost"])]


def example_v2_playbook_on_stats(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: dict[str, dict] = {}

        def v2_playbook_on_stats(self, stats: Any) -> None:
            self.seen.update({host: stats.summarize(host) for host in stats.processed})

    run_playbook([{**PLAY, "tasks": [{"debug": {}}, {"command": "true"}]}], callbacks=[Recorder()])
    assert Recorder.seen["localhost"]["ok"] == 2 and Recorder.seen["localhost"]["changed"] == 1


def example_v2_runner_on_start(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[tuple[str, str]] = []

        def v2_runner_on_start(self, host: Any, task: Any) -> None:
            self.seen.append((host.get_name(), task.get_name()))

    run_playbook([{**PLAY, "tasks": [{"name": "greet", "debug": {}}]}], callbacks=[Recorder()])
    assert Recorder.seen == [("localhost", "greet")]


def example_v2_runner_on_ok(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[tuple[str, Any]] = []

        def v2_runner_on_ok(self, result: Any) -> None:
            self.seen.append((result._host.get_name(), result._result.get("stdout")))

    run_playbook([{**PLAY, "tasks": [{"command": "echo hi"}]}], callbacks=[Recorder()])
    assert Recorder.seen == [("localhost", "hi")]


def example_v2_runner_on_failed(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[tuple[str, bool]] = []

        def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
            self.seen.append((result._result["msg"], ignore_errors))

    run_playbook([{**PLAY, "tasks": [{"fail": {"msg": "boom"}, "ignore_errors": True}]}], callbacks=[Recorder()])
    assert Recorder.seen == [("boom", True)]


def example_v2_runner_on_skipped(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[str] = []

        def v2_runner_on_skipped(self, result: Any) -> None:
            self.seen.append(result.task_name)

    run_playbook([{**PLAY, "tasks": [{"name": "never", "debug": {}, "when": False}]}], callbacks=[Recorder()])
    assert Recorder.seen == ["never"]


def example_v2_runner_on_unreachable(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[str] = []

        def v2_runner_on_unreachable(self, result: Any) -> None:
            self.seen.append(result._host.get_name())

    # nothing listens on port 1: the ssh connection (corral-connection-ssh) cannot reach the host
    inventory = tmp_path / "hosts.ini"
    inventory.write_text("far ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=1\n")
    run_playbook([{**PLAY, "hosts": "far", "tasks": [{"ping": {}}]}], inventory=str(inventory),
                 callbacks=[Recorder()])
    assert Recorder.seen == ["far"]


def example_v2_runner_item_on_ok(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[Any] = []

        def v2_runner_item_on_ok(self, result: Any) -> None:
            self.seen.append(result._result["item"])

    run_playbook([{**PLAY, "tasks": [{"debug": {"msg": "{{ item }}"}, "loop": [1, 2]}]}], callbacks=[Recorder()])
    assert Recorder.seen == [1, 2]


def example_v2_runner_item_on_failed(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[Any] = []

        def v2_runner_item_on_failed(self, result: Any) -> None:
            self.seen.append(result._result["item"])

    run_playbook([{**PLAY, "tasks": [{"command": "test {{ item }} -lt 2", "loop": [1, 2, 3],
                                      "ignore_errors": True}]}], callbacks=[Recorder()])
    assert Recorder.seen == [2, 3]


def example_v2_runner_item_on_skipped(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[Any] = []

        def v2_runner_item_on_skipped(self, result: Any) -> None:
            self.seen.append(result._result["item"])

    run_playbook([{**PLAY, "tasks": [{"debug": {}, "loop": [1, 2, 3], "when": "item != 2"}]}],
                 callbacks=[Recorder()])
    assert Recorder.seen == [2]


def example_v2_runner_retry(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[tuple[int, int]] = []

        def v2_runner_retry(self, result: Any) -> None:
            self.seen.append((result._result["attempts"], result._result["retries"]))

    counter = tmp_path / "attempts"
    run_playbook([{**PLAY, "tasks": [{"shell": f"echo x >> {counter}; test $(wc -l < {counter}) -ge 3",
                                      "register": "out", "until": "out.rc == 0", "retries": 3, "delay": 0}]}],
                 callbacks=[Recorder()])
    # as ansible-core 2.21 reports a retry: the next attempt's number, against retries + 1 attempts
    assert Recorder.seen == [(2, 4), (3, 4)]


def example_v2_runner_on_async_poll(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[Any] = []

        def v2_runner_on_async_poll(self, result: Any) -> None:
            self.seen.append(result)

    # reserved: corral does not send the async events yet (a background task's
    # result comes as v2_runner_on_ok/failed); a callback written for Ansible may
    # implement them, and receives them like any other event
    _deliver(Recorder(), "v2_runner_on_async_poll", result="job 1 running")
    assert Recorder.seen == ["job 1 running"]


def example_v2_runner_on_async_ok(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[Any] = []

        def v2_runner_on_async_ok(self, result: Any) -> None:
            self.seen.append(result)

    # reserved, as v2_runner_on_async_poll
    _deliver(Recorder(), "v2_runner_on_async_ok", result="job 1 done")
    assert Recorder.seen == ["job 1 done"]


def example_v2_runner_on_async_failed(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[Any] = []

        def v2_runner_on_async_failed(self, result: Any) -> None:
            self.seen.append(result)

    # reserved, as v2_runner_on_async_poll
    _deliver(Recorder(), "v2_runner_on_async_failed", result="job 1 failed")
    assert Recorder.seen == ["job 1 failed"]


def example_v2_playbook_on_vars_prompt(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[str] = []

        def v2_playbook_on_vars_prompt(self, varname: str, private: bool = True, prompt: str | None = None,
                                       encrypt: str | None = None, confirm: bool = False, salt_size: int | None = None,
                                       salt: str | None = None, default: Any = None, unsafe: bool = False) -> None:
            self.seen.append(varname)

    # reserved: corral asks vars_prompt questions itself (the default without a
    # terminal) and does not send this event yet; a callback receives it like any other
    _deliver(Recorder(), "v2_playbook_on_vars_prompt", varname="release", private=False, prompt="Release?",
             encrypt=None, confirm=False, salt_size=None, salt=None, default="1.0", unsafe=False)
    assert Recorder.seen == ["release"]


def example_v2_on_file_diff(tmp_path: Path) -> None:
    class Recorder(CallbackBase):
        seen: list[Any] = []

        def v2_on_file_diff(self, result: Any) -> None:
            self.seen.append(result._result["diff"])

    target = tmp_path / "motd"
    target.write_text("old\n")
    run_playbook([{**PLAY, "tasks": [{"copy": {"content": "new\n", "dest": str(target)}}]}], diff=True,
                 callbacks=[Recorder()])
    assert Recorder.seen and target.read_text() == "new\n"


# -- templating --------------------------------------------------------------------------------------------


def _debug_msg(plugin: object, template: str) -> Any:
    """Register ``plugin`` on a run's plugin manager and return ``debug``'s rendering of ``template``."""
    plugins = PluginManager()
    plugins.register(plugin)
    result = run_playbook([{**PLAY, "tasks": [{"debug": {"msg": template}}]}], plugins=plugins)
    return result.hosts["localhost"].results[0].result["msg"]


def example_corral_template_filters(tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def corral_template_filters(self) -> dict[str, Any]:
            return {"shout": lambda text: f"{text.upper()}!"}

    assert _debug_msg(Plugin(), "{{ 'hello' | shout }}") == "HELLO!"


def example_corral_template_tests(tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def corral_template_tests(self) -> dict[str, Any]:
            return {"even": lambda number: number % 2 == 0}

    assert _debug_msg(Plugin(), "{{ [1, 2, 3, 4] | select('even') | list }}") == [2, 4]


def example_corral_template_lookups(tmp_path: Path) -> None:
    class Reverse(LookupBase):
        def run(self, terms: list[Any], variables: dict[str, Any] | None = None, **kwargs: Any) -> list[Any]:
            return [term[::-1] for term in terms]

    class Plugin:
        @hookimpl
        def corral_template_lookups(self) -> dict[str, type[LookupBase]]:
            return {"reverse": Reverse}

    assert _debug_msg(Plugin(), "{{ query('reverse', 'abc', 'xy') }}") == ["cba", "yx"]


# -- modules and actions -----------------------------------------------------------------------------------


def example_corral_modules(tmp_path: Path) -> None:
    source = tmp_path / "word_count.py"
    source.write_text(
        "from corral.module_utils.basic import AnsibleModule\n"
        "module = AnsibleModule(argument_spec={'text': {'type': 'str', 'required': True}})\n"
        "module.exit_json(changed=False, words=len(module.params['text'].split()))\n")

    class Plugin:
        @hookimpl
        def corral_modules(self) -> list[ModuleSpec]:
            return [ModuleSpec("word_count", str(source), "my-distribution")]

    plugins = PluginManager()
    plugins.register(Plugin())
    result = run_playbook([{**PLAY, "tasks": [{"word_count": {"text": "one two three"}}]}], plugins=plugins)
    assert result.hosts["localhost"].results[0].result["words"] == 3


def example_corral_actions(tmp_path: Path) -> None:
    class Controller(ActionBase):
        """Runs on the controller only: no module goes to the target.  Its traits: it
        needs no connection, and its argument string is free-form text from which
        only ``x=`` is taken out (see corral.plugins.traits)."""

        NEEDS_CONNECTION = False
        FREE_FORM_KEYS = frozenset({"x"})

        def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
            result = super().run(tmp, task_vars)
            result.update(changed=False, host=task_vars["inventory_hostname"], args=dict(self._task.args))
            return result

    class Plugin:
        @hookimpl
        def corral_actions(self) -> dict[str, type[ActionBase]]:
            return {"whoami_here": Controller}

    plugins = PluginManager()
    plugins.register(Plugin())
    result = run_playbook([{**PLAY, "tasks": [{"whoami_here": "hello a=b x=1"}]}], plugins=plugins)
    answer = result.hosts["localhost"].results[0].result
    assert answer["host"] == "localhost" and answer["args"] == {"x": "1", "_raw_params": "hello a=b"}


def example_corral_module_doc_fragments(tmp_path: Path) -> None:
    source = tmp_path / "fetch_page.py"
    source.write_text('DOCUMENTATION = r"""\nmodule: fetch_page\nshort_description: Fetch a page\n'
                      'options:\n  url: {description: The page., type: str, required: true}\n'
                      'extends_documentation_fragment: [http_client]\n"""\n')

    class Plugin:
        @hookimpl
        def corral_modules(self) -> list[ModuleSpec]:
            return [ModuleSpec("fetch_page", str(source), "my-distribution")]

        @hookimpl
        def corral_module_doc_fragments(self) -> dict[str, str]:
            return {"http_client": "options:\n"
                                   "  timeout: {description: Seconds to wait., type: int, default: 10}\n"}

    plugins = PluginManager()
    plugins.register(Plugin())
    options = plugins.module_documentation(plugins.modules()["fetch_page"])["options"]
    assert options["timeout"] == {"description": "Seconds to wait.", "type": "int", "default": 10}
    assert options["url"]["required"] is True


# -- content found per run ---------------------------------------------------------------------------------


def example_corral_resolve_content(tmp_path: Path) -> None:
    """A resolver for one made-up collection ``acme.tools`` kept in a folder beside
    the playbook: its module and its filter, by fully qualified name."""
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "hello.py").write_text(
        "from corral.module_utils.basic import AnsibleModule\n"
        "module = AnsibleModule(argument_spec={'name': {'type': 'str'}})\n"
        "module.exit_json(changed=False, greeting='hello ' + module.params['name'])\n")
    playbook = tmp_path / "site.yml"
    playbook.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n"
                        "    - acme.tools.hello: {name: \"{{ 'world' | acme.tools.shout }}\"}\n")

    class Plugin:
        @hookimpl
        def corral_resolve_content(self, kind: str, name: str, collections: tuple[str, ...],
                                   context: ContentContext) -> Any:
            if not name.startswith("acme.tools."):
                return None
            short = name.removeprefix("acme.tools.")
            if kind == "module":
                folder = Path(context.playbook_dirs[0]) / "acme"
                return ModuleSpec(name, str(folder / f"{short}.py")) if (folder / f"{short}.py").exists() else None
            if kind == "filter" and short == "shout":
                return lambda text: text.upper()
            return None

    plugins = PluginManager()
    plugins.register(Plugin())
    result = run_playbook(str(playbook), plugins=plugins)
    assert result.hosts["localhost"].results[0].result["greeting"] == "hello WORLD"


def example_corral_content_names(tmp_path: Path) -> None:
    """Every ``*.vars`` file beside the playbook is a vars plugin that runs without
    being enabled: the listing names them, the resolver answers each name."""
    (tmp_path / "region.vars").write_text("eu-west\n")
    playbook = tmp_path / "site.yml"
    playbook.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: var=region\n")

    def file_vars(name: str, file: Path) -> type[VarsBase]:
        class FileVars(VarsBase):
            REQUIRES_ENABLED = False

            def get_vars(self, loader: Any, path: str, entities: Any) -> dict[str, Any]:
                return {name: file.read_text().strip()}
        return FileVars

    class Plugin:
        @hookimpl
        def corral_content_names(self, kind: str, context: ContentContext) -> list[str] | None:
            if kind != "vars":
                return None
            return [p.stem for d in context.playbook_dirs for p in sorted(Path(d).glob("*.vars"))]

        @hookimpl
        def corral_resolve_content(self, kind: str, name: str, collections: tuple[str, ...],
                                   context: ContentContext) -> Any:
            found = [Path(d, f"{name}.vars") for d in context.playbook_dirs if Path(d, f"{name}.vars").is_file()]
            return file_vars(name, found[0]) if kind == "vars" and found else None

    plugins = PluginManager()
    plugins.register(Plugin())
    result = run_playbook(str(playbook), plugins=plugins)
    assert result.hosts["localhost"].results[0].result["region"] == "eu-west"


# -- command line -------------------------------------------------------------------------------------------


def example_corral_cli_commands(tmp_path: Path) -> None:
    def hello(args: argparse.Namespace) -> int:
        (tmp_path / "out.txt").write_text(f"hello {args.who}")
        return 0

    class Plugin:
        @hookimpl
        def corral_cli_commands(self, subparsers: Any) -> None:
            parser = subparsers.add_parser("hello", help="say hello")
            parser.add_argument("who")
            parser.set_defaults(func=hello)

    plugins = PluginManager()
    plugins.register(Plugin())
    parser = argparse.ArgumentParser(prog="corral-plugins")
    plugins.hook.corral_cli_commands(subparsers=parser.add_subparsers())
    args = parser.parse_args(["hello", "world"])
    assert args.func(args) == 0 and (tmp_path / "out.txt").read_text() == "hello world"
