"""``ansible.module_utils.facts``: the helpers fact-gathering modules build on."""
