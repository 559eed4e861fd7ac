"""``ansible.module_utils.ansible_release``: the Ansible version corral behaves as (``ansible.release``)."""
from __future__ import annotations

from ansible.release import __author__, __codename__, __version__

__all__ = ["__version__", "__author__", "__codename__"]
