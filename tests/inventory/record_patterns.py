"""Record Ansible's host lists for the pattern cases into expected/patterns.json."""
from __future__ import annotations

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import EXPECTED  # noqa: E402
from pattern_cases import ANSIBLE, PATTERNS, ansible_hosts  # noqa: E402


def main() -> int:
    if not os.path.exists(ANSIBLE):
        print(f"{ANSIBLE} is missing: run scripts/oracle-venv first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as cwd:
        recorded = [{"pattern": p, "limit": limit, "hosts": ansible_hosts(p, limit, cwd)} for p, limit in PATTERNS]
    with open(os.path.join(EXPECTED, "patterns.json"), "w", encoding="utf-8") as handle:
        json.dump(recorded, handle, indent=2)
        handle.write("\n")
    print(f"recorded {len(recorded)} patterns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
