"""``ansible.parsing.dataloader``: the run's data file loader (corral's)."""
from __future__ import annotations

from corral.parsing.dataloader import DataLoader

__all__ = ["DataLoader"]
