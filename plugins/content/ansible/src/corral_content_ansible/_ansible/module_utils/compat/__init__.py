"""``ansible.module_utils.compat``: stand-ins for libraries modules used to take from elsewhere."""
