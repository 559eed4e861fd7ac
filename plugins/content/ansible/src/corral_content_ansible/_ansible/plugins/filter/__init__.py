"""``ansible.plugins.filter``: the package filter plugin files beside playbooks are loaded under."""
