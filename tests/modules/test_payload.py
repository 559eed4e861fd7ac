"""The payload runs a module in a fresh Python; its output parses into results."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from corral.executor.module_payload import MODULE_FAILURE_MSG, build_module_payload, parse_module_output
from corral.plugins.module import ModuleSpec

from .conftest import run_module


def _spec(tmp_path, source: str, name: str = "custom") -> ModuleSpec:
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    return ModuleSpec(name, str(path), "tests")


def _run(spec: ModuleSpec, args: dict, **settings) -> dict:
    proc = subprocess.run([sys.executable, "-"], input=build_module_payload(spec, args, **settings),
                          capture_output=True, timeout=60)
    return parse_module_output(proc.returncode, proc.stdout, proc.stderr)


def test_ansible_module_utils_alias_runs_an_ansible_style_module(tmp_path):
    spec = _spec(tmp_path, (
        "from ansible.module_utils.basic import AnsibleModule\n"
        "from ansible.module_utils.common.text.converters import to_native\n"
        "import corral.module_utils.basic as real\n"
        "m = AnsibleModule(argument_spec=dict(name=dict(type='str', required=True)))\n"
        "m.exit_json(greeting=to_native('hi ' + m.params['name']), same=AnsibleModule is real.AnsibleModule)\n"))
    result = _run(spec, {"name": "bob"})
    assert result["greeting"] == "hi bob"
    assert result["same"] is True
    assert result["changed"] is False


def test_common_ansible_module_utils_paths_are_available(tmp_path):
    spec = _spec(tmp_path, (
        "from ansible.module_utils.basic import AnsibleModule\n"
        "from ansible.module_utils._text import to_bytes, to_text\n"
        "from ansible.module_utils.six import string_types, iteritems\n"
        "from ansible.module_utils.parsing.convert_bool import boolean\n"
        "from ansible.module_utils.common.process import get_bin_path\n"
        "m = AnsibleModule(argument_spec={})\n"
        "m.exit_json(sh=get_bin_path('sh'), yes=boolean('yes'), text=to_text(to_bytes('x')),\n"
        "            is_str=isinstance('a', string_types), items=sorted(iteritems({'a': 1})))\n"))
    result = _run(spec, {})
    assert result["sh"].endswith("/sh") and result["yes"] is True and result["text"] == "x"
    assert result["is_str"] is True and result["items"] == [["a", 1]]


def test_payload_library_wins_over_a_shadowing_corral_on_the_target(tmp_path):
    fake = tmp_path / "site" / "corral"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise RuntimeError('installed corral was imported')\n")
    spec = _spec(tmp_path, "from corral.module_utils.basic import AnsibleModule\n"
                           "AnsibleModule(argument_spec={}).exit_json(ok=1)\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "site"))
    proc = subprocess.run([sys.executable, "-"], input=build_module_payload(spec, {}), env=env,
                          capture_output=True, timeout=60)
    assert parse_module_output(proc.returncode, proc.stdout, proc.stderr)["ok"] == 1


def test_internal_arguments_reach_the_module(tmp_path):
    spec = _spec(tmp_path, (
        "from corral.module_utils.basic import AnsibleModule\n"
        "m = AnsibleModule(argument_spec={}, supports_check_mode=True)\n"
        "m.exit_json(check=m.check_mode, diff=m._diff, verbosity=m._verbosity, name=m._name, tmp=m.tmpdir)\n"))
    remote_tmp = tmp_path / "remote"
    result = _run(spec, {}, check_mode=True, diff=True, verbosity=3, remote_tmp=str(remote_tmp))
    assert (result["check"], result["diff"], result["verbosity"], result["name"]) == (True, True, 3, "custom")
    assert result["tmp"].startswith(str(remote_tmp))
    assert not os.path.exists(result["tmp"]), "the module's tmpdir is removed when it exits"


def test_module_cannot_read_the_payload_stdin(tmp_path):
    spec = _spec(tmp_path, (
        "import sys\n"
        "from corral.module_utils.basic import AnsibleModule\n"
        "m = AnsibleModule(argument_spec={})\n"
        "m.exit_json(read=sys.stdin.read())\n"))
    assert _run(spec, {})["read"] == ""


def test_an_exception_the_module_raises_fails_the_task_with_its_text():
    """As ansible-core 2.21 (language case 840): no MODULE FAILURE, no traceback."""
    result = run_module("ping", {"data": "crash"})
    assert result == {"failed": True, "changed": False, "exception": "(traceback unavailable)",
                      "msg": "Task failed: Module failed: boom"}


def test_killed_module_gives_module_failure_quickly(tmp_path):
    spec = _spec(tmp_path, (
        "import sys, time\n"
        "sys.stderr.write('working\\n'); sys.stderr.flush()\n"
        "time.sleep(60)\n"))
    proc = subprocess.Popen([sys.executable, "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdin.write(build_module_payload(spec, {}))
    proc.stdin.close()
    assert proc.stderr.readline() == b"working\n"
    started = time.monotonic()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    out, err = proc.stdout.read(), proc.stderr.read()
    result = parse_module_output(proc.returncode, out, err)
    assert time.monotonic() - started < 5
    assert result["failed"] is True and result["rc"] == -9
    assert result["msg"] == MODULE_FAILURE_MSG


@pytest.mark.parametrize("stdout, warning", [
    (b'motd line\n{"changed": true, "x": 1}\n', "junk before"),
    (b'{"changed": true, "x": 1}\nbye\n', "junk after"),
])
def test_junk_around_the_json_is_dropped_with_a_warning(stdout, warning):
    result = parse_module_output(0, stdout, b"")
    assert result["x"] == 1 and result["changed"] is True
    assert any(warning in text for text in result["warnings"])


@pytest.mark.parametrize("stdout", [b"", b"not json at all\n", b"[1, 2]\n", b'{"truncated": '])
def test_no_json_object_is_a_module_failure(stdout):
    result = parse_module_output(3, stdout, b"some error")
    assert result == {"failed": True, "msg": MODULE_FAILURE_MSG, "module_stdout": stdout.decode(),
                      "module_stderr": "some error", "rc": 3, "changed": False}


def test_stdout_lines_are_added():
    result = parse_module_output(0, b'{"stdout": "a\\nb", "stderr": "e"}', b"")
    assert result["stdout_lines"] == ["a", "b"] and result["stderr_lines"] == ["e"]


def test_payload_is_cached_and_cheap(tmp_path):
    spec = _spec(tmp_path, "print('{}')\n")
    build_module_payload(spec, {})
    started = time.perf_counter()
    for _ in range(200):
        payload = build_module_payload(spec, {"n": 1})
    per_call = (time.perf_counter() - started) / 200
    assert per_call < 0.002, f"building a payload took {per_call * 1e6:.0f} us"
    assert len(payload) < 200_000


def test_module_source_change_is_picked_up(tmp_path):
    spec = _spec(tmp_path, "print('{\"v\": 1}')\n")
    assert _run(spec, {})["v"] == 1
    path = tmp_path / "custom.py"
    path.write_text("print('{\"v\": 22}')\n")
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert _run(spec, {})["v"] == 22


def _interpreters() -> list[str]:
    """This Python plus any other Python 3.7+ found on this machine (pyenv, /usr/bin)."""
    import glob
    found = {sys.executable}
    for path in glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python3")) + glob.glob("/usr/bin/python3.*"):
        version = os.path.basename(os.path.dirname(os.path.dirname(path))) if ".pyenv" in path else path[-4:]
        parts = version.split(".")
        if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) >= 7 and os.access(path, os.X_OK):
            found.add(path)
    return sorted(found)


@pytest.mark.parametrize("python", _interpreters())
def test_payload_runs_on_every_python3(python, tmp_path):
    from corral.plugins.manager import PluginManager
    modules = PluginManager().modules()
    for name, args in (("ping", {}), ("file", {"path": str(tmp_path / "f"), "state": "touch"}),
                       ("lineinfile", {"path": str(tmp_path / "l"), "line": "x", "create": True}),
                       ("setup", {"gather_subset": ["!all"]})):
        proc = subprocess.run([python, "-"], input=build_module_payload(modules[name], args), capture_output=True,
                              timeout=60)
        result = parse_module_output(proc.returncode, proc.stdout, proc.stderr)
        assert "failed" not in result, (python, name, result)


@pytest.mark.parametrize("wanted", ["200", "999999999"])
def test_python_modules_run_with_the_open_files_limit_asked(wanted: str) -> None:
    """``ansible_python_module_rlimit_nofile`` sets the soft limit Python modules (and
    what they start) run with; above the hard limit, the hard limit."""
    import resource
    from corral.api import run_playbook
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    play = {"hosts": "localhost", "gather_facts": False, "vars": {"ansible_python_module_rlimit_nofile": wanted},
            "tasks": [{"command": "python3 -c 'import resource; print(resource.getrlimit(resource.RLIMIT_NOFILE)[0])'"}]}
    result = run_playbook([play])
    expected = int(wanted) if hard == resource.RLIM_INFINITY else min(int(wanted), hard)
    assert result.hosts["localhost"].results[0].result["stdout"] == str(expected)
