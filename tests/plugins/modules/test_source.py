"""corral-modules-source: the git module, against a real local repository."""
from __future__ import annotations

import subprocess


def _git(*args: str, cwd) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                               "PATH": "/usr/bin:/bin", "HOME": str(cwd)}).stdout.strip()


def test_git_clones_then_updates_to_the_new_commit(corral_run, tmp_path) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    _git("init", "-q", "-b", "main", cwd=origin)
    (origin / "README").write_text("one\n")
    _git("add", "README", cwd=origin)
    _git("commit", "-q", "-m", "one", cwd=origin)
    task = {"git": {"repo": str(origin), "dest": str(tmp_path / "checkout"), "version": "main"}}
    first = corral_run.outcome(corral_run.task(task), "localhost").result
    assert first["changed"] and first["after"] == _git("rev-parse", "HEAD", cwd=origin)
    assert (tmp_path / "checkout" / "README").read_text() == "one\n"
    (origin / "README").write_text("two\n")
    _git("commit", "-q", "-am", "two", cwd=origin)
    second = corral_run.outcome(corral_run.task(task), "localhost").result
    assert second["changed"] and second["before"] == first["after"]
    assert (tmp_path / "checkout" / "README").read_text() == "two\n"
