"""``ansible.inventory``: the inventory objects plugins receive (corral's)."""
