"""corral's implementation of the ``ansible`` package's API, for content written for Ansible.

Loaded as ``ansible`` by :mod:`corral_content_ansible.importer` on the controller,
and shipped (its ``module_utils``) in module payloads to targets.  Never ansible-core.
"""
__version__ = "2.21.0"
