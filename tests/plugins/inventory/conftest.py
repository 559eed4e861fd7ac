"""``load(*sources, enable=None)`` builds an InventoryManager from sources written by the test."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader


@pytest.fixture
def load() -> Callable[..., InventoryManager]:
    def build(*sources: Any, enable: list[str] | None = None) -> InventoryManager:
        return InventoryManager(DataLoader(), sources=[str(source) for source in sources], enable_plugins=enable,
                                any_unparsed_failed=True)
    return build


def names(hosts: Any) -> list[str]:
    return [host.name for host in hosts]
