"""``ansible.module_utils.common.text``: text conversion and formatting."""
