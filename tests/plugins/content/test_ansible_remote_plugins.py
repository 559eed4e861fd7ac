"""Connection and become plugins written for Ansible, from a collection, run in the
forking executor's worker processes (fresh interpreters with plugin managers of
their own) and in the controller's process."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from corral.api import run_playbook
from corral.config import Config
from corral.plugins.manager import PluginManager

from .test_ansible_controller_plugins import CLI, CollectionResolver, make_collection

CONNECTION = """\
    DOCUMENTATION = '''
    name: logged
    short_description: runs commands locally and logs them
    options:
      log_file:
        description: where each command is logged
        vars: [{name: acme_log_file}]
        required: true
    '''
    import os
    import shutil
    import subprocess
    from ansible.errors import AnsibleConnectionFailure
    from ansible.plugins.connection import ConnectionBase, ensure_connect

    class Connection(ConnectionBase):
        transport = "acme.remote.logged"
        has_pipelining = True

        def _connect(self):
            if self._play_context.remote_addr == "unreachable.invalid":
                raise AnsibleConnectionFailure("no route to unreachable.invalid")
            self._connected = True
            return self

        @ensure_connect
        def exec_command(self, cmd, in_data=None, sudoable=True):
            with open(self.get_option("log_file"), "a") as log:
                log.write(f"{os.getpid()} {cmd[:40]!r}\\n")
            proc = subprocess.run(["/bin/sh", "-c", cmd], input=in_data, capture_output=True)
            return proc.returncode, proc.stdout, proc.stderr

        def put_file(self, in_path, out_path):
            shutil.copyfile(in_path, out_path)

        def fetch_file(self, in_path, out_path):
            shutil.copyfile(in_path, out_path)

        def close(self):
            self._connected = False
    """

BECOME = """\
    DOCUMENTATION = '''
    name: tagged
    short_description: runs the command with ACME_BECAME set to the become user
    options:
      become_user:
        default: root
        vars: [{name: ansible_become_user}]
        keyword: [{name: become_user}]
    '''
    from ansible.plugins.become import BecomeBase

    class BecomeModule(BecomeBase):
        name = "acme.remote.tagged"

        def build_become_command(self, cmd, shell):
            super().build_become_command(cmd, shell)
            return f"env ACME_BECAME={self.get_option('become_user')} {self._build_success_command(cmd, shell)}"
    """


@pytest.mark.parametrize("executor", ["forking", "inline"])
def test_collection_connection_and_become_plugins(tmp_path: Path, executor: str) -> None:
    root = make_collection(tmp_path, {"plugins/connection/logged.py": CONNECTION,
                                      "plugins/become/tagged.py": BECOME}, "remote")
    log = tmp_path / "commands.log"
    plugins = PluginManager()
    plugins.register(CollectionResolver([root]))
    play: dict[str, Any] = {
        "hosts": "web1,web2,unreachable.invalid", "gather_facts": False,
        "vars": {"ansible_connection": "acme.remote.logged", "acme_log_file": str(log),
                 "ansible_python_interpreter": "python3"},
        "tasks": [{"command": "echo hello", "register": "said"},
                  {"shell": "echo became=$ACME_BECAME", "become": True, "become_method": "acme.remote.tagged",
                   "become_user": "alice"}]}
    inventory = tmp_path / "hosts"
    inventory.write_text("web1\nweb2\nunreachable.invalid\n")
    outcome = run_playbook([play], plugins=plugins, inventory=str(inventory), executor=executor,
                           config=Config(cwd=str(tmp_path)))
    for host in ("web1", "web2"):
        said, became = [r.result for r in outcome.hosts[host].results]
        assert said["stdout"] == "hello"
        assert became["stdout"] == "became=alice"
    (unreachable,) = [r for r in outcome.hosts["unreachable.invalid"].results]
    assert unreachable.result.get("unreachable") and "no route to unreachable.invalid" in unreachable.result["msg"]
    pids = {int(line.split()[0]) for line in log.read_text().splitlines()}
    assert pids and (os.getpid() not in pids if executor == "forking" else pids == {os.getpid()})


def test_connection_plugin_of_a_configured_collection_through_the_cli(tmp_path: Path) -> None:
    """The content resolver finds the plugin in ``collections_path``; the forking
    executor's workers (the default) load it by reference."""
    make_collection(tmp_path / "colls", {"plugins/connection/logged.py": CONNECTION}, "remote")
    log = tmp_path / "commands.log"
    (tmp_path / "ansible.cfg").write_text(f"[defaults]\ncollections_path = {tmp_path / 'colls'}\n")
    (tmp_path / "site.yml").write_text(
        "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: echo hello\n")
    proc = subprocess.run([CLI, "-i", "web1,web2,", "-e", "ansible_connection=acme.remote.logged",
                           "-e", f"acme_log_file={log}", "-e", "ansible_python_interpreter=python3", "site.yml"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "changed: [web1]" in proc.stdout and "changed: [web2]" in proc.stdout
    assert len(log.read_text().splitlines()) >= 2
