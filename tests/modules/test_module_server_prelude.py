"""A module server given the payloads' library prelude: it runs the prelude and
imports the runtime library once, each module's child gets only the rest of its
payload, and modules stay isolated from each other (a child is a fork: what one
module changes in the library, the environment or ``sys.modules`` dies with it)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from corral.executor.module_payload import (build_module_payload, library_prelude, parse_module_output,
                                            precompiled_library)
from corral.executor.module_server import ModuleServer, server_command
from corral.plugins.module import ModuleSpec

from .local_server_process import LocalServerProcess


def _spec(tmp_path: Path, name: str, source: str) -> ModuleSpec:
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    return ModuleSpec(name, str(path), "tests")


def _serve(payloads: list[bytes], environments: list[dict[str, str]] | None = None
           ) -> tuple[list[dict], list[int]]:
    """Run ``payloads`` one after the other on one server given the prelude; their
    results and the sizes of what was written to the server (its start, then one
    request per payload)."""
    process = LocalServerProcess(server_command(sys.executable))
    server = ModuleServer(process, precompiled_library(), library_prelude())
    try:
        results = [parse_module_output(*server.run(payload, (environments or [{}] * len(payloads))[index]))
                   for index, payload in enumerate(payloads)]
    finally:
        server.close()
    return results, process.written


# changes everything a module could leave behind in a warm interpreter, and reports
# whether it found any such change left by an earlier module
_MEDDLER = """\
import os, sys
import corral.module_utils.basic as basic
from corral.module_utils import warnings
from ansible.module_utils.basic import AnsibleModule
found = {
    "library attribute": hasattr(basic, "meddled"),
    "library table": "meddled" in basic.FILE_COMMON_ARGUMENTS,
    "warnings": list(warnings._warnings),
    "environment": os.environ.get("MEDDLED"),
    "module": "meddled_module" in sys.modules,
    "argv": sys.argv[1:],
}
basic.meddled = True
basic.FILE_COMMON_ARGUMENTS["meddled"] = {"type": "str"}
warnings.warn("left behind")
os.environ["MEDDLED"] = "1"
sys.modules["meddled_module"] = basic
sys.argv.append("meddled")
m = AnsibleModule(argument_spec={})
server = sys.modules.get("__corral_server__")
m.exit_json(found=found, pid=os.getpid(), variable=os.environ.get("TASK_VARIABLE"),
            prelude_in_server=server is not None and server.compile.__globals__["_prelude_ns"] is not None)
"""


def test_modules_on_a_server_with_the_prelude_do_not_see_each_others_changes(tmp_path):
    payload = build_module_payload(_spec(tmp_path, "meddler", _MEDDLER), {})
    results, _ = _serve([payload, payload, payload], [{"TASK_VARIABLE": "a"}, {}, {"TASK_VARIABLE": "c"}])
    clean = {"library attribute": False, "library table": False, "warnings": [], "environment": None,
             "module": False, "argv": []}
    for result in results:
        assert result.get("failed") is not True, result
        assert result["found"] == clean
        assert result["prelude_in_server"] is True
        assert result["warnings"] == ["left behind"]
    assert [result["variable"] for result in results] == ["a", None, "c"]
    assert len({result["pid"] for result in results}) == 3, "each module runs in a process of its own"


def test_the_library_prelude_travels_once_per_server(tmp_path):
    prelude = library_prelude()
    first = build_module_payload(_spec(tmp_path, "one", _MEDDLER), {})
    second = build_module_payload(_spec(tmp_path, "two", _MEDDLER), {"_ansible_check_mode": True})
    assert first.startswith(prelude) and second.startswith(prelude)
    results, written = _serve([first, second])
    assert all(result.get("failed") is not True for result in results), results
    start, *requests = written
    assert start > len(prelude), "the server is sent the prelude when it starts"
    assert len(requests) == 2
    for request, payload in zip(requests, (first, second)):
        assert request < len(payload) - len(prelude) + 200, "a request carries the payload without its prelude"


def test_a_whole_program_runs_as_in_a_fresh_interpreter(tmp_path):
    """A payload that does not begin with the prelude (a script module's, an async
    wrapper's) finds neither the prelude's importer nor its imported library."""
    program = (b"import json, sys\n"
               b"print(json.dumps({'library': sorted(n for n in sys.modules if n.startswith('corral')),"
               b" 'importers': [type(f).__name__ for f in sys.meta_path if 'Payload' in type(f).__name__]}))\n")
    module = build_module_payload(_spec(tmp_path, "probe", _MEDDLER), {})
    results, _ = _serve([module, program, module])
    assert results[0].get("failed") is not True, results[0]
    assert results[1] == {"library": [], "importers": []}
    assert results[2]["found"]["library attribute"] is False


def test_a_traceback_through_the_imported_library_shows_its_source_lines(tmp_path):
    source = ("import traceback\n"
              "import corral.module_utils.basic as basic\n"
              "m = basic.AnsibleModule(argument_spec={})\n"
              "try:\n"
              "    basic.jsonify(object(), default=None, no_such_keyword=True)\n"
              "except TypeError:\n"
              "    m.fail_json(msg='the traceback', text=traceback.format_exc())\n")
    results, _ = _serve([build_module_payload(_spec(tmp_path, "crash", source), {})])
    result, = results
    assert result["failed"] is True
    assert 'File "<payload>/corral/module_utils/basic.py"' in result["text"]
    assert "return json.dumps(data, default=_json_default, **kwargs)" in result["text"]
    assert "TypeError" in result["text"]


def test_a_payload_runs_the_same_with_python_dash_and_on_the_server(tmp_path):
    """The prelude and the rest make one program: ``python3 -`` runs it whole."""
    payload = build_module_payload(_spec(tmp_path, "meddler", _MEDDLER), {})
    direct = subprocess.run([sys.executable, "-"], input=payload, capture_output=True, timeout=60)
    result = parse_module_output(direct.returncode, direct.stdout, direct.stderr)
    (served,), _ = _serve([payload])
    assert result["found"] == served["found"]
    assert result["warnings"] == served["warnings"] == ["left behind"]
    assert (result["prelude_in_server"], served["prelude_in_server"]) == (False, True)
