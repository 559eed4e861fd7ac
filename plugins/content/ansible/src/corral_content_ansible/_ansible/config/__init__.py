"""``ansible.config``: the configuration API plugins import (:mod:`.manager`)."""
