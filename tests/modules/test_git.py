"""git against a local repository the test creates."""
from __future__ import annotations

import subprocess

import pytest

from .conftest import run_module


def git(cwd, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": "/usr/bin:/bin", "HOME": str(cwd)}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def origin(tmp_path):
    repo = tmp_path / "origin"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "app.txt").write_text("v1\n")
    git(repo, "add", "app.txt")
    git(repo, "commit", "-q", "-m", "one")
    git(repo, "tag", "v1")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "app.txt").write_text("feature\n")
    git(repo, "commit", "-q", "-am", "feature")
    git(repo, "checkout", "-q", "main")
    return repo


def test_clone_update_versions_and_local_changes(origin, tmp_path):
    dest = tmp_path / "checkout"
    args = {"repo": str(origin), "dest": str(dest)}
    first_sha = git(origin, "rev-parse", "HEAD")
    checked = run_module("git", args, check=True)
    assert checked["changed"] is True and checked["after"] == first_sha and not dest.exists()
    cloned = run_module("git", args)
    assert cloned["changed"] is True and cloned["before"] is None and cloned["after"] == first_sha
    assert (dest / "app.txt").read_text() == "v1\n"
    assert run_module("git", args)["changed"] is False

    (origin / "app.txt").write_text("v2\n")
    git(origin, "commit", "-q", "-am", "two")
    second_sha = git(origin, "rev-parse", "HEAD")
    in_check = run_module("git", args, check=True)
    assert in_check["changed"] is True and in_check["after"] == second_sha
    updated = run_module("git", args)
    assert updated["changed"] is True and updated["before"] == first_sha and updated["after"] == second_sha
    assert (dest / "app.txt").read_text() == "v2\n"

    tag = run_module("git", {**args, "version": "v1"})
    assert tag["after"] == first_sha and (dest / "app.txt").read_text() == "v1\n"
    branch = run_module("git", {**args, "version": "feature"})
    assert (dest / "app.txt").read_text() == "feature\n" and branch["changed"] is True
    assert run_module("git", {**args, "version": "feature"})["changed"] is False

    (dest / "app.txt").write_text("local edit\n")
    refused = run_module("git", {**args, "version": "main"})
    assert refused["failed"] is True and refused["msg"].startswith("Local modifications exist")
    forced = run_module("git", {**args, "version": "main", "force": True})
    assert forced["changed"] is True and (dest / "app.txt").read_text() == "v2\n"
    missing = run_module("git", {**args, "version": "no-such-version"})
    assert missing["failed"] is True and "no-such-version" in missing["msg"]
