"""The ``records`` callback and ``corral-runs`` on real runs, against a SQLite file and
a real PostgreSQL server (started by the session, see ``postgres_server.py``): what
is recorded matches what ansible-core reports for the same playbook
(``records/expected.json``, from ``records/record.py``), no ``no_log`` value is ever
stored, runs are listed, shown and compared, an interrupted run is marked so, and
two runs record into one new database at once."""
from __future__ import annotations

import concurrent.futures
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from corral_callback_records.store import SCHEMA_VERSION, open_database

from .postgres_server import PostgresServer

HERE = Path(__file__).resolve().parent / "records"
BIN = Path(sys.executable).parent
EXPECTED = json.loads((HERE / "expected.json").read_text())
SECRETS = ("s3cr3t-from-vars-file", "hunter2-cli")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    """The location of a new, empty records database of each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "records" / "runs.db")
    return request.getfixturevalue("postgres").new_database()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(HOME=str(tmp_path / "home"), ANSIBLE_NOCOLOR="1", ANSIBLE_CALLBACKS_ENABLED="records",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, **extra)
    return env


def _command(playbook: str, tmp_path: Path, inventory: str, *args: str) -> list[str]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return [str(BIN / "corral-playbook"), "-i", inventory, playbook, "-e", f"out={out}", "-e", "password=hunter2-cli",
            *args]


def play(db: str | None, tmp_path: Path, *args: str, playbook: str = "site.yml", inventory: str = "inventory",
         **env: str) -> subprocess.CompletedProcess:
    """``corral-playbook`` with the records callback recording into ``db``."""
    if db is not None:
        env["CORRAL_RECORDS_URL"] = db
    return subprocess.run(_command(playbook, tmp_path, inventory, *args), cwd=HERE, env=_env(tmp_path, **env),
                          capture_output=True, text=True, timeout=300)


def runs(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``corral-runs ARGS``."""
    return subprocess.run([str(BIN / "corral-runs"), *args], cwd=HERE, env=_env(tmp_path, **env),
                          capture_output=True, text=True, timeout=120)


def shown(db: str, tmp_path: Path, run: str = "LAST", *args: str) -> dict[str, Any]:
    proc = runs(tmp_path, "show", run, "--json", "--db", db, *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _results(run: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"task": task["name"], "host": result["host"], "status": result["status"],
             "items": [item["status"].replace("changed", "ok") for item in result["items"]], "result": result["result"]}
            for play_ in run["plays"] for task in play_["tasks"] for result in task["results"]]


def test_a_run_is_recorded_as_ansible_core_reports_it(db, tmp_path):
    proc = play(db, tmp_path)
    assert proc.returncode == EXPECTED["rc"], proc.stdout + proc.stderr
    assert "records:" not in proc.stdout + proc.stderr    # no warning
    run = shown(db, tmp_path)
    assert (run["status"], run["rc"]) == ("completed", EXPECTED["rc"])
    got = sorted(_results(run), key=lambda r: (r["task"], r["host"]))
    assert [(r["task"], r["host"], r["status"], r["items"]) for r in got] == \
        [(r["task"], r["host"], r["status"], r["items"]) for r in EXPECTED["results"]]
    for mine, theirs in zip(got, EXPECTED["results"]):
        if theirs["censored"] is not None:     # no_log results are stored exactly as Ansible censors them
            assert mine["result"] == theirs["censored"]
    assert run["hosts"] == EXPECTED["stats"]
    assert run["outcomes"] == {"h1": "changed", "h2": "failed"}
    tasks = {task["name"]: task for play_ in run["plays"] for task in play_["tasks"]}
    assert tasks["greet : hello"]["role"] == "greet" and tasks["greet : hello"]["path"].endswith("greet/tasks/main.yml")
    assert (tasks["say hi"]["action"], tasks["say hi"]["path"], tasks["say hi"]["line"]) == \
        ("debug", str(HERE / "site.yml"), 11)
    assert tasks["written"]["handler"] and not tasks["say hi"]["handler"]
    assert sorted((f["host"], Path(f["path"]).name) for f in run["files"]) == [("h1", "h1.txt"), ("h2", "h2.txt")]
    assert run["playbooks"] == [str(HERE / "site.yml")] and run["inventory"] == [str(HERE / "inventory")]
    assert run["command"][1:] == ["-i", "inventory", "site.yml", "-e", "<not recorded>", "-e", "<not recorded>"]
    assert run["username"] and run["controller"] and run["cwd"] == str(HERE)
    loop = next(r for r in got if r["task"] == "loop" and r["host"] == "h1")
    assert [item["msg"] for item in loop["result"]["results"]] == ["item a", "item b"]
    failure = next(r for r in got if r["status"] == "failed")
    assert failure["result"]["msg"] == "boom on h2"
    durations = [result["duration"] for play_ in run["plays"] for task in play_["tasks"] for result in task["results"]]
    assert all(d >= 0 for d in durations) and run["ended"] >= run["started"]


def test_no_log_values_are_never_stored(db, tmp_path):
    assert play(db, tmp_path).returncode == 2
    if db.startswith("postgresql"):
        import psycopg
        with psycopg.connect(db) as connection:
            tables = [row[0] for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
            stored = "\n".join(str(row[0]) for table in tables
                               for row in connection.execute(f"SELECT CAST(t AS text) FROM {table} t"))
    else:
        files = [path for path in Path(db).parent.iterdir() if path.name.startswith("runs.db")]
        stored = b"".join(path.read_bytes() for path in files).decode("utf-8", "replace")
    assert "hi h1" in stored and "boom on h2" in stored     # what is not secret is there
    for secret in SECRETS:
        assert secret not in stored


def test_runs_are_listed_and_shown(db, tmp_path):
    assert play(db, tmp_path).returncode == 2
    assert play(db, tmp_path, "-e", "flip=true", "--limit", "h1").returncode == 2
    listing = runs(tmp_path, "list", "--db", db)
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["ID", "STARTED", "STATUS", "RC", "HOSTS", "OK/CHANGED/FAILED", "PLAYBOOK"]
    assert [line.split()[0] for line in lines[1:]] == ["2", "1"]
    assert lines[1].split()[3:] == ["completed", "2", "0/0/1", "site.yml"]
    assert lines[2].split()[3:] == ["completed", "2", "0/1/1", "site.yml"]
    failed = runs(tmp_path, "show", "LAST~1", "--failed", "--db", db)
    assert failed.returncode == 0, failed.stderr
    assert "TASK [fail somewhere] fail" in failed.stdout
    results = [line for line in failed.stdout.splitlines() if re.match(r"  \S.*: \[", line)]
    assert len(results) == 1 and results[0].startswith("  fatal: [h2] ")
    assert "boom on h2" in failed.stdout and "say hi" not in failed.stdout
    one_host = shown(db, tmp_path, "1", "--host", "h1")
    assert {result["host"] for play_ in one_host["plays"] for task in play_["tasks"] for result in task["results"]} \
        == {"h1"}
    text = runs(tmp_path, "show", "1", "--db", db).stdout
    assert text.startswith("RUN 1: completed, rc 2\n")
    assert "  ok: [h1]" in text and "      ok: (item=a)  item a" in text and "RUNNING HANDLER [written] debug" in text
    assert "  failed (ignored): [h1]" in text and "FILES CHANGED" in text
    assert "  h2 : ok=6 changed=2 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0" in text


def test_diff_shows_which_hosts_and_tasks_changed_outcome(db, tmp_path):
    assert play(db, tmp_path).returncode == 2
    second = play(db, tmp_path, "-e", "flip=true", inventory="inventory_more")
    run = shown(db, tmp_path)
    assert run["rc"] == second.returncode
    assert run["outcomes"] == {"h1": "failed", "h2": "changed", "h3": "failed"}
    proc = runs(tmp_path, "diff", "LAST~1", "LAST", "--db", db)
    assert proc.returncode == 1, proc.stderr
    where = HERE / "site.yml"
    assert proc.stdout.splitlines() == [
        "RUN 1 -> RUN 2",
        "hosts new in run 2: h3",
        f"TASK [written] ({where}:39): only in run 1",
        f"TASK [write a file] ({where}:14)", "  h1: changed -> ok", "  h2: changed -> ok",
        f"TASK [fail somewhere] ({where}:31)", "  h1: skipped -> failed", "  h2: failed -> skipped",
        f"TASK [ignored] ({where}:35)", "  h1: ignored -> (not run)", "  h2: (not run) -> ignored",
    ]
    as_json = json.loads(runs(tmp_path, "diff", "1", "2", "--json", "--db", db).stdout)
    assert as_json["new_hosts"] == ["h3"] and as_json["gone_hosts"] == [] and as_json["new_tasks"] == []
    assert as_json["changed"][1]["hosts"] == {"h1": ["skipped", "failed"], "h2": ["failed", "skipped"]}
    back = runs(tmp_path, "diff", "2", "1", "--json", "--db", db)
    assert json.loads(back.stdout)["gone_hosts"] == ["h3"]
    same = runs(tmp_path, "diff", "2", "2", "--db", db)
    assert (same.returncode, same.stdout) == (0, "RUN 2 -> RUN 2\nno differences in outcome\n")


def test_an_unreachable_host_is_recorded(db, tmp_path):
    proc = play(db, tmp_path, playbook="unreachable.yml", inventory="inventory_more")
    assert proc.returncode == 4
    run = shown(db, tmp_path)
    assert (run["status"], run["rc"]) == ("completed", 4)
    assert sorted((r["task"], r["host"], r["status"]) for r in _results(run)) == [
        ("on the controller", "h1", "changed"), ("on the controller", "h2", "changed"),
        ("ping", "h1", "ok"), ("ping", "h2", "ok"), ("ping", "h3", "unreachable")]
    delegated = [result for play_ in run["plays"] for task in play_["tasks"] for result in task["results"]
                 if task["name"] == "on the controller"]
    assert [result["delegated_to"] for result in delegated] == ["localhost", "localhost"]
    assert run["hosts"]["h3"]["unreachable"] == 1 and run["outcomes"]["h3"] == "failed"
    assert "  unreachable: [h3] " in runs(tmp_path, "show", "LAST", "--failed", "--db", db).stdout


def _wait_for_task(db: str, tmp_path: Path, name: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        listing = runs(tmp_path, "show", "LAST", "--json", "--db", db)
        if listing.returncode == 0 and name in [t["name"] for p in json.loads(listing.stdout)["plays"]
                                                for t in p["tasks"]]:
            return
        time.sleep(0.2)
    raise AssertionError(f"task {name!r} was not recorded in time")


@pytest.mark.parametrize("signum, rc, process_rc", [(signal.SIGINT, 99, 99), (signal.SIGTERM, 143, -signal.SIGTERM)])
def test_an_interrupted_run_is_marked_interrupted(db, tmp_path, signum, rc, process_rc):
    proc = subprocess.Popen(_command("slow.yml", tmp_path, "inventory"), cwd=HERE, env=_env(tmp_path, CORRAL_RECORDS_URL=db),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_task(db, tmp_path, "sleep", proc)
    proc.send_signal(signum)
    assert proc.wait(timeout=60) == process_rc
    run = shown(db, tmp_path)
    assert (run["status"], run["rc"]) == ("interrupted", rc) and run["ended"]
    tasks = [task["name"] for play_ in run["plays"] for task in play_["tasks"]]
    assert tasks == ["quick", "sleep"]
    assert _results(run)[0]["status"] == "ok"
    if not db.startswith("postgresql"):
        with sqlite3.connect(db) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert play(db, tmp_path).returncode == 2   # the database goes on working
    assert shown(db, tmp_path)["status"] == "completed"


def test_a_run_an_error_ends_is_marked_interrupted(db, tmp_path):
    proc = play(db, tmp_path, playbook="error.yml")
    assert proc.returncode == 4 and "'nope' is undefined" in proc.stdout + proc.stderr
    run = shown(db, tmp_path)
    assert (run["status"], run["rc"]) == ("interrupted", None) and run["ended"]
    assert [(r["task"], r["host"], r["status"]) for r in _results(run)] == [("first", "h1", "ok")]


def test_a_run_killed_outright_stays_running(db, tmp_path):
    proc = subprocess.Popen(_command("slow.yml", tmp_path, "inventory"), cwd=HERE,
                            env=_env(tmp_path, CORRAL_RECORDS_URL=db), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    _wait_for_task(db, tmp_path, "sleep", proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    run = shown(db, tmp_path)
    assert (run["status"], run["rc"], run["ended"]) == ("running", None, None)
    assert runs(tmp_path, "list", "--db", db).stdout.splitlines()[1].split()[3:6] == ["running", "-", "1/0/0"]


def test_two_runs_record_into_one_new_database_at_once(db, tmp_path):
    procs = []
    for n in (1, 2):
        scratch = tmp_path / f"run{n}"
        scratch.mkdir()
        procs.append(subprocess.Popen(_command("site.yml", scratch, "inventory"), cwd=HERE,
                                      env=_env(tmp_path, CORRAL_RECORDS_URL=db), stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 2, out + err
        assert "records:" not in out + err
    listing = json.loads(runs(tmp_path, "list", "--json", "--db", db).stdout)
    assert sorted(run["id"] for run in listing) == [1, 2]
    for run_id in ("1", "2"):
        run = shown(db, tmp_path, run_id)
        assert run["status"] == "completed"
        assert sorted((r["task"], r["host"], r["status"]) for r in _results(run)) == \
            [(r["task"], r["host"], r["status"]) for r in EXPECTED["results"]]


def test_the_schema_is_versioned(db, tmp_path):
    database = open_database(db)
    assert database.version() == SCHEMA_VERSION
    database.close()
    open_database(db).close()          # opening again changes nothing
    database = open_database(db)
    with database.transaction():
        database.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    database.close()
    proc = runs(tmp_path, "list", "--db", db)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith(f"has schema version {SCHEMA_VERSION + 1}; this corral-callback-records "
                                        f"reads up to version {SCHEMA_VERSION}: upgrade it")
    warned = play(db, tmp_path)
    assert warned.returncode == 2 and "records: this run is not recorded" in warned.stdout + warned.stderr


def test_the_default_database_is_private_and_the_options_are_read(tmp_path):
    assert play(None, tmp_path, "--limit", "h1", "-e", "flip=true").returncode == 2
    folder = tmp_path / "home" / ".corral"
    assert (folder.stat().st_mode & 0o777, (folder / "runs.db").stat().st_mode & 0o777) == (0o700, 0o600)
    assert runs(tmp_path, "list").stdout.splitlines()[1].split()[3:] == ["completed", "2", "0/0/1", "site.yml"]
    config = tmp_path / "records.cfg"
    config.write_text(f"[callback_records]\npath = {tmp_path / 'elsewhere.db'}\n")
    assert play(None, tmp_path, "--limit", "h1", ANSIBLE_CONFIG=str(config)).returncode == 0
    assert (tmp_path / "elsewhere.db").exists()
    assert runs(tmp_path, "show", "LAST", ANSIBLE_CONFIG=str(config)).stdout.startswith("RUN 1: completed, rc 0\n")
    assert runs(tmp_path, "show", "LAST", CORRAL_RECORDS_PATH=str(tmp_path / "elsewhere.db")).returncode == 0


def test_errors_are_one_line(tmp_path, postgres):
    database = tmp_path / "runs.db"
    assert play(str(database), tmp_path, "--limit", "h1").returncode == 0
    closed = postgres.url().replace(f":{postgres.port}/", ":1/")
    cases = [
        (["show", "42", "--db", str(database)], "corral-runs: error: unknown run '42'"),
        (["show", "LAST~5", "--db", str(database)], "corral-runs: error: unknown run 'LAST~5': not that many runs"),
        (["show", "yesterday", "--db", str(database)],
         "corral-runs: error: bad run reference 'yesterday': use a run id, LAST or LAST~N"),
        (["list", "--db", str(tmp_path / "none.db")],
         f"corral-runs: error: no runs recorded: {tmp_path / 'none.db'} does not exist"),
        (["list", "--db", "mysql://u:pw@host/db"],
         "corral-runs: error: unsupported database URL 'mysql://u:***@host/db': use postgresql://..., "
         "sqlite:///path or a file path"),
        (["list", "--db", "sqlite://relative"],
         "corral-runs: error: bad SQLite URL 'sqlite://relative': use sqlite:///absolute/path or sqlite:relative/path"),
    ]
    for args, message in cases:
        proc = runs(tmp_path, *args)
        assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", message + "\n"), args
    proc = runs(tmp_path, "list", "--db", closed.replace("postgres@", "postgres:pw@"))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("corral-runs: error: cannot connect to postgresql://postgres:***@127.0.0.1:1/")
    assert ":pw@" not in proc.stderr
    unrecorded = play(closed, tmp_path, "--limit", "h1")
    assert unrecorded.returncode == 0    # the run goes on, with one warning
    assert (unrecorded.stdout + unrecorded.stderr).count("records: this run is not recorded: cannot connect") == 1
    assert runs(tmp_path, "show", "sqlite:" + str(database)).returncode == 2   # a URL is not a run
    assert runs(tmp_path, "show", "LAST", "--db", "sqlite:" + str(database)).returncode == 0


def test_runs_through_the_api_in_threads_are_recorded(db, tmp_path):
    from corral.api import run_playbook
    from corral_callback_records import CallbackModule

    def one_run(n: int) -> int:
        callback = CallbackModule()
        callback.set_options(direct={"url": db})
        out = tmp_path / f"api{n}"
        out.mkdir()
        result = run_playbook(HERE / "site.yml", inventory=str(HERE / "inventory"), callbacks=[callback],
                              extra_vars={"out": str(out), "ansible_python_interpreter": sys.executable})
        return int(result.rc)

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        assert list(pool.map(one_run, (1, 2))) == [2, 2]
    for run_id in ("1", "2"):
        run = shown(db, tmp_path, run_id)
        assert (run["status"], run["rc"]) == ("completed", 2)
        assert sorted((r["task"], r["host"], r["status"]) for r in _results(run)) == \
            [(r["task"], r["host"], r["status"]) for r in EXPECTED["results"]]


def test_check_and_diff_modes_and_diffs_are_recorded(db, tmp_path):
    assert play(db, tmp_path, "--check", "--diff", "--limit", "h1").returncode == 0
    run = shown(db, tmp_path)
    assert (run["check_mode"], run["diff_mode"]) == (True, True)
    (written,) = [result for play_ in run["plays"] for task in play_["tasks"] for result in task["results"]
                  if task["name"] == "write a file"]
    assert written["status"] == "changed" and not (tmp_path / "out" / "h1.txt").exists()
    assert [entry["after"] for entry in (written["diff"] if isinstance(written["diff"], list) else [written["diff"]])] \
        == ["hello h1\n"]
    assert "@@" in runs(tmp_path, "show", "LAST", "--host", "h1", "--db", db).stdout


def test_runs_are_deleted_and_pruned_with_all_their_records(db, tmp_path):
    for _ in range(3):
        assert play(db, tmp_path, "--limit", "h1", "-e", "flip=true").returncode == 2
    deleted = runs(tmp_path, "delete", "LAST", "1", "--db", db)
    assert (deleted.returncode, deleted.stdout) == (0, "deleted 2 runs: 3, 1\n")
    assert [run["id"] for run in json.loads(runs(tmp_path, "list", "--json", "--db", db).stdout)] == [2]
    assert runs(tmp_path, "show", "3", "--db", db).stderr == "corral-runs: error: unknown run '3'\n"
    kept = runs(tmp_path, "prune", "--days", "1", "--db", db)
    assert (kept.returncode, kept.stdout) == (0, "deleted 0 runs\n")
    assert json.loads(runs(tmp_path, "prune", "--days", "0", "--json", "--db", db).stdout) == {"deleted": [2]}
    database = open_database(db)
    try:
        for table in ("runs", "hosts", "plays", "tasks", "results", "items", "files"):
            assert database.query(f"SELECT COUNT(*) AS n FROM {table}") == [{"n": 0}], table
    finally:
        database.close()
