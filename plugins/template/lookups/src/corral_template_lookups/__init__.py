"""corral's standard lookup plugins (``corral-template-lookups``).

``lookup(name, ...)``, ``query(name, ...)`` and ``with_<name>`` use them; they are
contributed through the ``corral_template_lookups`` hook (see
:mod:`corral_template_lookups.plugin`).  Each is a
:class:`corral.plugins.lookup.LookupBase` subclass whose ``run(terms,
variables, **kwargs)`` returns a list.
"""
