"""The ``live`` stdout callback: in a real pseudo-terminal it shows the hosts' table and
the progress bar while the play runs, and prints failures and the recap in Ansible's
format; into a pipe it prints exactly what ``default`` prints."""
from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
PLAYBOOK = """\
- name: watched play
  hosts: all
  gather_facts: false
  tasks:
    - name: take a while
      command: sleep 1.5
    - name: fail on one host
      fail:
        msg: boom on {{ inventory_hostname }}
      when: inventory_hostname == 'h2'
    - name: after
      debug:
        msg: still here
"""
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


def _files(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text(PLAYBOOK)
    (tmp_path / "hosts").write_text("".join(f"h{i} ansible_connection=local\n" for i in (1, 2, 3)))


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_PYTHON_INTERPRETER=sys.executable, COLUMNS="120", LINES="40", TERM="xterm-256color", **extra)
    return env


def run_in_terminal(tmp_path: Path, **env: str) -> tuple[int, str]:
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(BIN / "corral-playbook"), "-i", "hosts", "site.yml"], cwd=tmp_path,
                            stdin=slave, stdout=slave, stderr=slave, env=_env(**env), close_fds=True)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    return proc.wait(timeout=30), seen.decode(errors="replace")


def test_live_view_in_a_terminal(tmp_path):
    _files(tmp_path)
    rc, screen = run_in_terminal(tmp_path, ANSIBLE_STDOUT_CALLBACK="live")
    plain = _ANSI.sub("", screen)
    assert rc == 2
    # the live table: the hosts, the task they run, the bar
    assert re.search(r"host +task +time +ok +changed +failed +unreachable +skipped", plain), plain
    assert re.search(r"h[123] +take a while +\d+\.\ds", plain)
    assert re.search(r"\d+/9 task results", plain)
    # failures as Ansible prints them, with their banner; ok results only in the table
    assert "TASK [fail on one host] ****" in plain
    assert "fatal: [h2]: FAILED! => {" in plain and "boom on h2" in plain
    assert "ok: [h1]" not in plain and "TASK [after]" not in plain
    assert re.search(r"h2 +: ok=1 +changed=1 +unreachable=0 +failed=1", plain)
    assert "\x1b[" in screen       # colors on a terminal


def test_live_view_honours_no_color(tmp_path):
    _files(tmp_path)
    rc, screen = run_in_terminal(tmp_path, ANSIBLE_STDOUT_CALLBACK="live", NO_COLOR="1")
    assert rc == 2
    # bold or dim may stay (NO_COLOR is about colors); no foreground or background color
    params = [int(p) for sgr in re.findall(r"\x1b\[([0-9;]*)m", screen) for p in sgr.split(";") if p]
    assert not [p for p in params if 30 <= p <= 49 or 90 <= p <= 107], "colors despite NO_COLOR"
    assert "fatal: [h2]: FAILED!" in screen


def test_live_into_a_pipe_prints_what_default_prints(tmp_path):
    _files(tmp_path)
    outputs = []
    for callback in ("live", "default"):
        proc = subprocess.run([str(BIN / "corral-playbook"), "-i", "hosts", "site.yml", "-f", "1"], cwd=tmp_path,
                              env=_env(ANSIBLE_STDOUT_CALLBACK=callback), capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2
        outputs.append(re.sub(r'"(delta|start|end)": "[^"]*"', "T", proc.stdout))
    assert outputs[0] == outputs[1]
