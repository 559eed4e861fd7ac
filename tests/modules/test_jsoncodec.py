"""``corral.module_utils._jsoncodec`` gives json's text, values and errors, and a
module started by a fresh interpreter imports neither json nor re."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from corral.module_utils import _jsoncodec

VALUES = [{"a": [1, 2.5, None, True, False, "é☃\ud800\n\"q\""], "b": {"x": "y", "1": []}},
          "text", 3, -0.0, 1e300, [], {}, {1: 2, None: 3}]


@pytest.mark.parametrize("value", VALUES)
def test_dumps_is_json_dumps(value):
    assert _jsoncodec.dumps(value) == json.dumps(value)
    assert _jsoncodec.dumps(value, default=str) == json.dumps(value, default=str)


def test_dumps_calls_default_and_refuses_as_json():
    value = {"set": {1}, "bytes": b"x"}
    assert _jsoncodec.dumps(value, default=repr) == json.dumps(value, default=repr)
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        _jsoncodec.dumps({1})
    nan = _jsoncodec.loads(_jsoncodec.dumps(float("nan")))
    assert math.isnan(nan)


@pytest.mark.parametrize("text", ['{"a": [1, 2.5e3, -Infinity, null, true, "\\u00e9"]} ', " 1 ", '"x"', "[]\n",
                                  '{"a": 1, "a": 2}'])
def test_loads_is_json_loads(text):
    assert repr(_jsoncodec.loads(text)) == repr(json.loads(text))


@pytest.mark.parametrize("text", ["", "{", "1 2", "\ufeff1", "[1,]", "nan"])
def test_loads_fails_with_jsons_error(text):
    with pytest.raises(json.JSONDecodeError) as ours:
        _jsoncodec.loads(text)
    with pytest.raises(json.JSONDecodeError) as theirs:
        json.loads(text)
    assert str(ours.value) == str(theirs.value)


def test_the_runtime_library_starts_without_json_or_re(tmp_path):
    from corral.executor.module_payload import _library_sources
    code = ("import sys\nimport corral.module_utils.basic as b\n"
            "print(sorted(m for m in ('json', 're', 'traceback', 'linecache') if m in sys.modules))\n"
            "print(b.jsonify({'k': [1, b'v']}))\n")
    root = tmp_path / "lib"
    for name, (package, source) in _library_sources().items():
        path = root.joinpath(*name.split("."))
        path = path / "__init__.py" if package else path.with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(root)}, check=True).stdout
    assert out == '[]\n{"k": [1, "v"]}\n'
