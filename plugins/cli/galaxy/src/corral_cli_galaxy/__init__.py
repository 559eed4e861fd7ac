"""corral-galaxy: installs the Ansible content people already use, as ansible-galaxy does.

- :mod:`.cli`: the ``corral-galaxy`` command line (ansible-galaxy's interface and output);
- :mod:`.collection_commands` / :mod:`.role_commands`: install, list, build, remove;
- :mod:`.requirements`: command-line arguments and ``requirements.yml`` entries;
- :mod:`.candidates` and :mod:`.resolver`: the versions that could be installed, and one
  version per collection that satisfies every requirement and dependency;
- :mod:`.artifact`: ``galaxy.yml``, ``MANIFEST.json``/``FILES.json``, tarballs, atomic installs;
- :mod:`.galaxy_api` and :mod:`.servers`: the Galaxy v3 API client and which servers to ask;
- :mod:`.versions`: versions and version constraints.
"""
