"""corral-cache-jsonfile: one JSON file per host; facts outlive the run."""
from __future__ import annotations

import json
import os
import time

import pytest

from corral.config import Config
from corral.errors import CorralError
from corral.plugins.manager import PluginManager


def test_facts_are_one_json_file_per_host_with_the_prefix(tmp_path) -> None:
    cache = PluginManager().cache_class("jsonfile")(connection=str(tmp_path), timeout=0, prefix="acme_")
    cache.set("web1", {"os": "linux"})
    assert json.loads((tmp_path / "acme_web1").read_text()) == {"os": "linux"}
    assert cache.keys() == ["web1"] and cache.get("web1") == {"os": "linux"}
    cache.flush()
    assert list(tmp_path.iterdir()) == []


def test_an_entry_older_than_the_timeout_is_ignored(tmp_path) -> None:
    cache = PluginManager().cache_class("jsonfile")(connection=str(tmp_path), timeout=60)
    cache.set("web1", {"os": "linux"})
    old = time.time() - 120
    os.utime(tmp_path / "web1", (old, old))
    assert cache.get("web1") is None


def test_it_needs_a_directory() -> None:
    with pytest.raises(CorralError, match="fact_caching_connection"):
        PluginManager().cache_class("jsonfile")(connection=None)


def test_facts_cached_by_one_run_are_seen_by_the_next(corral_run, tmp_path) -> None:
    config = Config(overrides={"fact_caching": "jsonfile", "fact_caching_connection": str(tmp_path / "facts")})
    corral_run.task({"set_fact": {"colour": "blue", "cacheable": True}}, config=config)
    later = corral_run.task({"debug": {"msg": "{{ colour }}"}}, config=config)
    assert corral_run.outcome(later, "localhost").result["msg"] == "blue"
    assert json.loads((tmp_path / "facts" / "localhost").read_text())["colour"] == "blue"
