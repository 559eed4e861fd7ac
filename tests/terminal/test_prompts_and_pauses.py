"""``pause`` and ``vars_prompt`` on a real pseudo-terminal: corral-playbook's
transcript of each scenario equals ansible-core 2.21's (recorded by ``record.py``),
byte for byte once normalised: prompts, the terminal's echo (or none), erasing,
Ctrl-C then C/A, the line-clearing codes, results and the exit code."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .pty_session import normalize, run_scenario
from .scenarios import SCENARIOS

HERE = Path(__file__).resolve().parent
CORRAL_PLAYBOOK = str(Path(sys.executable).parent / "corral-playbook")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_the_terminal_shows_what_ansible_shows(scenario, tmp_path) -> None:
    workdir = tmp_path / scenario.name
    transcript, rc = run_scenario(scenario, CORRAL_PLAYBOOK, workdir)
    recorded = (HERE / "recorded" / f"{scenario.name}.txt").read_text()
    assert f"rc={rc}\n" + normalize(transcript, workdir) == recorded
