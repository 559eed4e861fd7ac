"""corral-inventory against ansible-inventory: recorded outputs, and live when the
oracle (.oracle/bin/ansible-inventory, see scripts/oracle-venv) is installed."""
from __future__ import annotations

import json
import os

import pytest

from cases import CASES, CORRAL, EXPECTED, ORACLE, parse, run, suffix

IDS = [case[0] for case in CASES]


@pytest.mark.parametrize("name, sources, args", CASES, ids=IDS)
def test_matches_recorded_ansible_output(name, sources, args, tmp_path):
    with open(os.path.join(EXPECTED, name + suffix(args)), encoding="utf-8") as handle:
        expected = json.load(handle) if suffix(args) == ".json" else parse(handle.read(), args)
    assert run(CORRAL, sources, args, str(tmp_path)) == expected


@pytest.mark.skipif(not os.path.exists(ORACLE), reason="the ansible-core oracle is not installed")
@pytest.mark.parametrize("name, sources, args", CASES, ids=IDS)
def test_matches_live_ansible(name, sources, args, tmp_path):
    assert run(CORRAL, sources, args, str(tmp_path)) == run(ORACLE, sources, args, str(tmp_path))
