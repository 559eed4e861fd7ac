"""``ansible.module_utils.ansible_release``: the Ansible version corral behaves as."""
from __future__ import annotations

__version__ = "2.21.0"
__author__ = "corral"
__codename__ = "corral"
