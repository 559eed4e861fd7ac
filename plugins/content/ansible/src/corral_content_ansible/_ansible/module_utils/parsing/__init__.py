"""``ansible.module_utils.parsing``: parsing helpers."""
