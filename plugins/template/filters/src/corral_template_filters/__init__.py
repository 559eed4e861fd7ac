"""corral's standard Jinja2 filters (``corral-template-filters``).

The filters Ansible adds to Jinja2 for playbooks, contributed to the templar
through the ``corral_template_filters`` hook (see :mod:`corral_template_filters.plugin`).
Jinja2's own filters (``map``, ``select``, ``selectattr``, ``default``, ``join``,
``sum``, ``min``, ``max``, ``sort``, ``dictsort``, ``length``, ``first``,
``last``, ``int``, ``float``, ``string``, ...) are not redefined: Ansible uses
them as they are.
"""
