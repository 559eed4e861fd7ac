"""``ansible.module_utils.facts.collector``: the base of fact collectors."""
from __future__ import annotations

# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["BaseFactCollector", "CollectorNotFoundError", "CycleFoundInFactDeps", "UnresolvedFactDep"]


class CollectorNotFoundError(KeyError):
    """A gather_subset names no known collector."""


class CycleFoundInFactDeps(Exception):
    """Collectors that require each other."""


class UnresolvedFactDep(ValueError):
    """A collector requires facts no collector gives."""


class BaseFactCollector:
    """A collector of one group of facts: ``collect(module, collected_facts)`` returns
    them; ``collect_with_namespace`` prefixes their names with ``namespace``'s."""

    _fact_ids: set[str] = set()
    _platform = "Generic"
    name: str | None = None
    required_facts: set[str] = set()

    def __init__(self, collectors: list | None = None, namespace: Any = None) -> None:
        self.collectors = collectors or []
        self.namespace = namespace
        self.fact_ids = {self.name} | set(self._fact_ids) if self.name else set(self._fact_ids)

    @classmethod
    def platform_match(cls, platform_info: dict) -> type | None:
        if platform_info.get("system") == cls._platform or cls._platform == "Generic":
            return cls
        return None

    def _transform_name(self, key_name: str) -> str:
        return self.namespace.transform(key_name) if self.namespace else key_name

    def _transform_dict_keys(self, fact_dict: dict) -> dict:
        return {self._transform_name(key): value for key, value in fact_dict.items()}

    def collect_with_namespace(self, module: Any = None, collected_facts: dict | None = None) -> dict:
        return self._transform_dict_keys(self.collect(module=module, collected_facts=collected_facts))

    def collect(self, module: Any = None, collected_facts: dict | None = None) -> dict:
        return {}
