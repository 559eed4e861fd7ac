"""Blocks: a list of tasks with ``rescue`` and ``always`` sections and shared keywords."""
from __future__ import annotations

from typing import Any

from corral.playbook.base import COMMON_KEYWORDS, Base

__all__ = ["Block", "BLOCK_KEYWORDS"]

BLOCK_KEYWORDS: dict[str, Any] = {
    **COMMON_KEYWORDS, "block": None, "rescue": None, "always": None, "when": None,
    "delegate_to": None, "delegate_facts": None, "notify": None,
}


class Block(Base):
    """``block`` / ``rescue`` / ``always``: lists of tasks and nested blocks.

    Implicit blocks wrap plain task lists (a play's ``tasks``, a role's tasks, an
    included file) so that every task has a block parent.
    """

    KEYWORDS = BLOCK_KEYWORDS
    KIND = "block"

    def __init__(self) -> None:
        super().__init__()
        self.block: list[Any] = []
        self.rescue: list[Any] = []
        self.always: list[Any] = []
        self._role: Any = None
        self.implicit = False

    @classmethod
    def implicit_for(cls, parent: Base | None, role: Any = None, ds: Any = None) -> "Block":
        """An implicit block that holds a plain list of tasks."""
        block = cls()
        block._parent = parent
        block._role = role
        block._ds = ds
        block.implicit = True
        return block

    def get_name(self) -> str:
        return str(self._attrs.get("name") or "")

    def has_tasks(self) -> bool:
        return bool(self.block or self.rescue or self.always)

    def __repr__(self) -> str:
        return f"BLOCK({self.get_name() or 'implicit' if self.implicit else ''})"
