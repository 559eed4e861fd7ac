"""corral's filters and tests against ansible-core's recorded results.

oracle/record.py rendered each template of oracle/cases.txt with ansible-core
(the version is in oracle/expected.json) and the variables of oracle/vars.json;
here the same templates go through corral's Templar with the template plugins.
Values must be equal (and of the same JSON type); where Ansible failed, corral
must fail too, with the undefined-variable error where Ansible gave one.
"""
from __future__ import annotations

import datetime
import json
import pathlib
from typing import Any

import pytest

from corral.errors import CorralError, CorralUndefinedVariable
from corral.parsing.dataloader import DataLoader
from corral.template import Templar

from .conftest import make_environment

ORACLE = pathlib.Path(__file__).parent / "oracle"
RECORDED = json.loads((ORACLE / "expected.json").read_text())
VARIABLES = json.loads((ORACLE / "vars.json").read_text())


def plain(value: Any) -> Any:
    """The JSON form record.py gives a value."""
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


@pytest.fixture(scope="module")
def oracle_templar(plugins: Any) -> Templar:
    loader = DataLoader()
    loader.set_basedir(str(ORACLE))
    return Templar(loader, VARIABLES, environment=make_environment(plugins))


@pytest.mark.parametrize("case", RECORDED["cases"], ids=[case["template"] for case in RECORDED["cases"]])
def test_same_result_as_ansible(oracle_templar: Templar, case: dict[str, Any]) -> None:
    template = case["template"]
    if "error" in case:
        expected_error = CorralUndefinedVariable if case["error"] == "undefined" else CorralError
        with pytest.raises(expected_error):
            oracle_templar.template(template)
        return
    result = plain(oracle_templar.template(template))
    assert result == case["value"]
    assert type(result).__name__ == case["type"]


def test_recording_covers_the_cases_file() -> None:
    lines = [line.rstrip("\n") for line in (ORACLE / "cases.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert [case["template"] for case in RECORDED["cases"]] == lines
