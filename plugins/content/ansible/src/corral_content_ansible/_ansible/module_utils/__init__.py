"""corral's ``ansible.module_utils``: the API modules written for Ansible import.

Every file here runs on the target inside a module payload (only the files a
module imports travel, see :mod:`corral.executor.module_imports`) and on the
controller for plugins that import it, with the standard library only.  Where
corral's own runtime library :mod:`corral.module_utils` already has a piece (one
``AnsibleModule`` class, the text converters, argument checking), these files
re-export it, so a module that mixes ``ansible.module_utils.X`` and
``corral.module_utils.X`` sees the same objects.
"""
