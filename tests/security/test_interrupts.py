"""The interrupt sweep (issue #10, item 8): SIGINT and SIGTERM sent to real corral processes.

Each test starts ``corral-playbook`` (or ``corral``, ``corral-inventory``) as a real
process with ``TMPDIR`` pointed at an empty directory, waits until it is at a given
point (a long task running locally or over the real sshd, with and without sudo, by
a module or ``raw``; a copy or template transfer; a handler; the second play; a
controller-side wait; a dynamic inventory script), sends a signal (to corral, or
to its whole process group as a terminal's Ctrl-C does) and checks:

- the process ends within a few seconds (generous bounds: the box is loaded);
- the exit is Ansible's: SIGINT ends with "[ERROR]: User interrupted execution" and
  rc 99, SIGTERM with death by SIGTERM (rc -15, what the shell shows as 143), and
  no Python traceback anywhere; a playbook run prints the PLAY RECAP of what
  finished first (ansible-core prints none; the operator needs it);
- no process corral started survives: every process below corral (and below the
  test sshd) seen while the task ran is gone, and no process carries the test's
  unique marker (the ``sleep`` duration, ``1000.<random>``);
- no temp file is left in ``TMPDIR`` nor in the remote tmp (``~/.ansible/tmp``).

Also: a SIGKILLed controller (its workers notice and end), the API
(``TaskQueueManager.cancel()`` from another thread, ``corral.api.Cancellation``), and
SIGTERM running ``finally`` blocks and ``atexit`` handlers.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

_EXIT_BOUND = 10.0       # seconds corral may take to exit after the signal (< 1 s unloaded)
_GONE_BOUND = 5.0        # seconds the processes it started may take to disappear after it exited


def _stat_fields(pid: int) -> list[bytes] | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None


def _identity(pid: int) -> tuple[int, bytes] | None:
    """``(pid, start time)``: a process, not a reused pid."""
    fields = _stat_fields(pid)
    if fields is None or fields[0] == b"Z":
        return None
    return pid, fields[19]


def _alive(identity: tuple[int, bytes]) -> bool:
    return _identity(identity[0]) == identity


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "?"


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _with_marker(marker: str) -> list[int]:
    return [int(e) for e in os.listdir("/proc")
            if e.isdigit() and marker in _cmdline(int(e)) and _identity(int(e)) is not None]


def _wait(predicate: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def _files_under(path: Path) -> list[str]:
    if not path.exists():
        return []
    return sorted(str(p) for p in path.rglob("*"))


class Run:
    """One corral process started for the sweep."""

    def __init__(self, tmp_path: Path, home: Path, tool: str, args: list[str], watch: list[int],
                 env: dict[str, str] | None = None, remote_tmp: Path | None = None) -> None:
        self.tmpdir = tmp_path / "tmpdir"
        self.tmpdir.mkdir(exist_ok=True)
        self.home = home
        self.watch = watch            # other process trees to watch (the sshd listeners)
        # sessions other tests hold open on the shared sshd are not corral's, nor their files
        self.preexisting = self._watched()
        self.remote_tmp = remote_tmp or home / ".ansible" / "tmp"
        self.remote_before = set(_files_under(self.remote_tmp))
        self.out_path, self.err_path = tmp_path / f"{tool}.out", tmp_path / f"{tool}.err"
        full_env = dict(os.environ, HOME=str(home), TMPDIR=str(self.tmpdir), CORRAL_NOCOLOR="1",
                        ANSIBLE_NOCOLOR="1", PYTHONUNBUFFERED="1", **(env or {}))
        full_env.pop("SSH_AUTH_SOCK", None)
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            # its own process group: the "terminal" of the Ctrl-C tests
            self.proc = subprocess.Popen([str(Path(sys.executable).parent / tool), *args], stdout=out,
                                         stderr=err, stdin=subprocess.DEVNULL, env=full_env,
                                         start_new_session=True)
        self.started: set[tuple[int, bytes]] = set()
        self.rc: int | None = None
        self.elapsed = 0.0

    @property
    def stdout(self) -> str:
        return self.out_path.read_text(errors="replace")

    @property
    def stderr(self) -> str:
        return self.err_path.read_text(errors="replace")

    def _watched(self) -> set[tuple[int, bytes]]:
        pids = [pid for root in self.watch for pid in _descendants(root)]
        return {i for i in map(_identity, pids) if i is not None}

    def snapshot(self) -> None:
        """Remember every process below corral and below the watched trees (sshd)."""
        mine = {i for i in map(_identity, _descendants(self.proc.pid)) if i is not None}
        self.started |= mine | (self._watched() - self.preexisting)

    def wait_until(self, predicate: Callable[[], object], what: str, timeout: float = 60) -> None:
        def ready() -> object:
            if self.proc.poll() is not None:
                pytest.fail(f"corral ended (rc {self.proc.returncode}) before {what}:\n"
                            f"{self.stdout}\n{self.stderr}")
            return predicate()
        _wait(ready, timeout, what)
        time.sleep(0.3)               # let the step settle (its children start)
        self.snapshot()

    def interrupt(self, sig: int, whole_group: bool = False) -> None:
        """Send ``sig`` to corral (or to its whole process group, as a terminal's Ctrl-C
        does) and wait for it to end."""
        started = time.monotonic()
        if whole_group:
            os.killpg(self.proc.pid, sig)
        else:
            self.proc.send_signal(sig)
        try:
            self.rc = self.proc.wait(timeout=_EXIT_BOUND)
        except subprocess.TimeoutExpired:
            self.kill_everything()
            pytest.fail(f"corral did not exit within {_EXIT_BOUND}s of {signal.Signals(sig).name}:\n"
                        f"{self.stdout}\n{self.stderr}")
        self.elapsed = time.monotonic() - started
        print(f"{signal.Signals(sig).name}: corral exited in {self.elapsed:.2f}s")

    def kill_everything(self) -> None:
        """Test cleanup: what a failing run left behind is killed (by pid)."""
        for pid, _start in self.started | ({_identity(self.proc.pid)} - {None}):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.proc.wait()

    def assert_clean_exit(self, sig: int) -> None:
        """Ansible's exit for ``sig``, within the bound, and no traceback."""
        out, err = self.stdout, self.stderr
        assert "Traceback" not in out + err, out + err
        assert "KeyboardInterrupt" not in out + err, out + err
        if sig == signal.SIGINT:
            assert self.rc == 99, (self.rc, out, err)
            assert "[ERROR]: User interrupted execution" in err, err
        else:
            assert self.rc == -signal.SIGTERM, (self.rc, out, err)

    def new_remote_files(self) -> list[str]:
        """What appeared in the remote tmp (``~/.ansible/tmp`` of the login user) since the start."""
        return [p for p in _files_under(self.remote_tmp) if p not in self.remote_before]

    def assert_nothing_left(self, marker: str) -> None:
        """No process corral started and no temp file survives."""
        def survivors() -> list[str]:
            alive = {i[0] for i in self.started if _alive(i)} | set(_with_marker(marker))
            return [f"{pid}: {_cmdline(pid)}" for pid in sorted(alive)]

        deadline = time.monotonic() + _GONE_BOUND
        while survivors() and time.monotonic() < deadline:
            time.sleep(0.1)
        left = survivors()
        if left:
            for pid in _with_marker(marker):
                os.kill(pid, signal.SIGKILL)
        assert not left, "processes survived corral:\n" + "\n".join(left)
        assert _files_under(self.tmpdir) == [], "controller temp files left"
        assert self.new_remote_files() == [], "remote temp files left"


@pytest.fixture
def marker() -> str:
    """A unique ``sleep`` duration: it names the test's processes in /proc."""
    return f"1000.{random.randrange(10**8, 10**9)}"


@pytest.fixture
def start(tmp_path, cli):
    runs: list[Run] = []

    def launch(tool: str, *args: str, watch: list[int] | None = None, env: dict[str, str] | None = None,
               remote_tmp: Path | None = None) -> Run:
        run = Run(tmp_path, cli.home, tool, list(args), watch or [], env, remote_tmp)
        runs.append(run)
        return run

    yield launch
    for run in runs:
        if run.proc.poll() is None:
            run.kill_everything()


@pytest.fixture
def local_inventory(tmp_path) -> Path:
    path = tmp_path / "local.ini"
    path.write_text(f"localhost ansible_connection=local ansible_python_interpreter={sys.executable}\n"
                    f"otherhost ansible_connection=local ansible_python_interpreter={sys.executable}\n")
    return path


def _playbook(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.yml"
    path.write_text(text)
    return path


# -- local connection ------------------------------------------------------------------------


@pytest.mark.parametrize("sig,become,executor", [(signal.SIGINT, False, "forking"), (signal.SIGTERM, True, "forking"),
                                                  (signal.SIGINT, False, "inline"), (signal.SIGTERM, True, "inline")],
                         ids=["SIGINT", "SIGTERM-become", "SIGINT-inline", "SIGTERM-become-inline"])
def test_long_local_command_is_killed_and_corral_exits(sig, become, executor, tmp_path, start, marker):
    inventory = tmp_path / "local.ini"
    # become: sudo to nobody, whose module server needs a python it may run
    python = "/usr/bin/python3" if become else sys.executable
    inventory.write_text(f"localhost ansible_connection=local ansible_python_interpreter={python}\n"
                         f"otherhost ansible_connection=local ansible_python_interpreter={python}\n")
    playbook = _playbook(tmp_path, f"""
- hosts: all
  gather_facts: false
  become: {str(become).lower()}
  become_user: nobody
  tasks:
    - name: quick
      command: "true"
    - name: endless
      command: sleep {marker}
    - name: never
      command: "true"
""")
    run = start("corral-playbook", "-i", str(inventory), str(playbook), env={"CORRAL_EXECUTOR": executor})
    run.wait_until(lambda: len(_with_marker(marker)) >= 2, "both hosts' sleep to run")
    if become:
        owners = {Path(f"/proc/{pid}").stat().st_uid for pid in _with_marker(marker)}
        assert owners == {65534}, owners
    run.interrupt(sig)
    run.assert_clean_exit(sig)
    assert "TASK [never]" not in run.stdout
    run.assert_nothing_left(marker)


@pytest.mark.parametrize("executor", ["forking", "inline"])
def test_killed_controller_leaves_no_worker_nor_task_behind(executor, tmp_path, start, local_inventory, marker):
    """SIGKILL gives corral no chance to clean up: its workers (or, inline, its
    module servers) notice it is gone and end, killing what they started."""
    playbook = _playbook(tmp_path, f"""
- hosts: all
  gather_facts: false
  tasks:
    - shell: sleep {marker} & sleep {marker}
""")
    run = start("corral-playbook", "-i", str(local_inventory), str(playbook), env={"CORRAL_EXECUTOR": executor})
    run.wait_until(lambda: len(_with_marker(marker)) >= 4, "the sleeps to run")
    run.interrupt(signal.SIGKILL)
    assert run.rc == -signal.SIGKILL
    run.assert_nothing_left(marker)


def test_ctrl_c_on_the_terminal_reaches_every_process_without_tracebacks(tmp_path, start, local_inventory,
                                                                         marker):
    """A terminal sends SIGINT to the whole foreground group: workers included."""
    playbook = _playbook(tmp_path, f"""
- hosts: all
  gather_facts: false
  tasks:
    - name: background and foreground
      shell: sleep {marker} & sleep {marker}
""")
    run = start("corral-playbook", "-i", str(local_inventory), str(playbook), "-f", "2")
    run.wait_until(lambda: len(_with_marker(marker)) >= 4, "the shells' sleeps to run")
    run.interrupt(signal.SIGINT, whole_group=True)
    run.assert_clean_exit(signal.SIGINT)
    assert run.elapsed < 4, run.elapsed
    run.assert_nothing_left(marker)


def test_interrupt_during_a_handler(tmp_path, start, local_inventory, marker):
    playbook = _playbook(tmp_path, f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - name: change
      command: "true"
      notify: slow handler
  handlers:
    - name: slow handler
      raw: sleep {marker}
""")
    run = start("corral-playbook", "-i", str(local_inventory), str(playbook))
    run.wait_until(lambda: _with_marker(marker), "the handler to run")
    assert "RUNNING HANDLER [slow handler]" in run.stdout
    run.interrupt(signal.SIGTERM)
    run.assert_clean_exit(signal.SIGTERM)
    assert "PLAY RECAP" in run.stdout and "changed=1 " in run.stdout.split("PLAY RECAP", 1)[1], run.stdout
    run.assert_nothing_left(marker)


def test_interrupt_in_the_second_play(tmp_path, start, local_inventory, marker):
    playbook = _playbook(tmp_path, f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - command: "true"
- hosts: all
  gather_facts: false
  tasks:
    - name: second play
      command: sleep {marker}
- hosts: all
  gather_facts: false
  tasks:
    - name: third play
      command: "true"
""")
    run = start("corral-playbook", "-i", str(local_inventory), str(playbook))
    run.wait_until(lambda: len(_with_marker(marker)) >= 2, "the second play's task to run")
    run.interrupt(signal.SIGINT)
    run.assert_clean_exit(signal.SIGINT)
    assert "third play" not in run.stdout
    recap = run.stdout.split("PLAY RECAP", 1)[1]
    assert "localhost" in recap and "ok=1 " in recap.split("localhost", 1)[1], run.stdout
    run.assert_nothing_left(marker)


@pytest.mark.parametrize("task,ready", [("pause: seconds=1000", "TASK [wait"),
                                        ("command: 'true'\n      until: '1 == 2'\n      delay: 1000", "RETRYING")],
                         ids=["pause", "until-delay"])
def test_interrupt_during_a_controller_side_wait(task, ready, tmp_path, start, local_inventory, marker):
    """Waits on the controller (``pause``, the delay between ``until`` retries) end at once."""
    playbook = _playbook(tmp_path, f"""
- hosts: all
  gather_facts: false
  tasks:
    - name: wait {marker}
      {task}
""")
    run = start("corral-playbook", "-i", str(local_inventory), str(playbook))
    run.wait_until(lambda: ready in run.stdout, "the wait to start")
    run.interrupt(signal.SIGINT)
    run.assert_clean_exit(signal.SIGINT)
    run.assert_nothing_left(marker)


def test_adhoc_cli_interrupted(tmp_path, start, local_inventory, marker):
    run = start("corral", "-i", str(local_inventory), "all", "-m", "shell", "-a", f"sleep {marker} & sleep {marker}")
    run.wait_until(lambda: len(_with_marker(marker)) >= 4, "the ad-hoc command to run")
    run.interrupt(signal.SIGINT)
    run.assert_clean_exit(signal.SIGINT)
    run.assert_nothing_left(marker)


# -- dynamic inventory scripts ---------------------------------------------------------------


@pytest.mark.parametrize("tool", ["corral-playbook", "corral"])
def test_ctrl_c_while_corral_starts_prints_no_traceback(tool, tmp_path, local_inventory, cli):
    """SIGINT at many moments of start-up (imports, option parsing, loading): never a
    traceback; Ansible's message and rc 99 (or, before Python handles SIGINT at all,
    the signal's default death)."""
    playbook = _playbook(tmp_path, "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: 'true'\n")
    args = [str(playbook)] if tool == "corral-playbook" else ["all", "-m", "ping"]
    env = dict(os.environ, HOME=str(cli.home), ANSIBLE_NOCOLOR="1")
    for delay in (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.45):
        proc = subprocess.Popen([str(Path(sys.executable).parent / tool), "-i", str(local_inventory), *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                stdin=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=_EXIT_BOUND + 20)
        if err.startswith(("Fatal Python error: init_import_site", "Fatal Python error: init_sys_streams")) \
                and proc.returncode == 1:
            continue    # the interpreter's own start-up (site, then its std streams), before any code of corral's runs
        assert "Traceback" not in out + err and "KeyboardInterrupt" not in out + err, (delay, out, err)
        assert proc.returncode in (99, -signal.SIGINT, 0), (delay, proc.returncode, out, err)
        if proc.returncode == 99:
            assert "User interrupted execution" in err, err


def _slow_inventory_script(tmp_path: Path, marker: str) -> Path:
    script = tmp_path / "inventory.sh"
    # a child that holds the script's stdout open: killing the script alone is not enough
    script.write_text(f"#!/bin/sh\nsleep {marker} &\nsleep {marker}\n")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("tool,sig", [("corral-playbook", signal.SIGINT), ("corral-inventory", signal.SIGTERM)])
def test_interrupt_while_the_inventory_script_runs(tool, sig, tmp_path, start, marker):
    playbook = _playbook(tmp_path, "- hosts: all\n  gather_facts: false\n  tasks: [{command: 'true'}]\n")
    script = str(_slow_inventory_script(tmp_path, marker))
    args = [str(playbook)] if tool == "corral-playbook" else ["--list"]
    run = start(tool, "-i", script, *args)
    run.wait_until(lambda: len(_with_marker(marker)) >= 2, "the inventory script to run")
    run.interrupt(sig)
    if tool == "corral-inventory":      # its own error format, as ansible-inventory's
        assert "Traceback" not in run.stderr and run.rc == -sig, (run.rc, run.stderr)
    else:
        run.assert_clean_exit(sig)
    run.assert_nothing_left(marker)


def test_inventory_script_timeout_kills_its_children(tmp_path, cli, marker):
    playbook = _playbook(tmp_path, "- hosts: all\n  gather_facts: false\n  tasks: [{command: 'true'}]\n")
    script = _slow_inventory_script(tmp_path, marker)
    env = dict(os.environ, HOME=str(cli.home), CORRAL_INVENTORY_SCRIPT_TIMEOUT="1")
    started = time.monotonic()
    result = subprocess.run([str(Path(sys.executable).parent / "corral-playbook"), "-i", str(script),
                             str(playbook)], capture_output=True, text=True, env=env, timeout=60)
    elapsed = time.monotonic() - started
    try:
        assert "timed out after 1 seconds" in result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert elapsed < 15, elapsed
        time.sleep(0.5)
        assert _with_marker(marker) == []
    finally:
        for pid in _with_marker(marker):
            os.kill(pid, signal.SIGKILL)


# -- over ssh --------------------------------------------------------------------------------


@pytest.fixture
def sshd_roots(corral_sshd) -> list[int]:
    return [proc.pid for proc in corral_sshd.procs]


@pytest.mark.parametrize("sig,become", [(signal.SIGINT, False), (signal.SIGTERM, True)],
                         ids=["SIGINT", "SIGTERM-become"])
def test_remote_module_server_and_its_commands_die(sig, become, tmp_path, start, marker, corral_ssh_inventory,
                                                   corral_ssh_user, sshd_roots):
    inventory = corral_ssh_inventory(count=2, become_password=True)
    playbook = _playbook(tmp_path, f"""
- hosts: ssh
  gather_facts: false
  become: {str(become).lower()}
  tasks:
    - name: quick
      command: "true"
    - name: endless
      shell: sleep {marker} & sleep {marker}
""")
    run = start("corral-playbook", "-i", str(inventory), str(playbook), watch=sshd_roots,
                remote_tmp=corral_ssh_user.home / ".ansible" / "tmp")
    run.wait_until(lambda: len(_with_marker(marker)) >= 4, "the remote sleeps to run")
    if become:
        owners = {Path(f"/proc/{pid}").stat().st_uid for pid in _with_marker(marker)}
        assert owners == {0}, owners
    run.interrupt(sig)
    run.assert_clean_exit(sig)
    run.assert_nothing_left(marker)


def test_remote_raw_command_dies(tmp_path, start, marker, corral_ssh_inventory, corral_ssh_user, sshd_roots):
    """A command run without a module server (``raw``) gets SIGTERM through the ssh session."""
    inventory = corral_ssh_inventory(count=1)
    playbook = _playbook(tmp_path, f"- hosts: ssh\n  gather_facts: false\n  tasks:\n"
                                   f"    - raw: sleep {marker} & sleep {marker}\n")
    run = start("corral-playbook", "-i", str(inventory), str(playbook), watch=sshd_roots,
                remote_tmp=corral_ssh_user.home / ".ansible" / "tmp")
    run.wait_until(lambda: len(_with_marker(marker)) >= 2, "the remote sleeps to run")
    run.interrupt(signal.SIGINT)
    run.assert_clean_exit(signal.SIGINT)
    run.assert_nothing_left(marker)


@pytest.mark.parametrize("module", ["copy", "template"])
def test_interrupt_during_a_transfer_leaves_no_temp_file(module, tmp_path, start, marker, corral_ssh_inventory,
                                                         corral_ssh_user, sshd_roots):
    """``template`` renders into a controller temp file (in TMPDIR), both send it to
    the host's temp dir: neither may be left."""
    inventory = corral_ssh_inventory(count=1)
    source = tmp_path / f"big.{module}"
    if module == "copy":
        with open(source, "wb") as handle:
            for _ in range(16):
                handle.write(os.urandom(4 * 1024 * 1024))
    else:
        source.write_text("{{ 'x' * 60000000 }}\n")
    playbook = _playbook(tmp_path, f"""
- hosts: ssh
  gather_facts: false
  tasks:
    - name: transfer {marker}
      {module}: src={source} dest={corral_ssh_user.home}/big-{marker}
""")
    run = start("corral-playbook", "-i", str(inventory), str(playbook), watch=sshd_roots,
                remote_tmp=corral_ssh_user.home / ".ansible" / "tmp")
    run.wait_until(lambda: any(Path(p).is_file() and Path(p).stat().st_size > 0 for p in run.new_remote_files()),
                   "the transfer to start")
    run.interrupt(signal.SIGINT)
    run.assert_clean_exit(signal.SIGINT)
    run.assert_nothing_left(marker)
    assert not (corral_ssh_user.home / f"big-{marker}").exists()


# -- the API ---------------------------------------------------------------------------------


_API_SCRIPT = r'''
import sys, threading, time
from corral.executor.task_queue_manager import TaskQueueManager
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral.playbook.play import Play
from corral.vars.manager import VariableManager

inventory_path, marker = sys.argv[1], sys.argv[2]
loader = DataLoader()
inventory = InventoryManager(loader=loader, sources=[inventory_path])
variables = VariableManager(loader=loader, inventory=inventory)
play = Play().load({"hosts": "all", "gather_facts": False,
                    "tasks": [{"command": "sleep " + marker}, {"command": "true"}]},
                   variable_manager=variables, loader=loader)
tqm = TaskQueueManager(inventory=inventory, variable_manager=variables, loader=loader, stdout_callback="minimal")
outcome = {}

def run():
    try:
        outcome["rc"] = tqm.run(play)
    finally:
        tqm.cleanup()

thread = threading.Thread(target=run)
thread.start()
print("started", flush=True)
sys.stdin.readline()
begun = time.monotonic()
tqm.cancel()
thread.join(10)
print("alive" if thread.is_alive() else "joined", outcome.get("rc"), round(time.monotonic() - begun, 2), flush=True)
'''


def test_api_run_in_a_thread_can_be_cancelled(tmp_path, local_inventory, marker):
    script = tmp_path / "api.py"
    script.write_text(_API_SCRIPT)
    proc = subprocess.Popen([sys.executable, str(script), str(local_inventory), marker], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, HOME=str(tmp_path)))
    try:
        _wait(lambda: len(_with_marker(marker)) >= 2, 60, "the API run's tasks")
        time.sleep(0.3)
        tree = {i for i in map(_identity, _descendants(proc.pid)) if i is not None}
        out, err = proc.communicate("cancel\n", timeout=20)
        assert "Traceback" not in err, err
        last = out.strip().splitlines()[-1].split()
        assert last[:2] == ["joined", str(16)], out     # RUN_USER_INTERRUPTED
        assert float(last[2]) < 5, out
        _wait(lambda: not any(_alive(i) for i in tree) and not _with_marker(marker), _GONE_BOUND,
              "the API run's processes to end")
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in _with_marker(marker):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("executor", ["forking", "inline"])
def test_typed_api_run_is_cancelled(executor, local_inventory, marker, monkeypatch):
    from corral.api import Cancellation, stream_playbook

    monkeypatch.setenv("CORRAL_EXECUTOR", executor)
    cancel = Cancellation()
    play = {"hosts": "all", "gather_facts": False,
            "tasks": [{"shell": f"sleep {marker} & sleep {marker}"}, {"command": "true"}]}
    _stream, future = stream_playbook([play], inventory=str(local_inventory), cancel=cancel)
    try:
        _wait(lambda: len(_with_marker(marker)) >= 4, 60, "the run's tasks")
        begun = time.monotonic()
        cancel.cancel()
        result = future.result(timeout=20)
        assert result.rc == 16
        assert time.monotonic() - begun < _EXIT_BOUND
        assert all(o.action != "command" for h in result.hosts.values() for o in h.results)
        _wait(lambda: not _with_marker(marker), _GONE_BOUND, "the run's processes to end")
    finally:
        for pid in _with_marker(marker):
            os.kill(pid, signal.SIGKILL)


_CLI_BODY = r'''
import atexit, sys, time
from pathlib import Path
from corral.cli.options import run_cli

def body(argv):
    atexit.register(lambda: Path(argv[0], "atexit-ran").touch())
    try:
        print("ready", flush=True)
        time.sleep(1000)
    finally:
        Path(argv[0], "finally-ran").touch()
    return 0

sys.exit(run_cli(body, sys.argv[1:]))
'''


def test_sigterm_goes_through_finally_blocks_and_atexit_handlers(tmp_path):
    """What other parts clean up in ``finally`` blocks and ``atexit`` handlers (private
    temp files holding secrets) is cleaned up on SIGTERM too, as on SIGINT; then the
    process dies by SIGTERM."""
    script = tmp_path / "cli.py"
    script.write_text(_CLI_BODY)
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "ready\n"
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=_EXIT_BOUND)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (tmp_path / "finally-ran").exists() and (tmp_path / "atexit-ran").exists()
    assert "Traceback" not in err
    assert proc.returncode == -signal.SIGTERM, (proc.returncode, err)
