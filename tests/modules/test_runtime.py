"""AnsibleModule: argument checking with Ansible's messages, no_log, files, commands."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from corral.executor.module_payload import build_module_payload, parse_module_output
from corral.plugins.module import ModuleSpec

# A module that echoes its validated params, so tests can see conversions.
_ECHO = """
import json
from corral.module_utils.basic import AnsibleModule
spec = json.loads({spec!r})
kwargs = json.loads({kwargs!r})
m = AnsibleModule(argument_spec=spec, **kwargs)
m.exit_json(params=m.params)
"""


def run_spec(tmp_path, spec: dict, args: dict, **kwargs) -> dict:
    path = tmp_path / "echo.py"
    path.write_text(_ECHO.format(spec=json.dumps(spec), kwargs=json.dumps(kwargs)))
    payload = build_module_payload(ModuleSpec("echo", str(path)), args)
    proc = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=60)
    return parse_module_output(proc.returncode, proc.stdout, proc.stderr)


def test_unsupported_parameter_lists_supported_ones_and_aliases(tmp_path):
    spec = {"path": {"type": "path", "aliases": ["dest", "name"]}, "mode": {"type": "raw"}}
    result = run_spec(tmp_path, spec, {"path": "/x", "foo": 1})
    assert result["failed"] is True
    assert result["msg"] == ("Unsupported parameters for (echo) module: foo. "
                             "Supported parameters include: mode, path (dest, name).")


def test_missing_required(tmp_path):
    spec = {"path": {"required": True}, "src": {"required": True}, "x": {}}
    assert run_spec(tmp_path, spec, {})["msg"] == "missing required arguments: path, src"


@pytest.mark.parametrize("kind, value, expected", [
    ("int", "12", 12), ("int", 3.0, 3), ("float", "1.5", 1.5), ("bool", "yes", True), ("bool", "off", False),
    ("list", "a,b", ["a", "b"]), ("list", 5, ["5"]), ("dict", "a=1, b='x y'", {"a": "1", "b": "x y"}),
    ("dict", '{"a": 1}', {"a": 1}), ("str", 5, "5"), ("raw", [1], [1]), ("jsonarg", {"a": 1}, '{"a": 1}'),
    ("bytes", "1K", 1024), ("bytes", "2 MB", 2 * 1024 * 1024), ("path", "~/x", os.path.expanduser("~/x")),
])
def test_type_conversions(tmp_path, kind, value, expected):
    result = run_spec(tmp_path, {"v": {"type": kind}}, {"v": value})
    assert result["params"]["v"] == expected


@pytest.mark.parametrize("kind, value, message", [
    ("bool", "maybe", "argument 'v' is of type str and we were unable to convert to bool: "
                      "The value 'maybe' is not a valid boolean."),
    ("int", "abc", "argument 'v' is of type str and we were unable to convert to int: "
                   "\"'abc'\" cannot be converted to an int"),   # ansible-core 2.21's quoting
    ("list", {"a": 1}, "argument 'v' is of type dict and we were unable to convert to list: "
                       "<class 'dict'> cannot be converted to a list"),
])
def test_type_errors_name_the_parameter(tmp_path, kind, value, message):
    result = run_spec(tmp_path, {"v": {"type": kind}}, {"v": value})
    assert result["failed"] is True
    assert result["msg"].startswith(message)


def test_defaults_aliases_choices_and_elements(tmp_path):
    spec = {"state": {"choices": ["present", "absent"], "default": "present"},
            "name": {"aliases": ["pkg"], "type": "list", "elements": "int"},
            "flag": {"type": "bool"}}
    result = run_spec(tmp_path, spec, {"pkg": ["1", 2]})
    # as in Ansible, an alias that was used keeps its (converted) value beside the option's
    assert result["params"] == {"state": "present", "name": [1, 2], "pkg": [1, 2], "flag": None}
    bad = run_spec(tmp_path, spec, {"state": "bogus"})
    assert bad["msg"] == "value of state must be one of: present, absent, got: bogus"
    elements = run_spec(tmp_path, spec, {"name": ["x"]})
    assert elements["msg"].startswith("Elements value for option 'name' is of type str")


def test_cross_parameter_rules(tmp_path):
    spec = {"a": {}, "b": {}, "c": {}, "state": {"default": "present"}}
    assert run_spec(tmp_path, spec, {"a": 1, "b": 2}, mutually_exclusive=[["a", "b"]])["msg"] == \
        "parameters are mutually exclusive: a|b"
    assert run_spec(tmp_path, spec, {"a": 1}, required_together=[["a", "b"]])["msg"] == \
        "parameters are required together: a, b"
    assert run_spec(tmp_path, spec, {}, required_one_of=[["a", "b"]])["msg"] == \
        "one of the following is required: a, b"
    assert run_spec(tmp_path, spec, {}, required_if=[["state", "present", ["a", "c"]]])["msg"] == \
        "state is present but all of the following are missing: a, c"
    assert run_spec(tmp_path, spec, {"a": "x"}, required_by={"a": ["b"]})["msg"] == \
        "missing parameter(s) required by 'a': b"
    assert "failed" not in run_spec(tmp_path, spec, {"a": 1, "c": 2}, required_if=[["state", "present", ["a", "c"]]])


def test_suboptions(tmp_path):
    spec = {"users": {"type": "list", "elements": "dict",
                      "options": {"name": {"required": True}, "uid": {"type": "int", "default": 7}}}}
    good = run_spec(tmp_path, spec, {"users": [{"name": "a"}, {"name": "b", "uid": "9"}]})
    assert good["params"]["users"] == [{"name": "a", "uid": 7}, {"name": "b", "uid": 9}]
    bad = run_spec(tmp_path, spec, {"users": [{"uid": 1}]})
    assert bad["msg"] == "missing required arguments: name found in users"   # as ansible-core 2.21 says


def test_no_log_values_are_censored_everywhere(tmp_path):
    path = tmp_path / "secret.py"
    path.write_text(
        "from corral.module_utils.basic import AnsibleModule\n"
        "m = AnsibleModule(argument_spec=dict(password=dict(no_log=True), user=dict()))\n"
        "m.exit_json(echo='user %s pw %s' % (m.params['user'], m.params['password']))\n")
    payload = build_module_payload(ModuleSpec("secret", str(path)), {"password": "hunter22", "user": "bob"})
    proc = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=60)
    assert b"hunter22" not in proc.stdout
    result = parse_module_output(proc.returncode, proc.stdout, proc.stderr)
    assert result["invocation"]["module_args"] == {"password": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER",
                                                   "user": "bob"}
    assert result["echo"] == "user bob pw ********"


def test_check_mode_unsupported_is_skipped(tmp_path):
    path = tmp_path / "nocheck.py"
    path.write_text("from corral.module_utils.basic import AnsibleModule\n"
                    "AnsibleModule(argument_spec={}).exit_json(changed=True)\n")
    payload = build_module_payload(ModuleSpec("nocheck", str(path)), {}, check_mode=True)
    proc = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=60)
    result = parse_module_output(proc.returncode, proc.stdout, proc.stderr)
    assert result["skipped"] is True
    assert result["msg"] == "remote module (nocheck) does not support check mode"


_FILES = """
import os
from corral.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec=dict(path=dict(type='path'), content=dict()), add_file_common_args=True,
                  supports_check_mode=True)
p = m.params
diff = {}
changed = False
if not m.check_mode:
    tmp = os.path.join(m.tmpdir, 'new')
    with open(tmp, 'w') as handle:
        handle.write(p['content'])
    m.atomic_move(tmp, p['path'])
    changed = True
changed = m.set_fs_attributes_if_different(m.load_file_common_arguments(p), changed, diff)
rc, out, err = m.run_command(['cat', p['path']])
rc2, out2, _ = m.run_command('echo $0 | tr a-z A-Z', use_unsafe_shell=True)
m.exit_json(changed=changed, diff=diff, cat=out, shell=out2, sha1=m.sha1(p['path']), tmp=m.tmpdir)
"""


def test_atomic_move_keeps_mode_and_file_attributes(tmp_path):
    module = tmp_path / "files.py"
    module.write_text(_FILES)
    target = tmp_path / "target"
    target.write_text("old")
    os.chmod(target, 0o640)

    def run(args, check=False):
        payload = build_module_payload(ModuleSpec("files", str(module)), args, check_mode=check, diff=True)
        proc = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=60)
        return parse_module_output(proc.returncode, proc.stdout, proc.stderr)

    result = run({"path": str(target), "content": "new"})
    assert target.read_text() == "new" and result["cat"] == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640, "atomic_move keeps the mode of the file it replaces"
    assert result["shell"].strip() == "/BIN/SH"
    assert result["sha1"] == "c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc"
    assert not os.path.exists(result["tmp"])

    checked = run({"path": str(target), "mode": "u=rwx,g-r,o+r", "setype": "etc_t"}, check=True)
    assert checked["changed"] is True
    assert checked["diff"]["before"]["mode"] == "0640" and checked["diff"]["after"]["mode"] == "0704"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640, "check mode changes nothing"

    run({"path": str(target), "content": "new", "mode": "0600", "owner": str(os.getuid())})
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    bad = run({"path": str(target), "content": "x", "owner": "no-such-user-xyz"})
    assert bad["failed"] is True and "no-such-user-xyz" in bad["msg"]


def test_env_fallback_and_no_log_module_setting(tmp_path):
    path = tmp_path / "fallback.py"
    path.write_text(
        "from corral.module_utils.basic import AnsibleModule, env_fallback\n"
        "m = AnsibleModule(argument_spec=dict(token=dict(fallback=(env_fallback, ['CORRAL_TEST_TOKEN'])),\n"
        "                                     other=dict(fallback=(env_fallback, ['CORRAL_UNSET_VAR_XYZ']))))\n"
        "m.exit_json(token=m.params['token'], other=m.params['other'], no_log=m.no_log)\n")
    payload = build_module_payload(ModuleSpec("fallback", str(path)), {}, no_log=True)
    env = dict(os.environ, CORRAL_TEST_TOKEN="from-env")
    env.pop("CORRAL_UNSET_VAR_XYZ", None)
    proc = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=60, env=env)
    result = parse_module_output(proc.returncode, proc.stdout, proc.stderr)
    assert result["token"] == "from-env" and result["other"] is None and result["no_log"] is True
