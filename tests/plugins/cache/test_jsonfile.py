"""corral-cache-jsonfile: one JSON file per host in ansible-core 2.21's layout
(``<prefix>s1_<host>``, ``{"__payload__": "<the facts as JSON>"}``); facts outlive the run."""
from __future__ import annotations

import hashlib
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
    entry = tmp_path / "acme_s1_web1"
    assert json.loads(json.loads(entry.read_text())["__payload__"]) == {"os": "linux"}
    assert entry.stat().st_mode & 0o777 == 0o644
    assert cache.keys() == ["web1"] and cache.get("web1") == {"os": "linux"}
    cache.flush()
    assert list(tmp_path.iterdir()) == []


def test_a_key_unsafe_as_a_file_name_is_hashed(tmp_path) -> None:
    cache = PluginManager().cache_class("jsonfile")(connection=str(tmp_path), timeout=0)
    cache.set("a/b", {"x": 1})
    assert [p.name for p in tmp_path.iterdir()] == [hashlib.sha256(b"s1_a/b").hexdigest()[:12]]
    assert cache.get("a/b") == {"x": 1}


def test_tagged_values_read_as_their_values(tmp_path) -> None:
    tagged = {"n": {"value": 1, "tags": [{"path": "/p.yml", "line_num": 5, "col_num": 24, "__ansible_type": "Origin"}],
                    "__ansible_type": "_AnsibleTaggedInt"},
              "d": {"value": {"s": {"value": "x", "tags": [], "__ansible_type": "_AnsibleTaggedStr"}},
                    "tags": [], "__ansible_type": "_AnsibleTaggedDict"}}
    (tmp_path / "s1_web1").write_text(json.dumps({"__payload__": json.dumps(tagged)}))
    cache = PluginManager().cache_class("jsonfile")(connection=str(tmp_path), timeout=0)
    assert cache.get("web1") == {"n": 1, "d": {"s": "x"}}


def test_files_of_another_layout_are_not_entries(tmp_path) -> None:
    (tmp_path / "web1").write_text('{"os": "linux"}')
    (tmp_path / "s1_web2").write_text('{"facts": {}}')
    cache = PluginManager().cache_class("jsonfile")(connection=str(tmp_path), timeout=0)
    assert cache.keys() == ["web2"] and cache.get("web1") is None and cache.get("web2") is None


def test_an_entry_older_than_the_timeout_is_ignored(tmp_path) -> None:
    cache = PluginManager().cache_class("jsonfile")(connection=str(tmp_path), timeout=60)
    cache.set("web1", {"os": "linux"})
    old = time.time() - 120
    os.utime(tmp_path / "s1_web1", (old, old))
    assert cache.get("web1") is None


def test_it_needs_a_directory() -> None:
    with pytest.raises(CorralError, match="fact_caching_connection"):
        PluginManager().cache_class("jsonfile")(connection=None)


def test_facts_cached_by_one_run_are_seen_by_the_next(corral_run, tmp_path) -> None:
    config = Config(overrides={"fact_caching": "jsonfile", "fact_caching_connection": str(tmp_path / "facts")})
    corral_run.task({"set_fact": {"colour": "blue", "cacheable": True}}, config=config)
    later = corral_run.task({"debug": {"msg": "{{ colour }}"}}, config=config)
    assert corral_run.outcome(later, "localhost").result["msg"] == "blue"
    wrapper = json.loads((tmp_path / "facts" / "s1_localhost").read_text())
    assert json.loads(wrapper["__payload__"])["colour"] == "blue"


def test_a_file_that_is_not_json_is_removed_and_fails_the_run(tmp_path) -> None:
    (tmp_path / "s1_web1").write_text("not json")
    cache = PluginManager().cache_class("jsonfile")(connection=str(tmp_path), timeout=0)
    with pytest.raises(CorralError, match="was corrupt, or did not otherwise contain valid data. It has been removed"):
        cache.get("web1")
    assert list(tmp_path.iterdir()) == []
