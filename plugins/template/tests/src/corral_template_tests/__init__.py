"""corral's standard Jinja2 tests (``corral-template-tests``).

The tests Ansible adds to Jinja2 (``version``, ``match``, ``succeeded``,
``subset``, ``file``, ...), contributed through the ``corral_template_tests``
hook (see :mod:`corral_template_tests.plugin`).  Jinja2's own tests
(``defined``, ``undefined``, ``none``, ``string``, ``number``, ``sequence``,
``mapping``, ``iterable``, ``boolean``, ``integer``, ``float``, ``in``,
``eq``...) are used as they are.
"""
