"""``ansible.playbook``: the playbook objects plugins see (corral's)."""
