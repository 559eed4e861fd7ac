"""``ansible.parsing``: reading data files, YAML and key=value text."""
