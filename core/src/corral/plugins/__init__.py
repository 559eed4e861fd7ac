"""Base classes and contracts for plugin authors.

``from corral.plugins import hookimpl`` marks hook implementations; the base classes
live in the modules of this package (``callback``, ``connection``, ``become``,
``vars``, ``action``, ``lookup``, ``inventory``, ``module``, ``strategy``,
``executor``, ``cache``); ``options`` is how every kind declares its settings.
"""
from corral.hookspecs import hookimpl

__all__ = ["hookimpl"]
