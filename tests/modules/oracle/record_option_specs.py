"""Record ansible-core's documented options of the ansible.builtin modules corral added last
(``ansible-doc -j``, needs .oracle/) into ``option_specs.json`` (and the names ``ansible-doc -l ansible.builtin`` lists into
``builtin_names.json``), read by
``tests/modules/test_option_parity.py`` (the suite runs without the oracle).

    .venv/bin/python tests/modules/oracle/record_option_specs.py
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ANSIBLE_DOC = HERE.parents[2] / ".oracle" / "bin" / "ansible-doc"

#: the modules and keyword-like actions whose option sets are compared
NAMES = ("systemd_service", "systemd", "apt_key", "apt_repository", "hostname", "expect", "iptables",
         "service_facts", "package_facts", "debconf", "dpkg_selections", "reboot", "mount_facts",
         "deb822_repository", "yum_repository", "rpm_key", "dnf", "dnf5", "subversion",
         "gather_facts", "import_playbook", "import_role", "import_tasks", "include_role", "include_tasks", "meta",
         "git", "pip", "wait_for", "cron", "find")

#: the facets of an option that are compared
FACETS = ("type", "elements", "aliases", "choices", "default", "required")


def normalized(options: dict[str, Any]) -> dict[str, Any]:
    """Each option's compared facets (sorted aliases and choices, the names only of described
    choices, a boolean's default written
    C(yes) as ``True``, absent facets left out)."""
    out: dict[str, Any] = {}
    for name, option in sorted((options or {}).items()):
        option = option or {}
        entry: dict[str, Any] = {}
        for facet in FACETS:
            value = option.get(facet)
            if facet == "type" and value is None:
                value = "str"
            if facet == "required" and not value:
                continue
            if value is None or value == []:
                continue
            if facet == "default" and option.get("type") == "bool" and isinstance(value, str):
                value = value.lower() in ("yes", "true", "on", "1")
            if facet == "choices" and isinstance(value, dict):  # choices with descriptions
                value = list(value)
            if facet in ("aliases", "choices") and isinstance(value, list):
                value = sorted(map(str, value))
            entry[facet] = value
        out[name] = entry
    return out


def main() -> None:
    specs: dict[str, Any] = {}
    for name in NAMES:
        proc = subprocess.run([str(ANSIBLE_DOC), "-j", f"ansible.builtin.{name}"], capture_output=True,
                              text=True, check=True)
        doc = next(iter(json.loads(proc.stdout).values()))["doc"]
        specs[name] = normalized(doc.get("options") or {})
    (HERE / "option_specs.json").write_text(json.dumps(specs, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
