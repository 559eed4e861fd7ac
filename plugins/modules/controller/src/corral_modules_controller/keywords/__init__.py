"""Documentation of the playbook language's task keywords that read like modules (``import_tasks``,
``include_role``, ``meta``, ...): one file each, with ``DOCUMENTATION`` only. The kernel runs these
keywords itself (:data:`corral.plugins.traits.LANGUAGE_TRAITS`); the files exist so that
``corral-doc`` lists and documents them as ``ansible-doc`` does."""
