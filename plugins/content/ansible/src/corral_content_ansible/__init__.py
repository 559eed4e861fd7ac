"""corral's Ansible-content layer: runs the Ansible content people already have.

Finding content (the ``corral_resolve_content`` and ``corral_content_names`` hooks,
:mod:`.resolver`):

- :mod:`.settings`: the options this layer reads (``collections_path``, ``library``,
  ``filter_plugins``, ...), declared like any plugin's.
- :mod:`.paths`: collection roots in Ansible's order; :mod:`.folders`: the plugin
  folders beside playbooks and roles and the configured ones.
- :mod:`.collections`: an installed collection and the run's index of them;
  :mod:`.routing`: ``meta/runtime.yml`` redirects, tombstones, deprecations, and
  ansible-core's builtin routing table (``builtin_routing.json``, observed with
  ``scripts/builtin-routing``); :mod:`.plugin_filters`: ``plugin_filters_cfg``.
- :mod:`.modules`: the ``ModuleSpec`` of a module written for Ansible (its style, the
  ``module_utils`` its payload may carry).

Running what was found:

- :mod:`.importer`: ``ansible.*`` from the ``_ansible`` tree (corral's own
  implementation of Ansible's API) and ``ansible_collections.*`` from the run's
  collections, never ansible-core.
- :mod:`.adapters`: controller plugins written for Ansible (filters, tests, lookups,
  callbacks, actions, inventory, vars, cache) as corral's plugin objects;
  :mod:`.remote_adapters`: connection and become plugins, also in executor workers;
  :mod:`.doc_fragments`: Ansible's documentation fragments as corral options;
  :mod:`.run_state`: the run's display and configuration for plugins' ``Display()``.
- ``_ansible``: the ``ansible`` package as modules and plugins import it; its
  ``module_utils`` travel to targets in module payloads.
"""
