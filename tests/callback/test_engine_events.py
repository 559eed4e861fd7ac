"""The events and output of the engine's own behaviours, against ansible-core 2.21
(scenario ``engine``, recorded by ``oracle/record.py``): ``vars_prompt`` given as one
mapping, ``until``/``retries`` counting, a ``failed_when`` that keeps the module's
message, async polling, a handler that includes tasks, and ``include_role`` of a
missing role (a host failure that a ``rescue`` handles); every event also reaches a
callback's ``v2_on_any``."""
from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from corral import api
from corral.plugins.callback import CallbackBase

from .stand_ins import ORACLE, expected_stdout, materialize_scenarios

BIN = Path(sys.executable).parent
_JID = re.compile(r"jid=j[0-9.]+")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    # the interpreter the recordings were made with (oracle/record.py): none is discovered
    env.update(ANSIBLE_NOCOLOR="1", HOME=os.environ.get("HOME", "/root"), ANSIBLE_PYTHON_INTERPRETER="/usr/bin/python3")
    return env


class EveryEvent(CallbackBase):
    """Records each event's name; like a callback written for Ansible that replaces its
    ``v2_*`` methods on the instance, ``v2_on_any`` included."""

    CALLBACK_NAME = "every_event"

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []
        for name in (attr for attr in dir(self) if attr.startswith("v2_")):
            setattr(self, name, functools.partial(self._record, name))

    def _record(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.seen.append(name)


def test_output_matches_ansible(tmp_path):
    materialize_scenarios(tmp_path)
    proc = subprocess.run([str(BIN / "corral-playbook"), "-i", "localhost,", "-c", "local", "engine.yml"],
                          cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=180)
    assert _JID.sub("jid=J", proc.stdout) == _JID.sub("jid=J", expected_stdout("engine", tmp_path))
    assert str(proc.returncode) == (ORACLE / "recorded" / "engine.rc").read_text().strip()
    assert "Not prompting as we are not in interactive mode" in proc.stderr


def test_events_match_ansible_and_reach_v2_on_any(tmp_path):
    materialize_scenarios(tmp_path)
    callback = EveryEvent()
    api.run_playbook(tmp_path / "engine.yml", inventory="localhost,", connection="local", callbacks=[callback])
    recorded = [json.loads(line)["event"]
                for line in (ORACLE / "recorded" / "engine.events.jsonl").read_text().splitlines()]
    events = [name for name in callback.seen if name != "v2_on_any"]
    assert events == recorded
    # v2_on_any follows each event
    assert callback.seen == [name for event in events for name in (event, "v2_on_any")]
