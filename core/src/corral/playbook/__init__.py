"""Playbook objects: plays, blocks, tasks, handlers and roles (the seed API's
``corral.playbook.play.Play``), loaded from YAML with positions for errors."""
from corral.playbook.playbook import Playbook

__all__ = ["Playbook"]
