"""corral's timing callbacks: ``profile_tasks``, ``profile_roles`` and ``timer``.

Each is enabled by name (``callbacks_enabled = profile_tasks``) and prints what the
callbacks of the same names in the ``ansible.posix`` collection print; when that
collection is installed, Ansible's name routing gives the collection's own plugin
instead (as under ansible-core).
"""
