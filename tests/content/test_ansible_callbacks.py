"""Callbacks of real collections (``community.general``, ``ansible.posix`` from the
``ansible`` package) under ``corral-playbook``: what they print for
``ansible_callbacks/play.yml`` equals what ansible-core 2.21 printed with them
(recorded in ``ansible_callbacks/<callback>.stdout``, times and dates replaced by
placeholders: see :func:`steady`).

Record again with the oracle present (``.oracle/bin/ansible-playbook``):
``.venv/bin/python tests/content/test_ansible_callbacks.py``.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pypi_packages import ansible_package
from tests.content.test_ansible_package import ORACLE

HERE = Path(__file__).resolve().parent / "ansible_callbacks"
PLAYBOOK = HERE / "play.yml"
CORRAL = Path(sys.executable).with_name("corral-playbook")

#: callback -> the environment that selects it (stdout callbacks, or enabled beside the default one)
CALLBACKS = {
    "community.general.selective": {"ANSIBLE_STDOUT_CALLBACK": "community.general.selective"},
    "community.general.unixy": {"ANSIBLE_STDOUT_CALLBACK": "community.general.unixy"},
    "community.general.counter_enabled": {"ANSIBLE_STDOUT_CALLBACK": "community.general.counter_enabled"},
    "ansible.posix.profile_tasks": {"ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_tasks"},
    "ansible.posix.timer": {"ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.timer"},
}

_TIMES = [
    (re.compile(r"\w+day \d\d \w+ \d{4}\s+\d\d:\d\d:\d\d [+-]\d{4}"), "<date>"),
    (re.compile(r"\d+:\d\d:\d\d\.\d+"), "<duration>"),
    (re.compile(r"\d+\.\d\d+s"), "<seconds>"),
    (re.compile(r"Playbook run took \d+ days, \d+ hours, \d+ minutes, \d+ seconds"), "Playbook run took <time>"),
    (re.compile(r" -+ <seconds>"), " --- <seconds>"),
    (re.compile(r"(<duration>) \*+ $", re.M), r"\1 ***** "),   # stars pad the date line: its width follows the day
]


def steady(text: str) -> str:
    """``text`` with dates, durations, the dashes and stars that pad them (their width follows
    the task name and the duration) and the checkout's path replaced by placeholders; profile_tasks orders its
    summary by duration, so its lines are sorted."""
    for pattern, placeholder in _TIMES:
        text = pattern.sub(placeholder, text)
    return text.replace(f"{HERE}/", "<here>/")     # the checkout's own path, in Origin lines


def run(engine: Path, callback: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **CALLBACKS[callback], **extra, "ANSIBLE_COLLECTIONS_PATH": str(ansible_package()),
           "ANSIBLE_SHOW_CUSTOM_STATS": "1", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_PYTHON_INTERPRETER": sys.executable}
    env.pop("ANSIBLE_FORCE_COLOR", None)
    return subprocess.run([str(engine), "-i", "localhost,", "-c", "local", str(PLAYBOOK)], env=env,
                          capture_output=True, text=True, timeout=300, cwd=str(HERE))


def _summary_sorted(text: str) -> str:
    """profile_tasks lists the tasks by duration: its summary lines, sorted."""
    head, sep, tail = text.partition("=" * 20)
    return head + sep + "\n".join(sorted(tail.splitlines())) if sep else text


@pytest.mark.parametrize("callback", sorted(CALLBACKS))
def test_callback_prints_what_ansible_printed(callback: str) -> None:
    expected = (HERE / f"{callback}.stdout").read_text()
    done = run(CORRAL, callback)
    assert done.returncode == 0, done.stderr
    assert _summary_sorted(steady(done.stdout)) == _summary_sorted(expected)


def read_engine(engine: Path) -> list[str]:
    """What the ``read_engine`` callback read from the engine's objects (one JSON line
    per event), beside the ``selective`` callback."""
    done = run(engine, "community.general.selective", ANSIBLE_CALLBACK_PLUGINS=str(HERE / "callback_plugins"),
               ANSIBLE_CALLBACKS_ENABLED="read_engine")
    assert done.returncode == 0, done.stderr
    # selective ends some lines without a newline: a record may follow its text
    return [line[line.index("READ {"):] for line in done.stdout.splitlines() if "READ {" in line]


def test_callbacks_read_ansible_s_types_and_values_from_the_engine() -> None:
    """Play and task attributes (types and defaults), ``resolved_action`` FQCNs, the
    variable manager's ``vars``, ``Play.get_tasks()``, ``exception`` of failed results,
    roles run by ``include_role`` and custom stats, as ansible-core gives them."""
    expected = (HERE / "read_engine.jsonl").read_text().splitlines()
    assert read_engine(CORRAL) == expected


def record() -> None:
    for callback in CALLBACKS:
        done = run(ORACLE, callback)
        assert done.returncode == 0, done.stderr
        (HERE / f"{callback}.stdout").write_text(steady(done.stdout))
    (HERE / "read_engine.jsonl").write_text("\n".join(read_engine(ORACLE)) + "\n")


if __name__ == "__main__":
    record()
