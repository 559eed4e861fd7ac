"""``corral_dnf`` in the payloads of dnf and dnf5: their shared code (``cli``)."""
