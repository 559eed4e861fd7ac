"""Plugins registered in code (``PluginManager.register``) reach every process that
runs tasks: the forking executor's workers import and register them; one that
cannot be imported there fails the run at start and points to the inline
executor, which runs tasks in this process and takes any plugin as it is."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from corral.api import run_playbook
from corral.config import Config
from corral.errors import CorralPluginError
from corral.plugins import hookimpl
from corral.plugins.manager import PluginManager

#: a connection plugin in its own module: ``local``, recording which process ran each command
RECORDING = '''
import os
from corral.plugins import hookimpl
from corral.plugins.manager import PluginManager

_local = PluginManager().connection_class("local")


class RecordingConnection(_local):
    def exec_command(self, cmd, in_data=None, become=None):
        with open(os.environ["RECORD_FILE"], "a") as out:
            out.write(f"{os.getpid()}\\n")
        return super().exec_command(cmd, in_data, become)


@hookimpl
def corral_connection(name):
    return RecordingConnection if name == "recording" else None
'''

SCRIPT = '''
import os, sys
import recording
from corral.api import run_playbook
from corral.plugins.manager import PluginManager

plugins = PluginManager()
plugins.register(recording)
play = {"hosts": "all", "gather_facts": False, "tasks": [{"raw": "echo hello"}]}
result = run_playbook([play], inventory=sys.argv[1], forks=2, plugins=plugins)
print(result.rc, os.getpid())
'''


def test_a_plugin_registered_in_code_reaches_the_forking_workers(tmp_path: Path) -> None:
    (tmp_path / "recording.py").write_text(RECORDING)
    (tmp_path / "script.py").write_text(SCRIPT)
    inventory = tmp_path / "inv"
    inventory.write_text("h1 ansible_connection=recording\nh2 ansible_connection=recording\n")
    record = tmp_path / "record"
    env = {"PATH": "/usr/bin:/bin", "RECORD_FILE": str(record), "CORRAL_EXECUTOR": "forking"}
    # the script's directory is on the controller's sys.path, not on the workers' own
    proc = subprocess.run([sys.executable, str(tmp_path / "script.py"), str(inventory)], cwd="/",
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rc, controller = proc.stdout.split()
    assert rc == "0", proc.stdout + proc.stderr
    workers = record.read_text().split()
    assert len(workers) == 2 and controller not in workers, (controller, workers)


def _closure_plugin(record: list[str]) -> object:
    local = PluginManager().connection_class("local")

    class Counting(local):  # type: ignore[misc, valid-type]
        def exec_command(self, cmd: str, in_data: bytes | None = None, become: object = None) -> object:
            record.append(cmd)
            return super().exec_command(cmd, in_data, become)

    class Plugin:
        @hookimpl
        def corral_connection(self, name: str) -> object:
            return Counting if name == "counting" else None

    return Plugin()


PLAY = {"hosts": "all", "gather_facts": False, "tasks": [{"raw": "echo hello"}]}


def test_a_plugin_defined_in_a_function_refuses_forking_and_names_inline() -> None:
    plugins = PluginManager()
    plugins.register(_closure_plugin([]), name="counting")
    with pytest.raises(CorralPluginError) as error:
        run_playbook([PLAY], inventory="h1,", connection="counting", plugins=plugins,
                     config=Config(overrides={"executor": "forking"}))
    message = str(error.value)
    assert "'counting (" in message and "'inline' executor" in message and "CORRAL_EXECUTOR=inline" in message


def test_the_inline_executor_takes_a_plugin_defined_in_a_function() -> None:
    record: list[str] = []
    plugins = PluginManager()
    plugins.register(_closure_plugin(record), name="counting")
    result = run_playbook([PLAY], inventory="h1,h2,", connection="counting", plugins=plugins,
                          config=Config(overrides={"executor": "inline"}))
    assert result.rc == 0
    assert record == ["echo hello", "echo hello"]
    assert [host.results[0].result["stdout"].strip() for host in result.hosts.values()] == ["hello", "hello"]


def test_a_controller_only_plugin_defined_in_a_function_runs_on_forking() -> None:
    """Only plugins with hooks the workers call (``TASK_PROCESS_HOOKS``) must be
    importable there: a filter is used by the controller alone."""
    class Shout:
        @hookimpl
        def corral_template_filters(self) -> dict[str, object]:
            return {"shout": lambda text: f"{text.upper()}!"}

    plugins = PluginManager()
    plugins.register(Shout(), name="shout")
    play = {"hosts": "all", "gather_facts": False,
            "tasks": [{"command": "echo {{ 'hi' | shout }}"}]}
    result = run_playbook([play], inventory="h1,", connection="local", plugins=plugins,
                          config=Config(overrides={"executor": "forking"}))
    assert result.rc == 0
    assert result.hosts["h1"].results[0].result["stdout"] == "HI!"
