"""Shared helpers for the inventory tests: a manager over real plugins and files."""
from __future__ import annotations

import os
import stat
import textwrap
from typing import Any, Callable

import pytest

from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


@pytest.fixture
def make_inventory() -> Callable[..., InventoryManager]:
    """``make_inventory(*sources, **kwargs)``: an InventoryManager with the installed plugins."""
    def make(*sources: str, **kwargs: Any) -> InventoryManager:
        return InventoryManager(DataLoader(), sources=list(sources), **kwargs)
    return make


@pytest.fixture
def write(tmp_path: Any) -> Callable[..., str]:
    """``write(relative_path, text, executable=False)``: create a file under tmp_path."""
    def write_file(name: str, text: str, executable: bool = False) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        if executable:
            path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return str(path)
    return write_file


def names(hosts: list[Any]) -> list[str]:
    return [h.name for h in hosts]
