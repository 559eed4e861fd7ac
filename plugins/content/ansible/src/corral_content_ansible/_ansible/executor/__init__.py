"""``ansible.executor``: what plugins use of the executor."""
