"""``import ansible`` outside corral's runs, where no ansible-core is installed.

A module written for Ansible may be run by hand with the Python corral is installed
in (``python library/mymodule.py args.json``); it imports ``ansible.module_utils``.
The ``corral-content-ansible.pth`` file this distribution installs appends a finder
at the *end* of ``sys.meta_path`` at interpreter start-up, so it is asked only after
every other finder failed: an ansible-core installed beside corral still wins for a
plain ``import ansible``, and only when there is none does ``ansible`` come from
corral's ``_ansible`` tree (its submodules then load from that tree through the
ordinary path finder, as for any package).

Start-up costs nothing measurable: the ``.pth`` line defines that finder in place
(no import, no search along ``sys.path``) and it imports this module only when a
``import ansible`` found nothing else.  Inside a run,
:mod:`corral_content_ansible.importer` puts its own finder first and serves
``ansible`` whatever is installed.
"""
from __future__ import annotations

import os
from importlib.machinery import ModuleSpec
from importlib.util import spec_from_file_location

__all__ = ["ansible_spec"]

_SHIM_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_ansible")


def ansible_spec() -> ModuleSpec | None:
    """The spec of the top-level ``ansible`` package in corral's ``_ansible`` tree."""
    return spec_from_file_location("ansible", os.path.join(_SHIM_DIR, "__init__.py"),
                                   submodule_search_locations=[_SHIM_DIR])
