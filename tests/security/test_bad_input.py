"""Bad input gets one clear error (or Ansible's warning), never a traceback (issue #10, item 11).

The expected wording, exit codes and outcomes (task failed vs unreachable) are what
ansible-core 2.21 gives for the same input, except for the stalled transfer, where
ansible-core hangs (it was still waiting after 150 s): there corral must report the host
UNREACHABLE within its timeout and leave no partial file behind.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from pytest_corral.sshd import _descendants

LOCAL = "ansible_connection=local ansible_python_interpreter=/usr/bin/python3"


def _write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text))
    return path


def _clean(proc: subprocess.CompletedProcess) -> str:
    """stdout+stderr, after checking that no Python traceback reached the user."""
    both = proc.stdout + proc.stderr
    assert "Traceback" not in both and 'File "/' not in both, both
    return both


# -- INI inventory -------------------------------------------------------------------------

def test_ini_section_without_closing_bracket_refuses_the_file(cli, tmp_path):
    inventory = _write(tmp_path / "hosts", f"""\
        [web]
        w1 {LOCAL}
        [db
        d1 {LOCAL}
        d2 {LOCAL}
        """)
    play = _write(tmp_path / "site.yml", """\
        - hosts: all
          gather_facts: false
          tasks:
            - debug: msg=hi
        """)
    proc = cli("corral-playbook", "-i", str(inventory), str(play))
    both = _clean(proc)
    # ansible-core: the ini plugin refuses the file, nothing is parsed, no host runs, rc 0
    assert proc.returncode == 0
    assert "skipping: no hosts matched" in proc.stdout
    assert "[db" not in proc.stdout and "w1" not in proc.stdout and "d1" not in proc.stdout
    assert f"Invalid section entry: '[db'. The section header has no closing ']'\nOrigin: {inventory}:3:1" in both
    assert f"Unable to parse {inventory} as an inventory source" in proc.stderr


@pytest.mark.parametrize("setting,message", [
    ("ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED", "[ERROR]: Completely failed to parse inventory source {inventory}"),
    ("ANSIBLE_INVENTORY_UNPARSED_FAILED",
     "[ERROR]: No inventory was parsed, please check your configuration and options."),
])
def test_unparsed_inventory_can_be_fatal(cli, tmp_path, monkeypatch, setting, message):
    """ansible-core's [inventory] any_unparsed_is_failed / unparsed_is_failed: rc 1, nothing runs."""
    inventory = _write(tmp_path / "hosts", f"[web]\nw1 {LOCAL}\n[db\nd1 {LOCAL}\n")
    play = _write(tmp_path / "site.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
    monkeypatch.setenv(setting, "true")
    proc = cli("corral-playbook", "-i", str(inventory), str(play))
    _clean(proc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert message.format(inventory=inventory) in proc.stderr
    assert "PLAY [" not in proc.stdout


def test_host_range_without_closing_bracket_refuses_the_file(cli, tmp_path):
    inventory = _write(tmp_path / "hosts", "[g]\nok1\nweb[01:03\n")
    proc = cli("corral-inventory", "-i", str(inventory), "--list")
    both = _clean(proc)
    assert "Invalid host pattern 'web[01:03': a '[' opens a range that is not closed" in both
    assert f"Origin: {inventory}:3:1" in both
    assert "ok1" not in proc.stdout and "web[01:03" not in proc.stdout


# -- duplicate YAML keys ---------------------------------------------------------------------

def test_duplicate_yaml_keys_warn_in_playbooks_vars_files_and_inventories(cli, tmp_path):
    inventory = _write(tmp_path / "inventory.yml", """\
        all:
          hosts:
            localhost:
              ansible_connection: local
              ansible_python_interpreter: /usr/bin/python3
              x: 1
              x: 2
        """)
    _write(tmp_path / "vars.yml", "b: 1\nc: 0\nb: 3\n")
    play = _write(tmp_path / "site.yml", """\
        - hosts: localhost
          gather_facts: false
          vars:
            a: 1
            a: 2
          vars_files: [vars.yml]
          tasks:
            - debug: msg="{{ a }} {{ b }} {{ x }}"
        """)
    proc = cli("corral-playbook", "-i", str(inventory), str(play))
    _clean(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"msg": "2 3 2"' in proc.stdout          # the last value wins, as in Ansible
    # ansible-core 2.21's wording and layout, byte for byte
    assert (f"[WARNING]: Found duplicate mapping key 'x'.\nOrigin: {inventory}:7:7\n\n"
            f"5       ansible_python_interpreter: /usr/bin/python3\n6       x: 1\n7       x: 2\n"
            f"        ^ column 7\n\nUsing last defined value only.\n") in proc.stderr
    assert f"[WARNING]: Found duplicate mapping key 'a'.\nOrigin: {play}:5:5\n" in proc.stderr
    assert f"[WARNING]: Found duplicate mapping key 'b'.\nOrigin: {tmp_path / 'vars.yml'}:3:1\n" in proc.stderr
    assert proc.stderr.count("Using last defined value only.") == 3


@pytest.mark.parametrize("policy,rc,wanted", [
    ("error", 4, "[ERROR]: YAML parsing failed: Found duplicate mapping key 'a'.\nOrigin: {play}:5:5\n"),
    ("ignore", 0, None),
    ("bogus", 5, "[ERROR]: Invalid value 'bogus' for config 'DUPLICATE_YAML_DICT_KEY'."),
])
def test_duplicate_yaml_key_policy(cli, tmp_path, monkeypatch, policy, rc, wanted):
    """Ansible's DUPLICATE_YAML_DICT_KEY: warn (default), error or ignore."""
    play = _write(tmp_path / "site.yml", """\
        - hosts: localhost
          gather_facts: false
          vars:
            a: 1
            a: 2
          tasks:
            - debug: msg="{{ a }}"
        """)
    monkeypatch.setenv("ANSIBLE_DUPLICATE_YAML_DICT_KEY", policy)
    proc = cli("corral-playbook", "-i", "localhost,", "-c", "local", str(play))
    _clean(proc)
    assert proc.returncode == rc, proc.stdout + proc.stderr
    assert "Using last defined value only" not in proc.stderr
    if wanted:
        assert wanted.format(play=play) in proc.stderr


# -- malformed playbooks -------------------------------------------------------------------------

#: (playbook text, ansible-core's exit code, its message): refused while loading, no traceback
MALFORMED = {
    "vars_files_int": ("- hosts: all\n  vars_files: 5\n  tasks: []\n", 4, "Invalid `vars_files` value of type 'int'."),
    "vars_files_entry": ("- hosts: all\n  vars_files: [5]\n  tasks: []\n", 4,
                         "Invalid `vars_files` value of type 'int'."),
    "hosts_empty": ("- hosts:\n  tasks: []\n", 4, "Hosts list cannot be empty. Please check your playbook"),
    "hosts_mapping": ("- hosts: {a: b}\n  tasks: []\n", 4,
                      "Hosts list must be a sequence or string. Please check your playbook."),
    "hosts_nested": ("- hosts: [a, [b]]\n  tasks: []\n", 4, "Hosts list contains an invalid host value: '['b']'"),
    "gather_facts": ("- hosts: all\n  gather_facts: maybe\n  tasks: []\n", 4,
                     "Error processing keyword 'gather_facts': The value 'maybe' could not be converted to 'bool'."),
    "max_fail_percentage": ("- hosts: all\n  max_fail_percentage: abc\n  tasks: []\n", 4,
                            "Error processing keyword 'max_fail_percentage': The value 'abc' could not be converted "
                            "to 'percent'."),
    # ansible-core crashes here ("Unexpected Exception ... invalid literal for int()", rc 250)
    "serial": ("- hosts: all\n  serial: [1, abc]\n  tasks: []\n", 4,
               "Error processing keyword 'serial': The value 'abc' could not be converted to 'int' or a percentage."),
    "register_int": ("- hosts: all\n  tasks:\n    - debug: msg=hi\n      register: 5\n", 4,
                     "Invalid 'register' specified: Invalid variable name '5' of type 'int'."),
    "register_name": ("- hosts: all\n  tasks:\n    - debug: msg=hi\n      register: a-b\n", 4,
                      "Invalid 'register' specified: Invalid variable name 'a-b'."),
    "register_list": ("- hosts: all\n  tasks:\n    - debug: msg=hi\n      register: [a]\n", 4,
                      "Invalid 'register' specified: Invalid variable name of type 'list'."),
    "tags_mapping": ("- hosts: all\n  tasks:\n    - debug: msg=hi\n      tags: {a: b}\n", 1,
                     "tags must be specified as a list"),
    "loop_control_string": ("- hosts: all\n  tasks:\n    - debug: msg=hi\n      loop: [1]\n"
                            "      loop_control: \"{{ x }}\"\n", 4,
                            "the `loop_control` value must be specified as a dictionary and cannot be a variable "
                            "itself (though it can contain variables)"),
    "delegate_to_list": ("- hosts: all\n  tasks:\n    - debug: msg=hi\n      delegate_to: [x]\n", 4,
                         "The field 'delegate_to' is supposed to be a string type"),
    "become_user_list": ("- hosts: all\n  tasks:\n    - command: 'true'\n      become: true\n"
                         "      become_user: [x]\n", 4, "The field 'become_user' is supposed to be a string type"),
    "empty": ("# nothing\n", 4, "Empty playbook, nothing to do: {play}"),
    "no_plays": ("[]\n", 4, "A playbook must contain at least one play: {play}"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_playbook_is_refused_while_loading(cli, tmp_path, name):
    text, rc, message = MALFORMED[name]
    inventory = _write(tmp_path / "hosts", f"h1 {LOCAL}\n")
    play = tmp_path / "site.yml"
    play.write_text(text.replace("- hosts: all\n", "- hosts: all\n  gather_facts: false\n", 1)
                    if "gather_facts" not in text else text)
    proc = cli("corral-playbook", "-i", str(inventory), str(play))
    _clean(proc)
    assert proc.returncode == rc, proc.stdout + proc.stderr
    assert f"[ERROR]: {message.format(play=play)}" in proc.stderr
    assert "TASK [" not in proc.stdout          # refused before anything ran


# -- keyword values ----------------------------------------------------------------------------

@pytest.mark.parametrize("task,inventory_vars,message", [
    ("retries: abc\n  until: false", "",
     "Error processing keyword 'retries': The value 'abc' could not be converted to 'int'."),
    ("retries: \"{{ 'x' }}\"\n  until: false", "",
     "Error processing keyword 'retries': The value 'x' could not be converted to 'int'."),
    ("delay: abc\n  retries: 2\n  until: false", "",
     "Error processing keyword 'delay': The value 'abc' could not be converted to 'float'."),
    ("vars: {ansible_timeout: abc}", "",
     "Error processing keyword 'timeout': The value 'abc' could not be converted to 'int'."),
    ("", "ansible_host=127.0.0.1 ansible_port=notaport",
     "Error processing keyword 'port': The value 'notaport' could not be converted to 'int'."),
    ("", "ansible_connection=nosuch", "the connection plugin 'nosuch' was not found"),
    ("async: abc", "", "Error processing keyword 'async_val': The value 'abc' could not be converted to 'int'."),
    ("async: 5\n  poll: abc", "",
     "Error processing keyword 'poll': The value 'abc' could not be converted to 'int'."),
    ("timeout: abc", "", "Error processing keyword 'timeout': The value 'abc' could not be converted to 'int'."),
    ("loop: [1]\n  loop_control: {pause: abc}", "",
     "!Error processing keyword 'pause': The value 'abc' could not be converted to 'float'."),
    ("ignore_errors: maybe", "",
     "Error processing keyword 'ignore_errors': The value 'maybe' could not be converted to 'bool'."),
    ("become: maybe", "", "Error processing keyword 'become': The value 'maybe' could not be converted to 'bool'."),
    ("check_mode: \"{{ 'perhaps' }}\"", "",
     "Error processing keyword 'check_mode': The value 'perhaps' could not be converted to 'bool'."),
], ids=["retries", "retries-templated", "delay", "timeout", "port", "connection", "async", "poll",
        "task-timeout", "loop-pause", "ignore_errors", "become", "check_mode"])
def test_bad_keyword_or_connection_fails_the_task_with_ansibles_words(cli, tmp_path, task, inventory_vars,
                                                                      message):
    inventory = _write(tmp_path / "hosts", f"h1 {LOCAL} {inventory_vars}\n")
    play = tmp_path / "site.yml"
    play.write_text("- hosts: all\n  gather_facts: false\n  tasks:\n"
                    + textwrap.indent(f"- command: \"true\"\n  {task}\n".replace("\n  \n", "\n"), "    ")
                    + "    - debug: msg=after\n")
    proc = cli("corral-playbook", "-i", str(inventory), str(play))
    _clean(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    # ansible-core prefixes "Task failed: " except for loop_control's keywords ("!" here)
    msg = message[1:] if message.startswith("!") else f"Task failed: {message}"
    assert f'fatal: [h1]: FAILED! => {{"changed": false, "msg": "{msg}"}}' in proc.stdout
    assert cli.recap(proc.stdout)["h1"]["failed"] == 1


def test_no_log_that_is_no_boolean_fails_censored(cli, tmp_path):
    """Read leniently, ``no_log: maybe`` would be false and print the task's secrets."""
    inventory = _write(tmp_path / "hosts", f"h1 {LOCAL}\n")
    play = _write(tmp_path / "site.yml", """\
        - hosts: all
          gather_facts: false
          tasks:
            - command: echo s3cret-value
              no_log: maybe
        """)
    proc = cli("corral-playbook", "-i", str(inventory), str(play), "-vvv")
    both = _clean(proc)
    assert proc.returncode == 2, both
    assert ('fatal: [h1]: FAILED! => {\n    "censored": "the output has been hidden due to the fact that '
            '\'no_log: true\' was specified for this result",\n    "changed": false\n}') in proc.stdout
    assert "s3cret-value" not in both.replace("command: echo s3cret-value", "")


def test_unknown_connection_in_adhoc(cli, tmp_path):
    inventory = _write(tmp_path / "hosts", "h1 ansible_connection=nosuch\n")
    proc = cli("corral", "h1", "-i", str(inventory), "-m", "ping")
    _clean(proc)
    assert proc.returncode == 2
    assert "h1 | FAILED! => {\n    \"changed\": false,\n    \"msg\": \"Task failed: the connection plugin " \
           "'nosuch' was not found\"\n}" in proc.stdout


@pytest.mark.parametrize("host_vars,outcome,message", [
    ("ansible_port=70000", "UNREACHABLE", "Bad port '70000'"),
    ("ansible_timeout=-5", "UNREACHABLE", "invalid timeout value '-5'"),
    ("ansible_become=maybe", "FAILED",
     "Task failed: Error processing keyword 'become': The value 'maybe' could not be converted to 'bool'."),
], ids=["port-range", "negative-timeout", "ansible_become"])
def test_bad_connection_variables_over_ssh(cli, tmp_path, corral_ssh_inventory, host_vars, outcome, message):
    """ansible-core: UNREACHABLE for the port and the timeout (OpenSSH refuses them), FAILED for become."""
    inventory = corral_ssh_inventory(count=1)
    inventory.write_text(inventory.read_text().replace("host1 ansible_host=", f"host1 {host_vars} ansible_host="))
    play = _write(tmp_path / "site.yml", """\
        - hosts: all
          gather_facts: false
          tasks:
            - command: "true"
        """)
    proc = cli("corral-playbook", "-i", str(inventory), str(play))
    both = _clean(proc)
    assert proc.returncode == (4 if outcome == "UNREACHABLE" else 2), both
    assert f"fatal: [host1]: {outcome}! => " in proc.stdout
    assert message in proc.stdout


# -- remote file systems and transfers (real sshd) ----------------------------------------------

@pytest.fixture
def shared_dir():
    """A directory any test user may write to (tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="corral-bad-input-", dir="/tmp"))
    path.chmod(0o1777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def full_tmpfs(shared_dir):
    """A 128 KiB tmpfs, filled up, with a world-writable (sticky) ``rt`` directory."""
    mount = shared_dir / "full"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k,mode=1777", "tmpfs", str(mount)], check=True)
    try:
        (mount / "rt").mkdir(mode=0o1777)
        (mount / "rt").chmod(0o1777)
        try:
            with open(mount / "filler", "wb", buffering=0) as filler:
                while True:
                    filler.write(b"\0" * 4096)
        except OSError:
            pass        # full
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _remote_files(path: Path) -> list[Path]:
    return [Path(root, name) for root, _, names in os.walk(path) for name in names]


def test_full_remote_temp_dir_fails_the_task_with_the_cause(cli, tmp_path, corral_ssh_inventory, full_tmpfs,
                                                            shared_dir):
    inventory = corral_ssh_inventory(count=1)
    (tmp_path / "payload.bin").write_bytes(os.urandom(300_000))
    play = _write(tmp_path / "site.yml", f"""\
        - hosts: all
          gather_facts: false
          vars:
            ansible_remote_tmp: {full_tmpfs / 'rt'}
          tasks:
            - copy: src=payload.bin dest={shared_dir}/dest.bin
            - debug: msg=after
        """)
    proc = cli("corral-playbook", "-i", str(inventory), str(play))
    both = _clean(proc)
    # ansible-core: the task fails (not unreachable), rc 2, naming the full device
    assert proc.returncode == 2, both
    assert cli.recap(proc.stdout)["host1"]["failed"] == 1
    assert "No space left on device" in proc.stdout
    assert "size mismatch" not in both
    assert _remote_files(full_tmpfs / "rt") == []
    assert not (shared_dir / "dest.bin").exists()


def test_full_temp_dir_over_the_local_connection_fails_the_task(cli, tmp_path, full_tmpfs, shared_dir):
    inventory = _write(tmp_path / "hosts", f"h1 {LOCAL}\n")
    (tmp_path / "payload.bin").write_bytes(os.urandom(300_000))
    play = _write(tmp_path / "site.yml", f"""\
        - hosts: all
          gather_facts: false
          vars:
            ansible_remote_tmp: {full_tmpfs / 'rt'}
          tasks:
            - copy: src=payload.bin dest={shared_dir}/dest.bin
        """)
    proc = cli("corral-playbook", "-i", str(inventory), str(play))
    both = _clean(proc)
    # ansible-core: FAILED (not UNREACHABLE), rc 2, "Failed to transfer file to '...': [Errno 28] ..."
    assert proc.returncode == 2, both
    assert cli.recap(proc.stdout)["h1"] == {**cli.recap(proc.stdout)["h1"], "failed": 1, "unreachable": 0}
    assert "Failed to transfer file to '" in proc.stdout and "No space left on device" in proc.stdout
    assert _remote_files(full_tmpfs / "rt") == []


def _big_file(path: Path, megabytes: int = 150) -> Path:
    with open(path, "wb") as handle:
        for _ in range(megabytes):
            handle.write(os.urandom(1 << 20))
    path.chmod(0o644)
    return path


def _run_and_stall(cli, server, inventory: Path, play: Path, watched: Path) -> tuple[Any, float, list[Path]]:
    """Run ``play``; once a file below ``watched`` holds 10 MB, SIGSTOP the server's session
    processes (not its listener, so that a new login works).  Returns the finished process,
    the seconds from the stop to corral's exit, and the files left below ``watched``."""
    listener = server.procs[0].pid
    stopped: list[int] = []
    stopped_at: list[float] = []

    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0

    def stop_mid_transfer() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(size(p) > 10_000_000 for p in _remote_files(watched)):
                stopped_at.append(time.monotonic())
                for pid in _descendants(listener):
                    os.kill(pid, signal.SIGSTOP)
                    stopped.append(pid)
                return
            time.sleep(0.01)

    watcher = threading.Thread(target=stop_mid_transfer)
    watcher.start()
    try:
        proc = cli("corral-playbook", "-i", str(inventory), str(play), timeout=120)
        ended = time.monotonic()
        watcher.join()
        assert stopped, "the transfer finished before it could be stalled"
        left = _remote_files(watched)
    finally:
        for pid in stopped:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
    return proc, ended - stopped_at[0], left


TIMEOUT = 3


def test_stalled_upload_is_unreachable_within_the_timeout(cli, tmp_path, corral_sshd_factory, corral_ssh_user,
                                                          shared_dir):
    server = corral_sshd_factory()
    inventory = server.write_inventory(tmp_path / "hosts", corral_ssh_user, 1)
    remote_tmp = shared_dir / "rt"
    remote_tmp.mkdir(mode=0o1777)
    remote_tmp.chmod(0o1777)
    _big_file(tmp_path / "big.bin")
    play = _write(tmp_path / "site.yml", f"""\
        - hosts: all
          gather_facts: false
          vars:
            ansible_remote_tmp: {remote_tmp}
            ansible_timeout: {TIMEOUT}
          tasks:
            - copy: src=big.bin dest={shared_dir}/dest.bin
            - debug: msg=after
        """)
    proc, elapsed, left = _run_and_stall(cli, server, inventory, play, remote_tmp)
    both = _clean(proc)
    assert proc.returncode == 4, both
    assert cli.recap(proc.stdout)["host1"]["unreachable"] == 1
    assert f"no progress for {TIMEOUT} seconds (timeout)" in proc.stdout
    assert elapsed < TIMEOUT + 5, elapsed
    assert left == []                     # the partial upload was removed (a new login cleaned up)
    assert not (shared_dir / "dest.bin").exists()


def test_stalled_download_is_unreachable_within_the_timeout(cli, tmp_path, corral_sshd_factory, corral_ssh_user,
                                                            shared_dir):
    server = corral_sshd_factory()
    inventory = server.write_inventory(tmp_path / "hosts", corral_ssh_user, 1)
    remote = _big_file(shared_dir / "big.bin")
    fetched = tmp_path / "fetched"
    play = _write(tmp_path / "site.yml", f"""\
        - hosts: all
          gather_facts: false
          vars:
            ansible_timeout: {TIMEOUT}
          tasks:
            - fetch: src={remote} dest={fetched}/ flat=true
            - debug: msg=after
        """)
    proc, elapsed, left = _run_and_stall(cli, server, inventory, play, fetched)
    both = _clean(proc)
    assert proc.returncode == 4, both
    assert cli.recap(proc.stdout)["host1"]["unreachable"] == 1
    assert f"no progress for {TIMEOUT} seconds (timeout)" in proc.stdout
    assert elapsed < TIMEOUT + 5, elapsed
    assert left == []                     # no partial download either
