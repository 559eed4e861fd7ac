"""corral-cache-memory: facts last as long as the run (the default fact cache)."""
from __future__ import annotations

from corral.config import Config
from corral.plugins.manager import PluginManager


def test_it_keeps_and_forgets_facts_per_host() -> None:
    cache = PluginManager().cache_class("memory")()
    cache.set("web1", {"os": "linux"})
    cache.set("web2", {"os": "bsd"})
    assert cache.get("web1") == {"os": "linux"} and sorted(cache.keys()) == ["web1", "web2"]
    cache.delete("web1")
    assert cache.get("web1") is None
    cache.flush()
    assert cache.keys() == []


def test_cached_facts_are_seen_by_later_plays_but_not_by_the_next_run(corral_run) -> None:
    config = Config(overrides={"fact_caching": "memory"})
    first = corral_run.playbook([
        {"hosts": "localhost", "gather_facts": False,
         "tasks": [{"set_fact": {"colour": "blue", "cacheable": True}}]},
        {"hosts": "localhost", "gather_facts": False, "tasks": [{"debug": {"msg": "{{ colour }}"}}]},
    ], config=config)
    assert corral_run.outcome(first, "localhost").result["msg"] == "blue"
    second = corral_run.task({"debug": {"msg": "{{ colour | default('gone') }}"}}, config=config)
    assert corral_run.outcome(second, "localhost").result["msg"] == "gone"
