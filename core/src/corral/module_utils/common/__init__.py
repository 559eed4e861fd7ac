"""Ansible-compatible import paths (``ansible.module_utils.common.*``)."""
