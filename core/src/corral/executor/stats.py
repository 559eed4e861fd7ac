"""Ansible's import path for the run statistics, kept for scripts and callbacks
written against Ansible's API (``from ansible.executor.stats import AggregateStats``).
The definition lives in :mod:`corral.stats`; new code imports it from there."""
from corral.stats import AggregateStats

__all__ = ["AggregateStats"]
