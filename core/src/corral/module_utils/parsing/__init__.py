"""Ansible-compatible import path ``ansible.module_utils.parsing``."""
