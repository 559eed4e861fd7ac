"""``ansible.parsing.yaml``: YAML as Ansible loads and dumps it."""
