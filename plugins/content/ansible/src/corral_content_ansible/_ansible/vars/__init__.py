"""``ansible.vars``: variables of a run (corral's objects)."""
