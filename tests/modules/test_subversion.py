"""subversion against a stand-in ``svn`` (a shell script that records its arguments and keeps a working
copy's URL and revision in its ``.svn`` folder): checkout, update, switch, local modifications, export,
check mode and a second run that changes nothing."""
from __future__ import annotations

import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
REPO = "https://svn.example.org/repo/trunk"


def test_checkout_update_switch_and_export(tmp_path, playbook) -> None:
    svn = tmp_path / "svn"
    shutil.copy(DATA / "fake_svn.sh", svn)
    svn.chmod(0o755)
    log, wc = tmp_path / "log", tmp_path / "wc"
    env = f"  environment: {{FAKE_LOG: '{log}', FAKE_SVN_HEAD: '7'}}\n"
    common = f"executable: '{svn}', dest: '{wc}'"
    tasks = [
        f"subversion: {{repo: '{REPO}', {common}}}\n  check_mode: true",
        f"subversion: {{repo: '{REPO}', {common}, revision: '5'}}",
        f"subversion: {{repo: '{REPO}', {common}, revision: '5'}}",
        f"subversion: {{repo: '{REPO}', {common}}}",
        f"subversion: {{repo: '{REPO}', {common}, username: alice, password: secret}}",
        f"subversion: {{repo: 'https://svn.example.org/repo/branches/b', {common}}}",
        f"subversion: {{repo: '{REPO}', executable: '{svn}', dest: '{tmp_path / 'exported'}', export: true}}",
        f"subversion: {{repo: '{REPO}', executable: '{svn}', dest: '{tmp_path}'}}\n  ignore_errors: true",
    ]
    run = playbook("\n".join(f"- {task}\n{env}" for task in tasks))
    results = run["tasks"]
    assert [task.get("changed") for task in results[:7]] == [True, True, False, True, False, True, True]
    assert results[1]["after"] == ["Revision: 5", f"URL: {REPO}"] and results[1]["before"] is None
    assert results[3]["before"] == ["Revision: 5", f"URL: {REPO}"] and results[3]["after"][0] == "Revision: 7"
    assert results[5]["after"] == ["Revision: 7", "URL: https://svn.example.org/repo/branches/b"]
    assert results[7]["msg"] == f"ERROR: {tmp_path} folder already exists, but its not a subversion repository."
    assert (tmp_path / "exported" / "exported").read_text().strip() == REPO
    commands = log.read_text().splitlines()
    assert any(line.startswith("svn --non-interactive --no-auth-cache") and " checkout -r 5 " in line for line in commands)
    assert any("--username alice --password-from-stdin" in line for line in commands)
    assert all("secret" not in line for line in commands)


def test_local_modifications_are_refused_unless_forced(tmp_path, playbook) -> None:
    svn = tmp_path / "svn"
    shutil.copy(DATA / "fake_svn.sh", svn)
    svn.chmod(0o755)
    wc = tmp_path / "wc"
    (wc / ".svn").mkdir(parents=True)
    (wc / ".svn" / "url").write_text(REPO + "\n")
    (wc / ".svn" / "rev").write_text("7\n")
    (wc / ".svn" / "modified").write_text("M       file.txt\n")
    env = f"  environment: {{FAKE_LOG: '{tmp_path / 'log'}', FAKE_SVN_HEAD: '7'}}\n"
    common = f"repo: '{REPO}', executable: '{svn}', dest: '{wc}'"
    run = playbook(f"- subversion: {{{common}}}\n{env}  ignore_errors: true\n"
                   f"- subversion: {{{common}, force: true}}\n{env}- subversion: {{{common}}}\n{env}")
    refused, forced, again = run["tasks"]
    assert refused["msg"] == "ERROR: modified files exist in the repository."
    assert forced["changed"] is True and not (wc / ".svn" / "modified").exists()
    assert again["changed"] is False
