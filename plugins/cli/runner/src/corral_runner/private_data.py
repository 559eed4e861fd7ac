"""Reading an ansible-runner private data directory.

::

    project/            the playbooks (the working directory of a playbook run)
    inventory/          the inventory (a file or a directory of sources)
    env/extravars       extra variables (YAML or JSON mapping), passed as ``-e @file``
    env/passwords       ``{regex: answer}``: answers to prompts the run prints
    env/envvars         environment variables for the run
    env/settings        runner settings (``idle_timeout``, ``job_timeout``, ``pexpect_timeout``,
                        ``suppress_ansible_output``, ``suppress_output_file``, ``fact_cache``,
                        ``fact_cache_type``)
    env/cmdline         more command line options for ``corral-playbook``/``corral``
    env/ssh_key         a private key, loaded into an ``ssh-agent`` for the run
    args                a whole command line that replaces the generated one
    artifacts/<ident>/  what a run leaves (written by :mod:`corral_runner.runner`)
"""
from __future__ import annotations

import json
import os
from typing import Any, Mapping

import yaml

__all__ = ["PrivateDataError", "load_mapping", "load_text", "write_env_file"]


class PrivateDataError(ValueError):
    """A private data directory file that cannot be read as what it must hold."""


def _path(private_data_dir: str, name: str) -> str:
    return os.path.join(private_data_dir, name)


def load_text(private_data_dir: str, name: str) -> str | None:
    """The text of ``name`` (e.g. ``env/cmdline``) under ``private_data_dir``, or None."""
    path = _path(private_data_dir, name)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def load_mapping(private_data_dir: str, name: str) -> dict[str, Any] | None:
    """``name`` read as a JSON or YAML mapping, or None when the file is absent or empty."""
    text = load_text(private_data_dir, name)
    if text is None or not text.strip():
        return None
    try:
        value = json.loads(text)
    except ValueError:
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise PrivateDataError(f"{name}: neither JSON nor YAML: {exc}") from exc
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise PrivateDataError(f"{name}: a mapping is required, got {type(value).__name__}")
    return dict(value)


def write_env_file(private_data_dir: str, name: str, value: Any) -> str:
    """Write ``env/<name>`` (JSON for a mapping, text otherwise), mode 0600; its path."""
    directory = _path(private_data_dir, "env")
    os.makedirs(directory, mode=0o700, exist_ok=True)
    path = os.path.join(directory, name)
    text = json.dumps(value) if isinstance(value, Mapping) else str(value)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path
