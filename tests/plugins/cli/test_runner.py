"""corral-runner against ansible-runner: the same private data directory run (a) by
ansible-runner driving ansible-core (the oracle venv) and (b) by ``corral-runner``,
both artifact directories read back by ansible-runner's own reader, and the event
sequences compared; then the CLI commands, a background run, rotation, prompt
answers, extra variables, the ssh key and the Python API, on real runs."""
from __future__ import annotations

import collections
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


import corral_runner

REPO = Path(__file__).resolve().parents[3]
ORACLE_BIN = REPO / ".oracle" / "bin"
READER = Path(__file__).parent / "runner_files" / "read_artifacts.py"
CORRAL_RUNNER = Path(sys.executable).parent / "corral-runner"
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

INVENTORY = f"""\
[web]
web1
web2
[db]
db1
[down]
gone ansible_host=127.0.0.1 ansible_port=1 ansible_connection=ssh ansible_user=nobody
[all:vars]
ansible_connection=local
ansible_python_interpreter={PYTHON}
"""

PLAYBOOK = """\
- name: mixed outcomes
  hosts: all
  gather_facts: false
  tasks:
    - name: reach everyone
      ping:
    - name: change something
      command: echo hello
      register: hello
      notify: say done
    - name: skip on db
      debug:
        msg: "{{ hello.stdout }} {{ greeting }}"
      when: inventory_hostname != 'db1'
    - name: loop
      debug:
        msg: "item {{ item }}"
      loop: [1, 2]
    - name: secret
      command: echo secret
      no_log: true
    - name: fail on web2
      fail:
        msg: boom
      when: inventory_hostname == 'web2'
  handlers:
    - name: say done
      debug:
        msg: done
"""

#: event_data keys that hold times, different in every run
_TIMING = {"start", "end", "delta", "duration"}


def _oracle() -> Path:
    runner = ORACLE_BIN / "ansible-runner"
    assert runner.exists(), f"{runner} is missing: run scripts/oracle-venv (it installs ansible-runner)"
    return runner


def _private_data_dir(root: Path, playbook: str = PLAYBOOK, inventory: str = INVENTORY,
                      **env_files: Any) -> Path:
    (root / "project").mkdir(parents=True)
    (root / "inventory").mkdir()
    (root / "env").mkdir()
    (root / "project" / "site.yml").write_text(playbook)
    (root / "inventory" / "hosts").write_text(inventory)
    env_files.setdefault("envvars", {"PYTHONWARNINGS": "ignore"})
    for name, value in env_files.items():
        if value is None:
            continue
        (root / "env" / name).write_text(value if isinstance(value, str) else json.dumps(value))
    return root


def _run_oracle(private_data_dir: Path, ident: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=f"{ORACLE_BIN}:{os.environ['PATH']}")
    return subprocess.run([str(_oracle()), "run", str(private_data_dir), "--ident", ident, "-q", *args],
                          env=env, capture_output=True, text=True, timeout=300)


def _corral_runner(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CORRAL_RUNNER), *args], capture_output=True, text=True, timeout=timeout)


def _read(private_data_dir: Path, ident: str) -> dict[str, Any]:
    """The artifacts as ansible-runner's own reader loads them (``Runner.events``, ``stats``,
    ``host_events``), run in the oracle's Python."""
    _oracle()
    done = subprocess.run([str(ORACLE_BIN / "python"), str(READER), str(private_data_dir), ident],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    read: dict[str, Any] = json.loads(done.stdout)
    return read


def _segments(events: list[dict[str, Any]]) -> list[tuple[tuple[str, str | None], collections.Counter[Any]]]:
    """The run cut at each play/task start: each piece's opening event and the multiset of
    (event, host) in it (hosts run in parallel, so their order within a task may differ)."""
    pieces: list[tuple[tuple[str, str | None], collections.Counter[Any]]] = []
    for event in events:
        if event["event"] in ("playbook_on_start", "playbook_on_play_start", "playbook_on_task_start",
                              "playbook_on_stats"):
            pieces.append(((event["event"], event["task"] or event["play"]), collections.Counter()))
        else:
            pieces[-1][1][(event["event"], event["host"])] += 1
    return pieces


def _res(event: dict[str, Any]) -> Any:
    res = event["res"]
    if isinstance(res, dict):
        return {k: v for k, v in res.items() if k not in _TIMING}
    return res


def test_the_event_sequence_matches_ansible_runner_driving_ansible_core(tmp_path: Path) -> None:
    extravars = {"greeting": "hi"}
    oracle_dir = _private_data_dir(tmp_path / "oracle", extravars=extravars)
    corral_dir = _private_data_dir(tmp_path / "corral", extravars=extravars)
    assert _run_oracle(oracle_dir, "same", "-p", "site.yml").returncode == 4
    done = _corral_runner("run", str(corral_dir), "-p", "site.yml", "--ident", "same", "-q")
    assert (done.returncode, done.stdout) == (4, "")
    oracle, corral = _read(oracle_dir, "same"), _read(corral_dir, "same")

    assert (corral["status"], corral["rc"]) == (oracle["status"], oracle["rc"]) == ("failed", 4)
    assert corral["stats"] == oracle["stats"]
    assert corral["stats"]["dark"] == {"gone": 1} and corral["stats"]["failures"] == {"web2": 1}
    for read in (oracle, corral):
        assert [e["counter"] for e in read["events"]] == list(range(1, len(read["events"]) + 1))
        assert {e["runner_ident"] for e in read["events"]} == {"same"}
    assert _segments(corral["events"]) == _segments(oracle["events"])
    assert corral["host_events"].keys() == oracle["host_events"].keys()
    for host in oracle["host_events"]:  # each host's own events come in the same order
        assert corral["host_events"][host] == oracle["host_events"][host], host

    def keyed(read: dict[str, Any]) -> dict[tuple[Any, ...], dict[str, Any]]:
        seen: collections.Counter[Any] = collections.Counter()
        out = {}
        for event in read["events"]:
            key = (event["event"], event["host"], event["task"])
            seen[key] += 1
            out[key + (seen[key],)] = event
        return out

    ours, theirs = keyed(corral), keyed(oracle)
    assert ours.keys() == theirs.keys()
    for key, event in theirs.items():
        assert ours[key]["keys"] == event["keys"], key        # the same event_data fields
        if key[0] not in ("runner_on_unreachable", "runner_on_failed"):  # messages differ by engine
            assert _res(ours[key]) == _res(event), key
        if key[0] != "runner_on_unreachable":   # what was printed, colors included, line for line
            assert ours[key]["stdout"].replace(str(corral_dir), "PDD") == \
                event["stdout"].replace(str(oracle_dir), "PDD"), key
            assert ours[key]["end_line"] - ours[key]["start_line"] == event["end_line"] - event["start_line"], key
    assert ours[("runner_on_ok", "web1", "secret", 1)]["res"] == {
        "censored": "the output has been hidden due to the fact that 'no_log: true' was specified for this result"}
    assert ours[("runner_on_ok", "web1", "skip on db", 1)]["res"]["msg"] == "hello hi"   # registered + extravars
    assert ours[("runner_on_failed", "web2", "fail on web2", 1)]["res"]["msg"] == "boom"
    # every host event hangs under its task's start event
    starts = {e["task"]: e["uuid"] for e in corral["events"] if e["event"] == "playbook_on_task_start"}
    for event in corral["events"]:
        if event["event"].startswith("runner_on_"):
            assert event["parent_uuid"] == starts[event["task"]]

    artifacts = corral_dir / "artifacts" / "same"
    assert sorted(p.name for p in artifacts.iterdir()) == sorted(
        p.name for p in (oracle_dir / "artifacts" / "same").iterdir())
    command = json.loads((artifacts / "command").read_text())
    assert command["command"][1:] == ["-i", str(corral_dir / "inventory"), "-e",
                                      f"@{corral_dir / 'env' / 'extravars'}", "site.yml"]
    assert command["cwd"] == str(corral_dir / "project")
    assert command["env"]["AWX_ISOLATED_DATA_DIR"] == str(artifacts)
    stdout = (artifacts / "stdout").read_bytes()
    assert b"PLAY RECAP" in stdout and b"\r\n" in stdout
    theirs_stdout = (oracle_dir / "artifacts" / "same" / "stdout").read_bytes()
    assert stdout.count(b"\n") == theirs_stdout.count(b"\n") and stdout.count(b"\r\n") == theirs_stdout.count(b"\r\n")
    written = sorted((artifacts / "job_events").iterdir(), key=lambda path: int(path.name.split("-")[0]))
    event_lines = "\r\n".join(json.loads(path.read_text())["stdout"] for path in written)
    assert "fatal: [web2]: FAILED!" in event_lines


def test_an_ad_hoc_module_gives_the_events_of_ansible_runner(tmp_path: Path) -> None:
    oracle_dir = _private_data_dir(tmp_path / "oracle")
    corral_dir = _private_data_dir(tmp_path / "corral")
    args = ("-m", "command", "-a", "echo hi", "--hosts", "web")
    assert _run_oracle(oracle_dir, "adhoc", *args).returncode == 0
    done = _corral_runner("run", str(corral_dir), "--ident", "adhoc", *args)
    assert done.returncode == 0, done.stdout
    assert "web1 | CHANGED | rc=0 >>" in done.stdout
    oracle, corral = _read(oracle_dir, "adhoc"), _read(corral_dir, "adhoc")
    assert corral["status"] == oracle["status"] == "successful"
    assert corral["stats"] == oracle["stats"]
    assert _segments(corral["events"]) == _segments(oracle["events"])
    command = json.loads((corral_dir / "artifacts" / "adhoc" / "command").read_text())
    assert command["cwd"] == str(corral_dir) and command["command"][-5:] == ["-m", "command", "-a", "echo hi", "web"]


def test_json_quiet_limit_cmdline_and_rotation_from_the_command_line(tmp_path: Path) -> None:
    pdd = _private_data_dir(tmp_path / "pdd", extravars={"greeting": "yo"})
    done = _corral_runner("run", str(pdd), "-p", "site.yml", "-j", "--limit", "web1", "--ident", "one")
    assert done.returncode == 0
    printed = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert printed[0]["event"] == "playbook_on_start" and printed[-1]["event"] == "playbook_on_stats"
    assert {e["event_data"].get("host") for e in printed} == {None, "web1"}
    assert len(printed) == len(list((pdd / "artifacts" / "one" / "job_events").iterdir()))
    kept = [json.loads(line) for line in (pdd / "artifacts" / "one" / "stdout").read_text().splitlines()]
    assert kept == printed      # -j: the stdout artifact holds the events too, as ansible-runner's
    (pdd / "env" / "cmdline").write_text("--tags nothing")
    done = _corral_runner("run", str(pdd), "-p", "site.yml", "-q", "--ident", "two", "--rotate-artifacts", "2",
                          "--logfile", str(tmp_path / "runner.log"))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert "command: " in (tmp_path / "runner.log").read_text()
    assert json.loads((pdd / "artifacts" / "two" / "command").read_text())["command"][1:3] == ["--tags", "nothing"]
    time.sleep(0.05)
    _corral_runner("run", str(pdd), "-p", "site.yml", "-q", "--ident", "three", "--rotate-artifacts", "2")
    assert sorted(p.name for p in (pdd / "artifacts").iterdir()) == ["three", "two"]
    assert (pdd / "artifacts" / "three" / "status").read_text() == "successful"
    assert (pdd / "artifacts" / "three" / "rc").read_text() == "0"


def test_start_runs_in_the_background_and_stop_kills_it(tmp_path: Path) -> None:
    marker = f"corral-runner-bg-{os.getpid()}"
    pdd = _private_data_dir(tmp_path / "pdd", playbook=f"""\
- hosts: web1
  gather_facts: false
  tasks:
    - shell: "sleep 60; echo {marker}"
""")
    done = _corral_runner("start", str(pdd), "-p", "site.yml", "--ident", "bg", timeout=30)
    assert done.returncode == 0
    deadline = time.time() + 30
    while not (pdd / "pid").exists() or not any(marker in _cmdline(p) for p in _pids()):
        assert time.time() < deadline, "the background run did not start its task"
        time.sleep(0.1)
    assert (pdd / "daemon.log").exists()
    assert _corral_runner("is-alive", str(pdd)).returncode == 0
    assert _corral_runner("stop", str(pdd)).returncode == 0
    deadline = time.time() + 10
    while any(marker in _cmdline(p) for p in _pids()):
        assert time.time() < deadline, "stop left the run's task running"
        time.sleep(0.1)
    assert not (pdd / "pid").exists()
    assert _corral_runner("is-alive", str(pdd)).returncode == 1
    # a background run that ends by itself removes its pid file and leaves its artifacts
    quick = _private_data_dir(tmp_path / "quick", extravars={"greeting": "hi"})
    assert _corral_runner("start", str(quick), "-p", "site.yml", "--ident", "q", "--limit", "web1").returncode == 0
    deadline = time.time() + 120
    while not (quick / "artifacts" / "q" / "status").exists() or (quick / "pid").exists():
        assert time.time() < deadline
        time.sleep(0.1)
    assert (quick / "artifacts" / "q" / "status").read_text() == "successful"
    assert _corral_runner("is-alive", str(quick)).returncode == 1


def _pids() -> list[str]:
    return [name for name in os.listdir("/proc") if name.isdigit()]


def _cmdline(pid: str) -> str:
    try:
        return Path("/proc", pid, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_passwords_answer_the_become_and_vault_prompts(tmp_path: Path) -> None:
    vault_password = tmp_path / "vault-pass"
    vault_password.write_text("swordfish\n")
    encrypted = subprocess.run([str(Path(sys.executable).parent / "corral-vault"), "encrypt_string",
                                "--vault-password-file", str(vault_password), "the treasure", "--name", "treasure"],
                               capture_output=True, text=True, check=True).stdout
    pdd = _private_data_dir(tmp_path / "pdd", playbook=f"""\
- hosts: web1
  gather_facts: false
  vars:
{''.join('    ' + line + chr(10) for line in encrypted.splitlines())}
  tasks:
    - debug:
        msg: "{{{{ treasure }}}}"
""", passwords={r"^BECOME password.*:\s*?$": "becomepw", r"^Vault password.*:\s*?$": "swordfish"},
                              cmdline="--ask-become-pass --ask-vault-pass")
    result = corral_runner.run(private_data_dir=str(pdd), playbook="site.yml", ident="prompts", quiet=True,
                               settings={"job_timeout": 120})
    assert (result.status, result.rc) == ("successful", 0)
    stdout = result.stdout.read()
    assert "BECOME password:" in stdout and "Vault password:" in stdout
    assert "becomepw" not in stdout and "swordfish" not in stdout     # answers are not echoed
    [ok] = [e for e in result.events if e["event"] == "runner_on_ok"]
    assert ok["event_data"]["res"]["msg"] == "the treasure"


def test_the_ssh_key_is_loaded_into_an_agent_for_the_run(tmp_path: Path) -> None:
    key = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "runner-test-key", "-f", str(key)],
                   check=True)
    pdd = _private_data_dir(tmp_path / "pdd", playbook="""\
- hosts: web1
  gather_facts: false
  tasks:
    - command: ssh-add -l
""", ssh_key=key.read_text())
    result = corral_runner.run(private_data_dir=str(pdd), playbook="site.yml", ident="key", quiet=True)
    assert (result.status, result.rc) == ("successful", 0)
    [ok] = [e for e in result.events if e["event"] == "runner_on_ok"]
    assert "runner-test-key" in ok["event_data"]["res"]["stdout"]
    assert not (pdd / "artifacts" / "key" / "ssh_key_data").exists()     # read once, then removed
    assert json.loads((pdd / "artifacts" / "key" / "command").read_text())["command"][0] == "ssh-agent"


def test_the_python_api_runs_hooks_facts_and_data_given_inline(tmp_path: Path) -> None:
    statuses: list[str] = []
    finished: list[Any] = []

    def keep(event: dict[str, Any]) -> bool:
        return event["event"] != "runner_on_start"     # False: not written to job_events

    result = corral_runner.run(
        private_data_dir=str(tmp_path / "pdd"), ident="api", quiet=True,
        playbook=[{"hosts": "all", "gather_facts": False, "tasks": [
            {"set_fact": {"color": "{{ shade }}", "cacheable": True}},
            {"debug": {"var": "color"}}]}],
        inventory={"all": {"hosts": {"a": {}, "b": {}},
                           "vars": {"ansible_connection": "local", "ansible_python_interpreter": PYTHON}}},
        extravars={"shade": "teal"}, event_handler=keep,
        status_handler=lambda data, runner_config: statuses.append(data["status"]),
        finished_callback=finished.append)
    assert (result.status, result.rc) == ("successful", 0)
    assert statuses == ["starting", "running", "successful"]
    assert finished == [result]
    events = list(result.events)
    assert events[0]["event"] == "playbook_on_start" and events[-1]["event"] == "playbook_on_stats"
    assert "runner_on_start" not in {e["event"] for e in events}
    assert result.stats is not None and result.stats["ok"] == {"a": 2, "b": 2}
    assert [e["event"] for e in result.host_events("a")] == ["runner_on_ok", "runner_on_ok"]
    assert [e["event_data"]["res"]["color"] for e in result.host_events("b")
            if e["event_data"]["task_action"] == "debug"] == ["teal"]
    assert (tmp_path / "pdd" / "project" / "main.json").exists()
    assert json.loads((tmp_path / "pdd" / "env" / "extravars").read_text()) == {"shade": "teal"}
    assert os.listdir(tmp_path / "pdd" / "artifacts" / "api" / "fact_cache")
    assert result.get_fact_cache("a") == {"color": "teal"} and result.get_fact_cache("nowhere") == {}
    result.set_fact_cache("b", {"color": "plum"})
    assert result.get_fact_cache("b") == {"color": "plum"}


def test_cancel_and_timeouts_end_the_run(tmp_path: Path) -> None:
    slow = """\
- hosts: web1
  gather_facts: false
  tasks:
    - command: sleep 30
"""
    pdd = _private_data_dir(tmp_path / "pdd", playbook=slow)
    started = time.time()
    cancel = threading.Event()
    thread, runner = corral_runner.run_async(private_data_dir=str(pdd), playbook="site.yml", ident="cancel",
                                             quiet=True, cancel_callback=cancel.is_set)
    for event in runner.events:
        if event["event"] == "runner_on_start":
            cancel.set()
    thread.join(30)
    assert (runner.status, runner.rc) == ("canceled", 254)
    assert time.time() - started < 25
    assert (pdd / "artifacts" / "cancel" / "status").read_text() == "canceled"

    (pdd / "env" / "settings").write_text("job_timeout: 2\n")
    timed = corral_runner.run(private_data_dir=str(pdd), playbook="site.yml", ident="job", quiet=True)
    assert (timed.status, timed.rc) == ("timeout", 254)
    (pdd / "env" / "settings").write_text("idle_timeout: 2\n")
    idle = corral_runner.run(private_data_dir=str(pdd), playbook="site.yml", ident="idle", quiet=True)
    assert (idle.status, idle.rc) == ("timeout", 254)
    assert time.time() - started < 40


def test_a_missing_playbook_program_is_rc_127_like_ansible_runner(tmp_path: Path) -> None:
    pdd = _private_data_dir(tmp_path / "pdd")
    result = corral_runner.run(private_data_dir=str(pdd), playbook="site.yml", ident="nobin", quiet=True,
                               binary="no-such-program-anywhere")
    assert (result.status, result.rc) == ("failed", 127)
    assert "no-such-program-anywhere" in result.stdout.read()
    assert shutil.which("no-such-program-anywhere") is None


def test_a_role_runs_as_ansible_runner_runs_it(tmp_path: Path) -> None:
    reads = {}
    for name, command in (("oracle", None), ("corral", [str(CORRAL_RUNNER), "run"])):
        # the role beside the generated playbook (project/roles): ansible-runner 2.4's CLI
        # loses the ANSIBLE_ROLES_PATH it means to set for <private_data_dir>/roles
        pdd = _private_data_dir(tmp_path / name)
        (pdd / "project" / "roles" / "greet" / "tasks").mkdir(parents=True)
        (pdd / "project" / "roles" / "greet" / "tasks" / "main.yml").write_text(
            '- debug:\n    msg: "hello {{ who }} {{ count + 1 }}"\n')
        args = ("-r", "greet", "--hosts", "web", "--role-vars", "who=world count=41", "--role-skip-facts")
        if command is None:
            assert _run_oracle(pdd, "role", *args).returncode == 0
        else:
            done = subprocess.run([*command, str(pdd), "--ident", "role", "-q", *args], capture_output=True,
                                  text=True, timeout=300)
            assert done.returncode == 0, done.stderr
        assert sorted(p.name for p in (pdd / "project").iterdir()) == ["roles", "site.yml"]  # play removed
        reads[name] = _read(pdd, "role")
    assert _segments(reads["corral"]["events"]) == _segments(reads["oracle"]["events"])
    assert reads["corral"]["stats"] == reads["oracle"]["stats"]
    assert {e["res"]["msg"] for e in reads["corral"]["events"] if e["event"] == "runner_on_ok"} == {"hello world 42"}
    # corral-runner also finds the role in <private_data_dir>/roles (the documented default)
    pdd = _private_data_dir(tmp_path / "beside")
    (pdd / "roles" / "greet" / "tasks").mkdir(parents=True)
    (pdd / "roles" / "greet" / "tasks" / "main.yml").write_text('- debug:\n    msg: "hi {{ who }}"\n')
    done = _corral_runner("run", str(pdd), "-r", "greet", "--hosts", "db1", "--role-vars", "who=there", "-j",
                          "--role-skip-facts")
    assert done.returncode == 0, done.stderr
    [ok] = [json.loads(line) for line in done.stdout.splitlines() if '"runner_on_ok"' in line]
    assert (ok["event_data"]["host"], ok["event_data"]["res"]["msg"]) == ("db1", "hi there")


def test_a_run_that_fails_to_start_leaves_its_output_as_verbose_events(tmp_path: Path) -> None:
    reads = {}
    for name in ("oracle", "corral"):
        pdd = _private_data_dir(tmp_path / name)
        if name == "oracle":
            _run_oracle(pdd, "early", "-p", "missing.yml")
        else:
            _corral_runner("run", str(pdd), "-p", "missing.yml", "--ident", "early", "-q")
        reads[name] = _read(pdd, "early")
    for read in reads.values():
        assert (read["status"], read["rc"]) == ("failed", 1)
        assert [(e["event"], e["counter"], e["start_line"], e["end_line"]) for e in read["events"]] == \
            [("verbose", 1, 0, 1)]
        assert "the playbook: missing.yml could not be found" in read["events"][0]["stdout"]


def test_what_is_printed_before_the_events_begin_becomes_verbose_events(tmp_path: Path) -> None:
    reads = {}
    for name in ("oracle", "corral"):
        pdd = _private_data_dir(tmp_path / name, extravars={"greeting": "hi"})
        args = ("-p", "site.yml", "--limit", "web1", "-v")
        if name == "oracle":
            _run_oracle(pdd, "v", *args)
        else:
            _corral_runner("run", str(pdd), "--ident", "v", "-q", *args)
            assert b"corral-runner;events" not in (pdd / "artifacts" / "v" / "stdout").read_bytes()
        reads[name] = _read(pdd, "v")
    for read in reads.values():
        events = read["events"]
        first = next(index for index, event in enumerate(events) if event["event"] != "verbose")
        assert first > 0 and events[first]["event"] == "playbook_on_start"
        assert events[first]["start_line"] == first     # one line per verbose event before it
        assert [e["counter"] for e in events] == list(range(1, len(events) + 1))
        assert any("No config file found" in e["stdout"] for e in events[:first])
    assert _segments([e for e in reads["corral"]["events"] if e["event"] != "verbose"]) == \
        _segments([e for e in reads["oracle"]["events"] if e["event"] != "verbose"])


def test_artifact_dir_project_dir_inventory_and_cmdline_options(tmp_path: Path) -> None:
    pdd = _private_data_dir(tmp_path / "pdd", extravars={"greeting": "hi"},
                            settings={"suppress_ansible_output": True})
    project = tmp_path / "elsewhere"
    shutil.copytree(pdd / "project", project)
    (pdd / "project" / "site.yml").unlink()
    (tmp_path / "only-db").write_text(f"db1 ansible_connection=local ansible_python_interpreter={PYTHON}\n")
    done = _corral_runner("run", str(pdd), "-p", "site.yml", "--ident", "opts", "--artifact-dir",
                          str(tmp_path / "arts"), "--project-dir", str(project), "--inventory",
                          str(tmp_path / "only-db"), "--cmdline", "--skip-tags never --forks 3")
    assert (done.returncode, done.stdout) == (0, "")       # suppress_ansible_output: nothing printed
    artifacts = tmp_path / "arts" / "opts"
    command = json.loads((artifacts / "command").read_text())
    assert command["cwd"] == str(project)
    assert command["command"][1:6] == ["--skip-tags", "never", "--forks", "3", "-i"]
    assert (artifacts / "status").read_text() == "successful"
    hosts = {json.loads(p.read_text())["event_data"].get("host") for p in (artifacts / "job_events").iterdir()}
    assert hosts == {None, "db1"}
    assert not (pdd / "artifacts").exists()


def test_the_api_runs_a_role_given_by_name(tmp_path: Path) -> None:
    pdd = _private_data_dir(tmp_path / "pdd")
    (pdd / "roles" / "greet" / "tasks").mkdir(parents=True)
    (pdd / "roles" / "greet" / "tasks" / "main.yml").write_text('- debug:\n    msg: "hi {{ who }}"\n')
    result = corral_runner.run(private_data_dir=str(pdd), ident="role", quiet=True, role="greet", hosts="web2",
                               role_vars={"who": "api"}, role_skip_facts=True)
    assert (result.status, result.rc) == ("successful", 0)
    assert [(e["event_data"]["host"], e["event_data"]["res"]["msg"]) for e in result.events
            if e["event"] == "runner_on_ok"] == [("web2", "hi api")]
