"""``corral-config validate``: the configuration entries no declared setting reads.

As ``ansible-config validate``: with ``--format ini`` (the default) every section and
key of the configuration file in use is checked against the settings declared by the
kernel and the installed plugins (narrowed by ``--type``); with ``--format env`` every
``ANSIBLE_*``/``CORRAL_*`` environment variable is.  Each entry nothing reads is an
error line on standard error (in ansible-core's words) and the exit status is 1;
otherwise ``All configurations seem valid!`` is printed and the status is 0.

One deliberate difference: ``-c FILE`` validates that file (ansible-core 2.21 reads
it too late and validates nothing).
"""
from __future__ import annotations

import configparser
import os
from typing import Iterable, Mapping

from corral.plugins.options import Option

__all__ = ["unknown_ini_entries", "unknown_environment_variables", "VALID"]

#: what a configuration without unknown entries prints
VALID = "All configurations seem valid!"

#: variables that choose the configuration itself rather than a setting
_META_VARIABLES = frozenset({"ANSIBLE_CONFIG", "CORRAL_CONFIG"})


def unknown_ini_entries(path: str, options: Iterable[Option]) -> list[str]:
    """The error messages for the sections and keys of the configuration file
    ``path`` that none of ``options`` reads (in the file's order)."""
    known: dict[str, set[str]] = {}
    for option in options:
        for section, key in option.ini:
            known.setdefault(section, set()).add(key)
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(path, encoding="utf-8")
    messages = []
    for section in parser.sections():
        if section not in known:
            messages.append(f"Found unknown section '{section}' in '{os.path.abspath(path)}.")
            continue
        messages += [f"Found unknown key '{key}' in section '{section}' in '{os.path.abspath(path)}."
                     for key in parser.options(section) if key not in known[section]]
    return messages


def unknown_environment_variables(env: Mapping[str, str], options: Iterable[Option]) -> list[str]:
    """The error messages for the ``ANSIBLE_*`` and ``CORRAL_*`` variables of ``env``
    that none of ``options`` reads (each option's ``ANSIBLE_`` names are read in their
    ``CORRAL_`` form too)."""
    known = set(_META_VARIABLES)
    for option in options:
        for name in option.env:
            known.add(name)
            if name.startswith("ANSIBLE_"):
                known.add("CORRAL_" + name[len("ANSIBLE_"):])
    return [f"Found unknown environment variable '{name}'." for name in sorted(env)
            if name.startswith(("ANSIBLE_", "CORRAL_")) and name not in known]
