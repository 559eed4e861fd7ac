"""The runtime library for module authors, shipped to the target inside every payload.

Modules import :mod:`corral.module_utils.basic` (``AnsibleModule``); the payload
also makes it importable as ``ansible.module_utils.basic`` so that simple modules
written for Ansible run unchanged.  Everything here must run on the target's
``python3`` with the standard library only.
"""
