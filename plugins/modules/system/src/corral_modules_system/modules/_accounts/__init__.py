"""``corral_accounts`` in the payloads of user and group: their shared code (``local``)."""
