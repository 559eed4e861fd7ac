"""Record ansible-core's results for the expressions of cases.txt.

Run with the oracle's Python (``scripts/oracle-venv`` makes ``.oracle/``):
``.oracle/bin/python tests/template/oracle/record.py``.  Writes expected.json
beside this file; the test suite compares corral against it without needing
ansible.  Each case is one template per line of cases.txt (``#`` comments),
rendered with the variables of vars.json.
"""
import datetime
import json
import os
import sys

from ansible.parsing.dataloader import DataLoader
from ansible.release import __version__ as ansible_version
from ansible.template import Templar, trust_as_template

HERE = os.path.dirname(os.path.abspath(__file__))


def plain(value):
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return str(value)
    return repr(value)


def main():
    with open(os.path.join(HERE, "vars.json")) as handle:
        variables = json.load(handle)
    with open(os.path.join(HERE, "cases.txt")) as handle:
        cases = [line.rstrip("\n") for line in handle if line.strip() and not line.startswith("#")]
    loader = DataLoader()
    loader.set_basedir(HERE)
    templar = Templar(loader=loader, variables=variables)
    results = []
    for case in cases:
        try:
            value = templar.template(trust_as_template(case))
            results.append({"template": case, "value": plain(value), "type": type(plain(value)).__name__})
        except Exception as exc:  # noqa: BLE001 - record every failure
            undefined = type(exc).__name__ == "AnsibleUndefinedVariable"
            results.append({"template": case, "error": "undefined" if undefined else "error",
                            "message": str(exc).splitlines()[0]})
    with open(os.path.join(HERE, "expected.json"), "w") as handle:
        json.dump({"ansible_core": ansible_version, "python": sys.version.split()[0], "cases": results}, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
