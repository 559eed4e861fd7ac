"""``corral-playbook --step`` in a real pseudo-terminal, against transcripts recorded
from ansible-playbook 2.21 (``python tests/kernel/test_playbook_step.py --record``
re-records them with the oracle, ``.oracle/bin/ansible-playbook``).

A transcript is everything the terminal shows (answers echoed), line ends made
``\\n``: the ``Perform task: TASK: name (N)o/(y)es/(c)ontinue:`` questions, the
question repeated as a banner, the tasks run or skipped by the answers (``y``,
``n``, ``yes``, ``c`` then no more questions until the next play, anything else is
no), and ``on host`` in the question under the ``free`` strategy."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect

CASE = Path(__file__).resolve().parent / "step_case"
CORRAL = Path(sys.executable).parent / "corral-playbook"
ORACLE = Path(__file__).resolve().parents[2] / ".oracle" / "bin" / "ansible-playbook"
#: playbook -> the answers typed, one per question
ANSWERS = {"linear.yml": ["y", "n", "yes", "c", "x"], "free.yml": ["y"]}


def transcript(program: Path, playbook: str) -> tuple[str, int]:
    """Run ``program --step playbook`` in a pseudo-terminal, answering each question
    once it is asked (and once its banner is shown); the terminal's text and the exit code."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env["ANSIBLE_NOCOLOR"] = "1"
    child = pexpect.spawn(str(program), ["-i", "inventory", "--step", playbook], cwd=str(CASE), env=env,
                          encoding="utf-8", timeout=120, dimensions=(24, 80))
    seen: list[str] = []
    for answer in ANSWERS[playbook]:
        child.expect(r"\(N\)o/\(y\)es/\(c\)ontinue: ")
        seen.append(str(child.before) + str(child.after))
        child.sendline(answer)
        child.expect(r"ontinue: \*+\r\n")
        seen.append(str(child.before) + str(child.after))
    child.expect(pexpect.EOF)
    seen.append(str(child.before))
    child.close()
    return "".join(seen).replace("\r\n", "\n"), int(child.exitstatus or 0)


def expected_path(playbook: str) -> Path:
    return CASE / f"{playbook[:-4]}.expected"


def test_step_asks_before_each_task_as_ansible_playbook_does() -> None:
    text, rc = transcript(CORRAL, "linear.yml")
    assert rc == 0
    assert text == expected_path("linear.yml").read_text()
    assert "TASK [two]" not in text and "TASK [three]" in text and "TASK [five]" in text


def test_step_names_the_host_under_the_free_strategy() -> None:
    text, rc = transcript(CORRAL, "free.yml")
    assert rc == 0
    assert text == expected_path("free.yml").read_text()
    assert "Perform task: TASK: one on h1 (N)o/(y)es/(c)ontinue: " in text


def test_step_without_a_terminal_reads_stdin_and_fails_at_its_end() -> None:
    """Without a terminal the answers come from stdin; at its end the run stops with
    ansible-core's exit code for an unexpected exception (250)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    proc = subprocess.run([str(CORRAL), "-i", "inventory", "--step", "linear.yml"], cwd=CASE, env=env,
                          input="y\n", capture_output=True, text=True, timeout=120)
    assert proc.returncode == 250
    assert "TASK [one]" in proc.stdout and "TASK [two]" not in proc.stdout
    assert "EOF when reading a line" in proc.stderr


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    for name in ANSWERS:
        recorded, code = transcript(ORACLE, name)
        assert code == 0, code
        expected_path(name).write_text(recorded)
        print(f"recorded {expected_path(name)}")
