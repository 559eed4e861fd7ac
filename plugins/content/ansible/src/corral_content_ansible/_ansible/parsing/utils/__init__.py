"""``ansible.parsing.utils``: helpers for parsing."""
