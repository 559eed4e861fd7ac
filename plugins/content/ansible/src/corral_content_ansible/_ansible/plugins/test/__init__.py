"""``ansible.plugins.test``: the package test plugin files beside playbooks are loaded under."""
