"""corral's host patterns against Ansible's answers (recorded, and live when installed)."""
from __future__ import annotations

import json
import os

import pytest

from cases import EXPECTED
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from pattern_cases import ANSIBLE, PATTERNS, SOURCES, ansible_hosts

with open(os.path.join(EXPECTED, "patterns.json"), encoding="utf-8") as _handle:
    RECORDED = {(case["pattern"], case["limit"]): case["hosts"] for case in json.load(_handle)}


def corral_hosts(pattern: str, limit: str | None) -> list[str]:
    inv = InventoryManager(DataLoader(), sources=SOURCES)
    inv.subset(limit)
    return [h.name for h in inv.get_hosts(pattern)]


@pytest.mark.parametrize("pattern, limit", PATTERNS, ids=[f"{p} limit={l}" for p, l in PATTERNS])
def test_pattern_matches_recorded_ansible(pattern, limit):
    assert corral_hosts(pattern, limit) == RECORDED[(pattern, limit)]


@pytest.mark.skipif(not os.path.exists(ANSIBLE), reason="the ansible-core oracle is not installed")
def test_patterns_match_live_ansible(tmp_path):
    mismatches = {}
    for pattern, limit in PATTERNS[::10]:  # a sample: each run of ansible takes seconds
        expected = ansible_hosts(pattern, limit, str(tmp_path))
        if corral_hosts(pattern, limit) != expected:
            mismatches[(pattern, limit)] = expected
    assert mismatches == {}
