"""A third-party connection plugin with its own host variables: the example
``corral-connection-nsenter`` (examples/plugins), installed from its folder, runs a real
play inside a container started with ``unshare`` (needs root)."""
from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from .conftest import REPO, run

PLUGIN = REPO / "examples" / "plugins" / "corral-connection-nsenter"

PLAYBOOK = """
- hosts: containers
  gather_facts: true
  tasks:
    - command: hostname
      register: uts
    - command: cat /proc/1/comm
      register: init
    - copy:
        content: "written from the controller\\n"
        dest: /mnt/greeting
        mode: "0600"
    - copy:
        src: {source}
        dest: /mnt/copied
    - fetch:
        src: /mnt/greeting
        dest: {fetched}/
    - command: id -un
      become: true
      become_user: nobody
      register: who
    - copy:
        content: "{{{{ {{'hostname': uts.stdout, 'fact': ansible_facts.hostname, 'init': init.stdout,
                      'who': who.stdout}} | to_json }}}}"
        dest: {report}
      delegate_to: localhost
"""


def _container_helpers() -> Any:
    """The plugin's own test helpers (``running_container``), loaded from its folder."""
    spec = importlib.util.spec_from_file_location("nsenter_conftest", PLUGIN / "tests" / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module       # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plugin pip-installed from its folder into a directory the runs put on PYTHONPATH."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(PLUGIN)], check=True, capture_output=True)
    return target


@pytest.fixture(scope="module")
def container() -> Iterator[Any]:
    with _container_helpers().running_container("corral-box") as running:
        yield running


def test_a_play_runs_inside_the_container_through_the_out_of_tree_plugin(plugin_site, container, tmp_path,
                                                                          write):
    source = write("source.txt", "copied from a file\n")
    report = tmp_path / "report.json"
    inventory = write("inventory.ini", f"[containers]\nbox ansible_connection=nsenter "
                                       f"ansible_nsenter_pid={container.pid}\n"
                                       f"[all:vars]\nansible_python_interpreter=/usr/bin/python3\n")
    playbook = write("site.yml", PLAYBOOK.format(source=source, fetched=tmp_path / "fetched", report=report))
    result = run(["corral-playbook", "-i", str(inventory), str(playbook)],
                 env={"PYTHONPATH": str(plugin_site)})
    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads(report.read_text())
    assert seen == {"hostname": "corral-box", "fact": "corral-box", "init": "sleep", "who": "nobody"}
    assert socket.gethostname() != "corral-box"
    assert (tmp_path / "fetched" / "box" / "mnt" / "greeting").read_text() == "written from the controller\n"
    assert not Path("/mnt/greeting").exists() and not Path("/mnt/copied").exists()   # the container's tmpfs
    listing = run(["corral-plugins", "--kind", "connection"], env={"PYTHONPATH": str(plugin_site)})
    assert "nsenter" in listing.stdout and "corral-connection-nsenter 1.0.0" in listing.stdout


def test_its_options_fail_the_task_on_that_host_naming_the_option_and_source(plugin_site, container, write):
    inventory = write("inventory.ini", "[containers]\n"
                                       "nopid ansible_connection=nsenter\n"
                                       "badpid ansible_connection=nsenter ansible_nsenter_pid=one\n"
                                       f"badns ansible_connection=nsenter ansible_nsenter_pid={container.pid} "
                                       "ansible_nsenter_namespaces=mount,bogus\n"
                                       "gone ansible_connection=nsenter ansible_nsenter_pid=999999999\n"
                                       f"good ansible_connection=nsenter ansible_nsenter_pid={container.pid}\n")
    playbook = write("site.yml", "- hosts: containers\n  gather_facts: false\n  tasks:\n"
                                 "    - command: hostname\n")
    result = run(["corral-playbook", "-i", str(inventory), str(playbook)], env={"PYTHONPATH": str(plugin_site)})
    assert result.returncode == 4, result.stdout + result.stderr      # a host was unreachable
    assert ("fatal: [nopid]: FAILED! => {\"changed\": false, \"msg\": \"Task failed: The required option "
            "'nsenter_pid' of connection plugin 'nsenter' for host 'nopid' is not set (set variable "
            "ansible_nsenter_pid)\"}") in result.stdout
    assert ("fatal: [badpid]: FAILED! => {\"changed\": false, \"msg\": \"Task failed: Invalid value 'one' for "
            "option 'nsenter_pid' of connection plugin 'nsenter' for host 'badpid' (var: ansible_nsenter_pid): "
            "expected int\"}") in result.stdout
    assert ("fatal: [badns]: FAILED! => {\"changed\": false, \"msg\": \"Task failed: nsenter_namespaces of badns: "
            "unknown namespace(s) bogus (known: mount, uts, ipc, net, pid, cgroup, time, user)\"}") in result.stdout
    assert "fatal: [gone]: UNREACHABLE! =>" in result.stdout and "there is no process 999999999" in result.stdout
    assert "changed: [good]" in result.stdout


def test_the_plugins_own_tests_pass(plugin_site):
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(PLUGIN / "tests")],
                 cwd=PLUGIN, env={"PYTHONPATH": str(plugin_site)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout
