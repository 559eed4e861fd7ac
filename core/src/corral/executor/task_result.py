"""Ansible's import path for task results, kept for scripts and callbacks written
against Ansible's API (``from ansible.executor.task_result import TaskResult``).
The definitions live in :mod:`corral.results`; new code imports them from there."""
from corral.results import CENSORED, CLEAN_EXCEPTIONS, TaskResult, censor_result

__all__ = ["TaskResult", "CLEAN_EXCEPTIONS", "CENSORED", "censor_result"]
