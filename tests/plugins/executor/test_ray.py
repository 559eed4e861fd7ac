"""corral-executor-ray on a real two-node Ray cluster (``ray_cluster``, started once per
session): actors on both nodes own shards of hosts; killed actors and nodes fail only
the tasks they were running and their hosts go on on new actors; secrets never reach
Ray's logs; a cluster that cannot be reached, or nodes that lack a distribution the
run needs, fail the run at start with one message."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import ray

from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import ExecRequest, ExecutorSettings, FetchRequest, PutRequest
from corral.plugins.manager import PluginManager
from tests.plugins.executor.contract_checks import check_interrupt, check_request_limit

pytestmark = pytest.mark.ray

BIN = Path(sys.executable).parent
SLEEP = "sleep 41.5"     # processes the tests find by their command line
SHORT_SLEEP = "sleep 17.5"


def _env(cluster: Any, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(cluster.env(), CORRAL_STDOUT_CALLBACK="json")
    env.update(extra)
    return env


def _local_inventory(tmp_path: Path, hosts: list[str]) -> Path:
    path = tmp_path / "inv"
    path.write_text("".join(f"{h} ansible_connection=local ansible_python_interpreter={sys.executable}\n"
                            for h in hosts))
    return path


def _processes(needle: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if needle in Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode():
                    found.append(int(entry))
            except OSError:
                continue
    return found


def _actor_process(pid: int) -> int:
    """The Ray actor process ``pid`` runs under (its process title starts ``ray::``)."""
    while pid > 1:
        if Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"ray::"):
            return pid
        pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    raise AssertionError("no Ray actor process above the task's process")


# the pid of the Ray actor process a task runs under
ANCESTOR_ACTOR = ("pid=$$; while [ \"$pid\" -gt 1 ]; do "
                  "if head -c 5 /proc/$pid/cmdline | grep -q '^ray::'; then echo $pid; break; fi; "
                  "pid=$(awk '{print $4}' /proc/$pid/stat); done")


def _host_results(data: dict[str, Any]) -> list[dict[str, dict[str, Any]]]:
    return [task["hosts"] for play in data["plays"] for task in play["tasks"]]


@pytest.fixture
def executor(ray_cluster, monkeypatch):
    monkeypatch.setenv("CORRAL_RAY_ADDRESS", ray_cluster.address)
    monkeypatch.setenv("CORRAL_RAY_ACTORS", "2")
    made = PluginManager().executor_class("ray")(ExecutorSettings(forks=4, plugins=PluginManager()))
    yield made
    made.shutdown()


def test_actors_on_both_nodes_own_their_hosts_and_move_files_by_value(executor, ray_cluster, tmp_path) -> None:
    hosts = ["a", "b", "c", "d", "e"]
    executor.start(hosts)
    pids = {}
    for _round in range(2):
        for host in hosts:
            rc, out, _err = executor.call(host, ConnectionOptions("local", host), ExecRequest("echo $PPID"))
            assert rc == 0
            pids.setdefault(host, set()).add(int(out))
    assert all(len(seen) == 1 for seen in pids.values()), "a host keeps its actor"
    assert os.getpid() not in {pid for seen in pids.values() for pid in seen}
    assert len({pid for seen in pids.values() for pid in seen}) == 2, "CORRAL_RAY_ACTORS=2"
    described = ray.get([actor.describe.remote() for actor in executor.actors()])
    nodes = {found["node_id"] for found in described}
    assert len(nodes) == 2 and ray_cluster.worker_node_id in nodes, "the actors are spread over both nodes"

    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(300_000))
    remote = tmp_path / "remote" / "copy.bin"
    remote.parent.mkdir()
    executor.call("a", ConnectionOptions("local", "a"), PutRequest(str(source), str(remote)))
    assert remote.read_bytes() == source.read_bytes()
    back = tmp_path / "fetched" / "back.bin"
    executor.call("b", ConnectionOptions("local", "b"), FetchRequest(str(remote), str(back)))
    assert back.read_bytes() == source.read_bytes()


def test_interrupt_aborts_a_running_module_in_its_actor_and_leaves_only_cleanup(executor, tmp_path) -> None:
    check_interrupt(executor, tmp_path, slack=30)


def _start_run(tmp_path: Path, cluster: Any, hosts: list[str], tasks: list[dict[str, Any]], forks: int = 4,
               **env: str) -> subprocess.Popen:
    (tmp_path / "site.yml").write_text(json.dumps([{"hosts": "all", "gather_facts": False, "tasks": tasks}]))
    return subprocess.Popen([str(BIN / "corral-playbook"), "-i", str(_local_inventory(tmp_path, hosts)),
                             str(tmp_path / "site.yml"), "-f", str(forks)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(cluster, **env))


def _wait_for(needle: str, count: int, limit: float = 90) -> list[int]:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = _processes(needle)
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{count} processes running {needle!r} never appeared")


def _finish(proc: subprocess.Popen, since: float, limit: float = 60) -> dict[str, Any]:
    """The run's JSON output, once it ended within ``limit`` seconds of ``since``."""
    try:
        out, err = proc.communicate(timeout=limit + 30)
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in _processes(SLEEP) + _processes(SHORT_SLEEP):
            os.kill(pid, signal.SIGKILL)
    assert time.monotonic() - since < limit, f"the run did not end soon after the kill: {out}\n{err}"
    assert out.strip(), err
    data = json.loads(out)
    data["stderr"] = err
    return data


def _slow_then_after(tmp_path: Path) -> list[dict[str, Any]]:
    """Host ``a`` sleeps; the others leave a mark when done (the kill comes after)."""
    return [{"name": "slow", "shell": f"{{{{ '{SLEEP}' if inventory_hostname == 'a' else "
                                      f"'touch {tmp_path}/done-' ~ inventory_hostname }}}}",
             "ignore_errors": True},
            {"name": "after", "command": "echo after-{{ inventory_hostname }}"}]


def _kill_with_ray(actor_pid: int) -> None:
    """``ray.kill`` the run's actor whose process is ``actor_pid`` (found by asking every
    named actor of the run's namespace for its pid)."""
    for name in ray.util.list_named_actors(all_namespaces=True):
        if name["namespace"] == "corral" and name["name"].startswith("corral-"):
            try:
                handle = ray.get_actor(name["name"], namespace="corral")
                if ray.get(handle.describe.remote(), timeout=10)["pid"] == actor_pid:
                    ray.kill(handle)
                    return
            except (ValueError, ray.exceptions.RayError):
                continue
    raise AssertionError("the actor was not found by name")


@pytest.mark.parametrize("how", ["SIGKILL", "ray.kill"])
def test_a_killed_actor_fails_only_its_running_task_and_a_new_actor_takes_its_hosts(
        ray_cluster, tmp_path, how) -> None:
    if how == "ray.kill" and not ray.is_initialized():
        ray.init(address=ray_cluster.address, log_to_driver=False, logging_level="ERROR")
    # two lanes, one per actor: a and c on the first (c waits for a), b and d on the other
    proc = _start_run(tmp_path, ray_cluster, ["a", "b", "c", "d"], _slow_then_after(tmp_path), forks=2,
                      CORRAL_RAY_ACTORS="2")
    actor = _actor_process(_wait_for(SLEEP, 1)[0])
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"done-{host}").exists() for host in "bd"):
        assert time.monotonic() < deadline, "the other hosts' tasks did not end"
        time.sleep(0.1)
    killed_at = time.monotonic()
    if how == "SIGKILL":
        os.kill(actor, signal.SIGKILL)
    else:
        _kill_with_ray(actor)
    data = _finish(proc, killed_at)
    slow, after = _host_results(data)
    assert slow["a"]["failed"] is True
    assert "The Ray actor running this task for a died" in slow["a"]["msg"]
    assert "a new actor takes over its hosts" in slow["a"]["msg"]
    for host in "bcd":
        assert slow[host]["changed"] is True and not slow[host].get("failed"), (slow, data["stderr"])
    assert {host: result["stdout"] for host, result in after.items()} == {h: f"after-{h}" for h in "abcd"}
    assert data["stats"]["a"]["ignored"] == 1 and data["stats"]["a"]["failures"] == 0
    assert all(data["stats"][h]["ok"] == 2 for h in "bcd")
    assert proc.returncode == 0


def test_an_actor_killed_between_tasks_fails_nothing_its_hosts_go_on_on_a_new_actor(ray_cluster, tmp_path) -> None:
    # while the controller runs a lookup (the hosts' lanes are idle), one actor dies
    tasks = [{"name": "before", "shell": ANCESTOR_ACTOR},
             {"name": "controller", "set_fact": {"waited": "{{ lookup('pipe', '%s') }}" % SHORT_SLEEP}},
             {"name": "after", "shell": ANCESTOR_ACTOR}]
    proc = _start_run(tmp_path, ray_cluster, ["a", "b", "c", "d"], tasks, CORRAL_RAY_ACTORS="2")
    _wait_for(SHORT_SLEEP, 1)
    victim = _processes("ray::HostShard")[0]
    os.kill(victim, signal.SIGKILL)
    data = _finish(proc, time.monotonic(), limit=90)
    before, _controller, after = _host_results(data)
    assert not any(result.get("failed") for task in (before, after) for result in task.values()), data
    moved = sorted(host for host in before if before[host]["stdout"] == str(victim))
    assert moved, "the killed actor owned hosts"
    for host in moved:
        assert after[host]["stdout"] != str(victim), "a new actor took the host"
    assert proc.returncode == 0


def test_a_killed_node_fails_its_actors_running_tasks_and_the_run_goes_on_on_the_other(
        ray_cluster, tmp_path) -> None:
    hosts = ["a", "b", "c", "d"]
    tasks = [{"name": "slow", "shell": SHORT_SLEEP, "ignore_errors": True},
             {"name": "after", "command": "echo after-{{ inventory_hostname }}"}]
    proc = _start_run(tmp_path, ray_cluster, hosts, tasks, CORRAL_RAY_ACTORS="2")
    _wait_for(SHORT_SLEEP, 4)
    killed_at = time.monotonic()
    # the run goes on meanwhile: the head node's actor finishes its sleeps normally,
    # and Ray notices the dead node within seconds (tests/ray_cluster.py's health checks)
    ray_cluster.replace_worker_node()
    data = _finish(proc, killed_at, limit=120)
    slow, after = _host_results(data)
    died = sorted(h for h in hosts if slow[h].get("failed"))
    assert died and len(died) < len(hosts), slow
    for host in died:
        assert f"The Ray actor running this task for {host} died" in slow[host]["msg"]
    assert {host: result["stdout"] for host, result in after.items()} == {h: f"after-{h}" for h in hosts}
    assert sorted(data["stats"]) == hosts
    assert sum(data["stats"][h]["ignored"] for h in hosts) == len(died)
    assert proc.returncode == 0


def test_become_passwords_and_no_log_values_never_reach_rays_logs(
        ray_cluster, corral_ssh_inventory, corral_ssh_user, tmp_path, cli, monkeypatch) -> None:
    for key, value in ray_cluster.env().items():
        monkeypatch.setenv(key, value)
    secret = "nolog-" + os.urandom(8).hex()
    inventory = corral_ssh_inventory(count=2, become_password=True)
    playbook = tmp_path / "p.yml"
    playbook.write_text(f"""
- hosts: ssh
  gather_facts: false
  vars:
    hidden: {secret}
  tasks:
    - command: id -un
      become: true
      register: who
    - assert:
        that: who.stdout == "root"
    - command: echo {{{{ hidden }}}}
      no_log: true
      register: shown
    - copy: content="{{{{ hidden }}}}" dest={corral_ssh_user.home}/secret-{{{{ inventory_hostname }}}}
      no_log: true
    - fetch: src=/etc/hostname dest={tmp_path}/fetched
""")
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook), "-vvv")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert secret not in proc.stdout + proc.stderr
    # files travel to and from the actors by value, and their -vvv trace comes back with them
    assert re.search(r"<host1> PUT \S+ TO \S+/source", proc.stdout), proc.stdout
    assert "corral-ray-" not in proc.stdout     # the controller's paths, not the actors' private files
    assert re.search(rf"<\S+> FETCH /etc/hostname TO {tmp_path}/fetched/host2/etc/hostname", proc.stdout), \
        proc.stdout
    logs = ray_cluster.log_files()
    assert any(path.name.startswith("worker-") for path in logs), "the actors' own log files were checked"
    for path in logs:
        content = path.read_bytes()
        assert corral_ssh_user.password.encode() not in content, f"the become password is in {path}"
        assert secret.encode() not in content, f"a no_log value is in {path}"


def test_nodes_without_a_distribution_the_run_needs_fail_the_run_at_start_naming_it(
        ray_cluster, tmp_path) -> None:
    # the actors' environment allows only the local connection: to them the ssh
    # connection's distribution is not there, as on a node where it is not installed
    runtime_env = json.dumps({"env_vars": {"CORRAL_LOAD_PLUGINS": "local"}})
    proc = _start_run(tmp_path, ray_cluster, ["a"], [{"command": "true"}], CORRAL_RAY_RUNTIME_ENV=runtime_env)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert "the distribution 'corral-connection-ssh'" in err and "is not installed there" in err, err
    assert "Traceback" not in err and err.count("[ERROR]") == 1, err


@pytest.fixture
def silent_port():
    """A loopback port that takes connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


@pytest.mark.parametrize("kind", ["refused", "ray client refused", "silent"])
def test_an_unreachable_cluster_fails_the_run_at_start_with_one_message(tmp_path, silent_port, kind) -> None:
    address, reason = {"refused": ("127.0.0.1:1", "Connection refused"),
                       "ray client refused": ("ray://127.0.0.1:1", "Connection refused"),
                       "silent": (f"127.0.0.1:{silent_port}", "no answer within 3 seconds")}[kind]
    (tmp_path / "site.yml").write_text("- hosts: all\n  tasks:\n    - command: 'true'\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(CORRAL_EXECUTOR="ray", CORRAL_RAY_ADDRESS=address, CORRAL_RAY_CONNECT_TIMEOUT="3")
    start = time.monotonic()
    proc = subprocess.run([str(BIN / "corral-playbook"), "-i", str(_local_inventory(tmp_path, ["a"])),
                           str(tmp_path / "site.yml")], capture_output=True, text=True, env=env, timeout=60)
    assert time.monotonic() - start < 20, "the wait for the cluster is bounded"
    assert proc.returncode != 0
    assert f"Cannot reach the Ray cluster at '{address}'" in proc.stderr and reason in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("[ERROR]") == 1, proc.stderr


def test_the_executor_and_its_settings_come_from_the_config_file(ray_cluster, tmp_path) -> None:
    (tmp_path / "ansible.cfg").write_text(f"[defaults]\nexecutor = ray\n\n[ray_executor]\n"
                                          f"address = {ray_cluster.address}\nactors = 1\nstart_timeout = 600\n")
    (tmp_path / "site.yml").write_text(json.dumps([{"hosts": "all", "gather_facts": False, "tasks": [
        {"shell": ANCESTOR_ACTOR, "register": "parent"}]}]))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env["CORRAL_STDOUT_CALLBACK"] = "json"
    proc = subprocess.run([str(BIN / "corral-playbook"), "-i", str(_local_inventory(tmp_path, ["a", "b"])),
                           "site.yml"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (task,) = _host_results(json.loads(proc.stdout))
    pids = {host: result["stdout"] for host, result in task.items()}
    assert pids["a"].isdigit() and pids["a"] == pids["b"], "both hosts ran in the one actor"


def test_ctrl_c_kills_the_tasks_running_in_the_actors_and_corral_exits_cleanly(ray_cluster, tmp_path) -> None:
    marker = f"sleep 77.{os.getpid() % 1000}"
    proc = _start_run(tmp_path, ray_cluster, ["a", "b", "c"], [{"command": marker}, {"command": "true"}],
                      CORRAL_RAY_ACTORS="2", CORRAL_STDOUT_CALLBACK="default")
    _wait_for(marker, 3)
    interrupted_at = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert time.monotonic() - interrupted_at < 30, "the interrupt and the shutdown are bounded"
    assert proc.returncode == 99, (proc.returncode, out, err)
    assert "[ERROR]: User interrupted execution" in err and "Traceback" not in out + err, out + err
    assert "TASK [command]" in out and out.count("TASK [") == 1, out
    deadline = time.monotonic() + 15
    while _processes(marker):
        assert time.monotonic() < deadline, "a task's process outlived the interrupt"
        time.sleep(0.1)


def test_a_request_past_its_limit_is_aborted_in_its_actor_and_later_ones_run(executor, tmp_path) -> None:
    check_request_limit(executor, tmp_path, slack=20)
