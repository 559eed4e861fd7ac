"""The seed's two example scripts run as written (import root ``corral``)."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from .conftest import REPO, run


def test_the_playbook_api_example_prints_each_ok_result_as_json(tmp_path: Path) -> None:
    listed = tmp_path / "listed"
    listed.mkdir()
    for name in ("alpha.txt", "beta.txt"):
        (listed / name).write_text(name)
    result = run([sys.executable, str(REPO / "examples" / "seed_playbook_api.py"), str(listed)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    decoder = json.JSONDecoder()
    text, documents = result.stdout.strip(), []
    while text:
        document, end = decoder.raw_decode(text)
        documents.append(document)
        text = text[end:].strip()
    assert len(documents) == 2
    shell, debug = documents[0]["localhost"], documents[1]["localhost"]
    assert shell["stdout"] == "alpha.txt\nbeta.txt"
    assert shell["rc"] == 0 and shell["changed"] is True
    assert debug["msg"] == "alpha.txt\nbeta.txt"
    assert result.stderr == ""


def test_the_runner_example_sorts_hosts_into_up_failed_and_down(tmp_path: Path) -> None:
    inventory = tmp_path / "hosts"
    inventory.write_text(
        f"up ansible_connection=local ansible_python_interpreter={sys.executable}\n"
        f"broken ansible_connection=local ansible_python_interpreter=/nonexistent/python3\n"
        "down ansible_host=127.0.0.1 ansible_port=1 ansible_connection=ssh ansible_user=nobody\n")
    result = run([sys.executable, str(REPO / "examples" / "seed_runner.py"), str(inventory)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sections = re.split(r"^(UP|FAILED|DOWN) \*+$", result.stdout, flags=re.M)
    parsed = dict(zip(sections[1::2], sections[2::2]))
    assert re.search(r"^up >>> .*load average", parsed["UP"], re.M)
    # ansible-core 2.21 words a missing interpreter so (language case 577_error_interpreter_not_found)
    assert parsed["FAILED"].strip() == "broken >>> The module interpreter '/nonexistent/python3' was not found."
    assert parsed["DOWN"].strip().startswith("down >>> ")
    assert "Connection refused" in parsed["DOWN"]


def test_the_runner_returns_none_when_no_host_matches() -> None:
    from corral.runner import Runner
    assert Runner(pattern="nomatch", host_list="localhost,").run() is None


def test_results_and_stats_keep_ansibles_import_paths() -> None:
    from corral.executor.stats import AggregateStats as SeedStats
    from corral.executor.task_result import TaskResult as SeedResult
    from corral.results import TaskResult
    from corral.stats import AggregateStats
    assert SeedResult is TaskResult and SeedStats is AggregateStats
