"""Record ``ansible-inventory`` outputs for the differential cases.

Run ``scripts/oracle-venv`` first, then ``.venv/bin/python tests/inventory/record_expected.py``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import CASES, EXPECTED, ORACLE, clean_env, command, parse, suffix  # noqa: E402


def main() -> int:
    if not os.path.exists(ORACLE):
        print(f"{ORACLE} is missing: run scripts/oracle-venv first", file=sys.stderr)
        return 1
    os.makedirs(EXPECTED, exist_ok=True)
    with tempfile.TemporaryDirectory() as cwd:
        for name, sources, args in CASES:
            proc = subprocess.run(command(ORACLE, sources, args), cwd=cwd, env=clean_env(),
                                  capture_output=True, text=True, timeout=120, check=True)
            kind = suffix(args)
            with open(os.path.join(EXPECTED, name + kind), "w", encoding="utf-8") as handle:
                if kind == ".json":
                    json.dump(parse(proc.stdout, args), handle, indent=2, sort_keys=True)
                    handle.write("\n")
                else:
                    handle.write(proc.stdout)
            print(f"recorded {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
