"""corral's Ansible-content layer: runs the Ansible content people already have.

- :mod:`.settings`: the options this layer reads (``collections_path``, ``library``,
  ``filter_plugins``, ...), declared like any plugin's, from corral.cfg/ansible.cfg
  and ``CORRAL_*``/``ANSIBLE_*``.
- :mod:`.paths`: where collections and plugin folders are, for one run.
- :mod:`.importer`: makes ``ansible.*`` (corral's own implementation of Ansible's
  API, the ``_ansible`` tree) and ``ansible_collections.*`` (the run's collections)
  importable on the controller, never ansible-core's.
- :mod:`.resolver`: the ``corral_resolve_content`` hook: fully qualified names,
  ``collections:`` search, ``meta/runtime.yml`` routing, plugin folders.
- ``_ansible``: the ``ansible`` package as modules and plugins written for Ansible
  import it; its ``module_utils`` also travel to targets in module payloads.
"""
