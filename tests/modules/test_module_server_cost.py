"""A module server's costs on the target: the runtime library compiled by the
controller, the library's rarely used imports deferred, and what a child compiled
learned only when another module comes."""
from __future__ import annotations

import marshal
import subprocess
import sys
import zlib
from importlib.util import MAGIC_NUMBER
from pathlib import Path

from corral.executor.module_payload import build_module_payload, parse_module_output, precompiled_library
from corral.executor.module_server import ModuleServer, server_command
from corral.plugins.module import ModuleSpec

from .local_server_process import LocalServerProcess


def _spec(tmp_path: Path, source: str) -> ModuleSpec:
    path = tmp_path / "probe.py"
    path.write_text(source)
    return ModuleSpec("probe", str(path), "tests")


# reports, from the server's own state (its compile hook's globals), the library files it
# holds compiled by the controller and those it learned because a child compiled them;
# and which of the deferred imports ran
_PROBE = """\
import sys
from ansible.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec={'fail': {'type': 'bool', 'default': False}})
lazy = sorted(name for name in ('subprocess', 'tempfile', 'hashlib', 'shutil', 'shlex') if name in sys.modules)
if m.params['fail']:
    import traceback
    import corral.module_utils.basic as basic
    try:
        basic.no_such_function()
    except AttributeError:
        m.fail_json(msg='the traceback', text=traceback.format_exc())
server = sys.modules['__corral_server__'].compile.__globals__
m.exit_json(lazy=lazy, precompiled=sorted(key[0] for key in server['_precompiled']),
            learned=sorted(key[0] for key in server['_compiled']))
"""
_BASIC = "<payload>/corral/module_utils/basic.py"


def _serve(tmp_path: Path, precompiled: bytes, payloads: list[bytes]) -> list[dict]:
    server = ModuleServer(LocalServerProcess(server_command(sys.executable)), precompiled)
    try:
        return [parse_module_output(*server.run(payload)) for payload in payloads]
    finally:
        server.close()


def test_the_library_compiled_by_the_controller_is_used_when_the_magic_number_matches(tmp_path):
    payload = build_module_payload(_spec(tmp_path, _PROBE), {})
    first, second = _serve(tmp_path, precompiled_library(), [payload, payload])
    assert first.get("failed") is not True, first
    assert _BASIC in first["precompiled"]
    assert _BASIC not in second["learned"], "no child compiled the library"
    assert first["lazy"] == [], "a module that runs no command imports none of the deferred modules"


def test_another_magic_number_is_ignored_and_the_library_is_compiled_on_the_target(tmp_path):
    magic, entries = marshal.loads(zlib.decompress(precompiled_library()))
    assert magic == MAGIC_NUMBER
    foreign = zlib.compress(marshal.dumps((b"\0\0\r\n", entries)))
    payload = build_module_payload(_spec(tmp_path, _PROBE), {})
    first, second = _serve(tmp_path, foreign, [payload, payload])
    assert first.get("failed") is not True, first
    assert first["precompiled"] == []
    assert first["learned"] == [], "what the first child compiled is learned only when a second module comes"
    assert _BASIC in second["learned"]


def test_a_traceback_through_the_precompiled_library_shows_its_source_lines(tmp_path):
    result, = _serve(tmp_path, precompiled_library(), [build_module_payload(_spec(tmp_path, _PROBE), {"fail": True})])
    assert result["failed"] is True
    assert "basic.no_such_function()" in result["text"]
    assert "AttributeError" in result["text"]


def test_deferred_imports_load_on_first_use(tmp_path):
    spec = _spec(tmp_path, (
        "import sys\n"
        "from ansible.module_utils.basic import AnsibleModule\n"
        "m = AnsibleModule(argument_spec={})\n"
        "before = 'subprocess' in sys.modules\n"
        "rc, out, err = m.run_command(['echo', 'hi'])\n"
        "m.exit_json(before=before, out=out, sha=m.sha1(sys.executable) is not None)\n"))
    proc = subprocess.run([sys.executable, "-"], input=build_module_payload(spec, {}), capture_output=True, timeout=60)
    result = parse_module_output(proc.returncode, proc.stdout, proc.stderr)
    assert result == {**result, "before": False, "out": "hi\n", "sha": True}, result
