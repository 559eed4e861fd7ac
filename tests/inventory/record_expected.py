"""Record ``ansible-inventory`` outputs for the differential cases.

Run ``scripts/oracle-venv`` first, then ``.venv/bin/python tests/inventory/record_expected.py``.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import CASES, EXPECTED, ORACLE, run  # noqa: E402


def main() -> int:
    if not os.path.exists(ORACLE):
        print(f"{ORACLE} is missing: run scripts/oracle-venv first", file=sys.stderr)
        return 1
    os.makedirs(EXPECTED, exist_ok=True)
    with tempfile.TemporaryDirectory() as cwd:
        for name, sources, args in CASES:
            data = run(ORACLE, sources, args, cwd)
            with open(os.path.join(EXPECTED, f"{name}.json"), "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2, sort_keys=True)
                handle.write("\n")
            print(f"recorded {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
