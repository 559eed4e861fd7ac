"""The ``timeout`` task keyword through ``corral-playbook``, on every executor and both
strategies: the host whose task runs too long fails as ansible-core reports it (the
output itself is compared with ansible-core in ``tests/language/cases/500_task_timeout``),
the other hosts go on, and the command the module started on the target is stopped,
not left running."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

SLEEP = ["sleep", "47.25"]      # the command the tests find by its command line


def _running(command: list[str]) -> list[int]:
    """PIDs of the processes whose command line is ``command``."""
    wanted = "\0".join(command).encode() + b"\0"
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cmdline").read_bytes() == wanted:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.parametrize("executor_name", ["forking", "inline", pytest.param("ray", marks=pytest.mark.ray)],
                         indirect=True)
@pytest.mark.parametrize("strategy", ["linear", "free"])
def test_the_slow_host_times_out_the_others_go_on_and_nothing_is_left_running(
        executor_name, strategy, cli, tmp_path) -> None:
    inventory = tmp_path / "hosts"
    inventory.write_text("".join(f"{name} ansible_connection=local ansible_python_interpreter={sys.executable}\n"
                                 for name in ("slow", "fast")))
    playbook = tmp_path / "site.yml"
    playbook.write_text(f"""
- hosts: all
  gather_facts: false
  strategy: {strategy}
  tasks:
    - command: "{{{{ '{' '.join(SLEEP)}' if inventory_hostname == 'slow' else 'true' }}}}"
      timeout: 8
    - debug: msg=after
""")
    started = time.monotonic()
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook), "-f", "2")
    elapsed = time.monotonic() - started
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert elapsed < 45, "the slow host's task was not stopped at its timeout"
    assert 'fatal: [slow]: FAILED! => {"changed": false, "msg": "Task failed: Timed out after 8 second(s).", ' \
           '"timedout": {"frame": "Configure `DISPLAY_TRACEBACK` to see a traceback on timeout errors.", ' \
           '"period": 8}}' in proc.stdout
    assert cli.recap(proc.stdout) == {
        "slow": {"ok": 0, "changed": 0, "unreachable": 0, "failed": 1, "skipped": 0, "rescued": 0, "ignored": 0},
        "fast": {"ok": 2, "changed": 1, "unreachable": 0, "failed": 0, "skipped": 0, "rescued": 0, "ignored": 0}}
    deadline = time.monotonic() + 10
    while _running(SLEEP):
        assert time.monotonic() < deadline, f"the timed-out command is still running: {_running(SLEEP)}"
        time.sleep(0.1)


def test_a_controller_side_wait_ends_at_the_timeout(cli, tmp_path) -> None:
    inventory = tmp_path / "hosts"
    inventory.write_text(f"h ansible_connection=local ansible_python_interpreter={sys.executable}\n")
    playbook = tmp_path / "site.yml"
    playbook.write_text("""
- hosts: all
  gather_facts: false
  tasks:
    - pause: {seconds: 30}
      timeout: 1
      register: r
      ignore_errors: true
    - debug: {msg: "{{ r is timedout }} {{ r.timedout.period }}"}
""")
    started = time.monotonic()
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert time.monotonic() - started < 20
    assert '"msg": "True 1"' in proc.stdout
