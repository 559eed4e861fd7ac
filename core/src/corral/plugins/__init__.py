"""Base classes and contracts for plugin authors.

``from corral.plugins import hookimpl`` marks hook implementations; the base classes
live in the modules of this package (``callback``, ``connection``, ``action``,
``lookup``, ``inventory``, ``module``, ``strategy``, ``executor``).
"""
from corral.hookspecs import hookimpl

__all__ = ["hookimpl"]
