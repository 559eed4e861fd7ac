"""docs/moving-from-ansible.md stays true: its examples run as written.

Each fenced block after a ``<!-- file: NAME -->`` line is written to ``NAME``; each
``$ command`` of a ``console`` block runs (in bash, in that folder, with this venv's
CLIs first on PATH and no ANSIBLE_/CORRAL_ settings but the command's own) and must
exit 0, and the lines shown after it must appear in its output in that order (``...``
stands for anything; trailing spaces do not count)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "moving-from-ansible.md"
BIN = Path(sys.executable).parent
_BLOCK = re.compile(r"(?:<!-- file: (?P<file>\S+) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)```", re.S)


def examples(text: str) -> list[tuple[str, str, list[str]]]:
    """``("file", name, [content])`` and ``("run", command, expected lines)`` in order."""
    steps: list[tuple[str, str, list[str]]] = []
    for match in _BLOCK.finditer(text):
        if match["file"]:
            steps.append(("file", match["file"], [match["body"]]))
        elif match["lang"] == "console":
            for chunk in re.split(r"^\$ ", match["body"], flags=re.M)[1:]:
                command, *shown = chunk.rstrip("\n").split("\n")
                steps.append(("run", command, shown))
    return steps


def appears_in_order(shown: list[str], output: str) -> bool:
    lines = [line.rstrip() for line in output.splitlines()]
    position = 0
    for wanted in (line.rstrip() for line in shown):
        if wanted == "...":
            continue
        try:
            position = lines.index(wanted, position) + 1
        except ValueError:
            return False
    return True


def test_the_examples_of_moving_from_ansible_run_as_shown(tmp_path):
    steps = examples(DOC.read_text())
    assert sum(kind == "run" for kind, _, _ in steps) >= 3
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(PATH=f"{BIN}:{env.get('PATH', '/usr/bin:/bin')}", ANSIBLE_NOCOLOR="1",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    for kind, name, payload in steps:
        if kind == "file":
            (tmp_path / name).write_text(payload[0])
            continue
        proc = subprocess.run(["bash", "-c", name], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, f"{name}: {proc.stdout}{proc.stderr}"
        assert appears_in_order(payload, proc.stdout), f"{name} printed:\n{proc.stdout}"
