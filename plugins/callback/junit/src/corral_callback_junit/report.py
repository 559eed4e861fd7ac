"""The JUnit XML document: test cases grouped in one test suite per playbook.

The shape is the one CI systems read (Jenkins, GitLab, GitHub actions' reporters):
``<testsuites>`` with totals, one ``<testsuite>``, and a ``<testcase classname name
time>`` holding ``<system-out>`` (passed), ``<failure>``, ``<error>`` or
``<skipped>``.  Written atomically (a temp file renamed into place).
"""
from __future__ import annotations

import dataclasses
import os
import tempfile
import xml.etree.ElementTree as ET

__all__ = ["TestCase", "write_report"]


@dataclasses.dataclass
class TestCase:
    """One task on one host: ``outcome`` is ``passed``, ``failure``, ``error`` or
    ``skipped``; ``message`` the failure's one line, ``text`` the element's body."""

    classname: str
    name: str
    seconds: float
    outcome: str
    text: str = ""
    message: str = ""


def _number(value: float) -> str:
    return repr(float(value))


def _suite_counts(cases: list[TestCase]) -> dict[str, str]:
    return {"disabled": "0", "errors": str(sum(c.outcome == "error" for c in cases)),
            "failures": str(sum(c.outcome == "failure" for c in cases))}


def build(name: str, cases: list[TestCase]) -> ET.Element:
    """The ``<testsuites>`` element for one suite named ``name``."""
    total = sum(case.seconds for case in cases)
    root = ET.Element("testsuites", {**_suite_counts(cases), "tests": str(len(cases)), "time": _number(total)})
    suite = ET.SubElement(root, "testsuite", {**_suite_counts(cases), "name": name,
                                              "skipped": str(sum(c.outcome == "skipped" for c in cases)),
                                              "tests": str(len(cases)), "time": _number(total)})
    for case in cases:
        element = ET.SubElement(suite, "testcase", {"classname": case.classname, "name": case.name,
                                                   "time": _number(case.seconds)})
        if case.outcome == "passed":
            if case.text:
                ET.SubElement(element, "system-out").text = case.text
        elif case.outcome == "skipped":
            ET.SubElement(element, "skipped").text = case.text
        else:
            ET.SubElement(element, case.outcome, {"message": case.message, "type": case.outcome}).text = case.text
    return root


def write_report(directory: str, file_stem: str, suite_name: str, cases: list[TestCase]) -> str:
    """Write the report to ``<directory>/<file_stem>.xml`` (made atomically; the
    directory is created); return its path."""
    os.makedirs(directory, exist_ok=True)
    tree = ET.ElementTree(build(suite_name, cases))
    ET.indent(tree, space="\t")
    path = os.path.join(directory, f"{file_stem}.xml")
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".junit-", suffix=".xml")
    try:
        with os.fdopen(fd, "wb") as handle:
            tree.write(handle, encoding="utf-8", xml_declaration=True)
            handle.write(b"\n")
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
    return path
