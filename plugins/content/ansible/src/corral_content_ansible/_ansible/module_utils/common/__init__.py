"""``ansible.module_utils.common``: helpers shared by modules (collections, text, validation...)."""
