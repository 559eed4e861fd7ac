"""Ansible-compatible import path ``ansible.module_utils.common.text``."""
