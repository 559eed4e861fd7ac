"""Module payloads: the one Python program sent to a target to run a module.

:func:`build_module_payload` returns the source of a self-contained Python 3 program
that a connection feeds to the target's ``python3 -`` (pipelining: nothing is written
on the target).  The program carries, compressed, the module's source and the
runtime library :mod:`corral.module_utils`; an in-memory importer placed first on
``sys.meta_path`` serves the library (winning over any corral installed on the
target) and makes ``ansible.module_utils.*`` an alias of ``corral.module_utils.*``,
so simple Ansible modules run unchanged.  The program prints the module's one JSON
result on stdout.  It begins with the library prelude (:func:`library_prelude`,
the same bytes for every module), which a module server runs once and is then
not sent again.

:func:`parse_module_output` turns what came back (rc, stdout, stderr) into the
task's result dict, or into Ansible's "MODULE FAILURE" result when there is no JSON
(the module crashed, printed garbage or was killed).

Building is on the per-task, per-host path: the compressed library is made once per
process, each module's compressed source once per file version.
"""
from __future__ import annotations

import base64
import functools
import json
import marshal
import os
import random
import shlex
import time
import zlib
from pathlib import Path
from typing import Any, Callable, TypedDict

from corral.executor.module_imports import Roots, bundled_sources
from corral.plugins.module import ModuleSpec

__all__ = ["build_module_payload", "library_prelude", "precompiled_library", "parse_module_output", "execute_async",
           "poll_async_job", "new_async_jid", "MODULE_FAILURE_MSG", "ModuleSettings"]

MODULE_FAILURE_MSG = "MODULE FAILURE\nSee stdout/stderr for the exact error"

_LIBRARY_PACKAGE = "corral.module_utils"

# The program run on the target, in two parts: the library prelude, the same for
# every module (the runtime library's sources and the importer that serves them),
# then the module's own part.  It must work on any Python 3.7+ with the standard
# library only; %-placeholders are filled with Python literals.
_PRELUDE = r'''# corral module payload: the runtime library
# (no json, linecache or traceback here: with what they import, re among them, they
# are most of a small module's start on the target; they load when first used)
import binascii, marshal, os, sys, zlib
from importlib.machinery import ModuleSpec, PathFinder

_SOURCES = marshal.loads(zlib.decompress(binascii.a2b_base64(%(library)r)))
_REAL, _ALIAS = "corral.module_utils", "ansible.module_utils"
_LINES = {}  # filename: source, for linecache when something first imports it


def _remember_lines(cache, filename, source):
    cache[filename] = (len(source), None, source.splitlines(True), filename)


def _run(source, filename, namespace):
    """Execute ``source`` as ``filename``, whose lines tracebacks can then show."""
    linecache = sys.modules.get("linecache")
    if linecache is None:
        _LINES[filename] = source
    else:
        _remember_lines(linecache.cache, filename, source)
    server = sys.modules.get("__corral_server__")  # a module server's compile cache
    exec((server.compile if server is not None else compile)(source, filename, "exec"), namespace)


def _excepthook(*info):
    """Print an uncaught exception with the payload's source lines."""
    import traceback
    traceback.print_exception(*info)


class _PayloadImporter:
    """Serves corral.module_utils from this payload; ansible.module_utils is an alias.
    (A finder and loader by duck typing: importing importlib.abc costs milliseconds.)"""

    def __init__(self):
        self._real_specs = {}

    def _real_name(self, name):
        if name == _ALIAS or name.startswith(_ALIAS + "."):
            return _REAL + name[len(_ALIAS):]
        return None

    def find_spec(self, name, path=None, target=None):
        if name == "linecache" and path is None:
            return self._linecache_spec()
        if name in _SOURCES:
            package = _SOURCES[name][0]
            spec = ModuleSpec(name, self, is_package=package, origin="<payload>/" + name.replace(".", "/")
                              + ("/__init__.py" if package else ".py"))
            spec.has_location = True  # __file__, which some module_utils read at import
            return spec
        if name == "ansible":
            return ModuleSpec(name, self, is_package=True)
        real = self._real_name(name)
        if real in _SOURCES:
            return ModuleSpec(name, self, is_package=_SOURCES[real][0])
        return None

    @staticmethod
    def _linecache_spec():
        """The standard ``linecache``, given the payload's source lines when it loads."""
        spec = PathFinder.find_spec("linecache")
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        load = loader.exec_module

        def exec_module(module):
            load(module)
            for filename, source in _LINES.items():
                _remember_lines(module.cache, filename, source)
            _LINES.clear()
        loader.exec_module = exec_module
        return spec

    def create_module(self, spec):
        real = self._real_name(spec.name)
        if real is None or spec.name in _SOURCES:  # the bundle's own modules win over the alias
            return None
        module = __import__(real, fromlist=["_"])
        self._real_specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module):
        name = module.__spec__.name
        if name in self._real_specs:
            module.__spec__ = self._real_specs.pop(name)
            return
        if name == "ansible":
            return
        _run(_SOURCES[name][1], module.__spec__.origin, module.__dict__)

    def get_source(self, name):
        return _SOURCES[name][1] if name in _SOURCES else None


sys.meta_path.insert(0, _PayloadImporter())
'''

_MODULE_PART = r'''# corral module payload: %(name)s
_SOURCES.update(marshal.loads(zlib.decompress(binascii.a2b_base64(%(bundle)r))))
sys.excepthook = _excepthook  # shows the payload's source lines

# The payload came on stdin: neither the module nor its commands may read the rest.
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
sys.stdin = open(os.devnull)

if %(rlimit_nofile)d > 0:     # ansible_python_module_rlimit_nofile: the soft limit, at most the hard one
    import resource
    _soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    _want = %(rlimit_nofile)d if _hard == resource.RLIM_INFINITY else min(%(rlimit_nofile)d, _hard)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (_want, _hard))
    except (ValueError, OSError):
        pass

import corral.module_utils.basic as _basic

_basic._ANSIBLE_ARGS = %(args)r.encode("utf-8")
_MODULE_FILE = %(module_file)r
sys.argv = [_MODULE_FILE]
_module_source = zlib.decompress(binascii.a2b_base64(%(module)r)).decode("utf-8")
_basic._PAYLOAD = (_SOURCES, _module_source, _MODULE_FILE)
# the module is sys.modules["__main__"], as when Python runs a script (sys.modules[__name__] finds it)
_main = type(sys)("__main__")
_main.__dict__.update(__file__=_MODULE_FILE, __builtins__=__builtins__, __package__=%(package)r or None)
sys.modules["__main__"] = _main
del _null
try:
    _run(_module_source, _MODULE_FILE, _main.__dict__)
except Exception as _exc:
    # as ansible-core 2.21: the task fails with the exception's text (its default traceback
    # setting keeps the traceback out of the result)
    import json
    _text = str(_exc)
    print(json.dumps({"failed": True, "changed": False, "exception": "(traceback unavailable)",
                      "msg": "Task failed: Module failed: " + _text if _text else "Task failed: Module failed."}))
    sys.stdout.flush()
    sys.exit(1)
'''


# The program for a module that is not a Python program of corral's kind (``style``
# want_json, old, binary): it writes the module and its arguments file into a
# private temporary directory, runs the module on them and passes on its output.
_SCRIPT_BOOTSTRAP = r'''# corral module payload (%(style)s): %(name)s
import binascii, os, shutil, subprocess, sys, tempfile, zlib

_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
_tmp = os.path.expanduser(%(remote_tmp)r) if %(remote_tmp)r else None
if _tmp:
    os.makedirs(_tmp, mode=0o700, exist_ok=True)
_dir = tempfile.mkdtemp(prefix="corral-module-", dir=_tmp)
try:
    _module = os.path.join(_dir, %(filename)r)
    with open(_module, "wb") as _handle:
        _handle.write(zlib.decompress(binascii.a2b_base64(%(module)r)))
    os.chmod(_module, 0o700)
    _args = os.path.join(_dir, "args")
    with open(_args, "w") as _handle:
        _handle.write(%(args)r)
    with open(_module, "rb") as _handle:
        _first = _handle.readline()
    _cmd = [_module, _args]
    if _first.startswith(b"#!") and b"python" in _first:
        _cmd.insert(0, sys.executable)
    _done = subprocess.run(_cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sys.stdout.buffer.write(_done.stdout)
    sys.stderr.buffer.write(_done.stderr)
    _rc = _done.returncode
finally:
    shutil.rmtree(_dir, ignore_errors=True)
sys.stdout.flush()
sys.exit(_rc)
'''


# The program for ``async``: it starts the module in a daemon and reports the job at
# once; the daemon runs the ordinary payload with a time limit and writes the
# module's result to ~/.ansible_async/JID, where ``async_status`` reads it.
_ASYNC_BOOTSTRAP = r'''# corral async module payload: %(name)s
import binascii, json, os, signal, subprocess, sys, time, zlib

JID, LIMIT = %(jid)r, %(limit)r
ASYNC_DIR = os.path.expanduser(%(async_dir)r)
RESULTS = os.path.join(ASYNC_DIR, JID)


def _write(data):
    tmp = RESULTS + ".tmp"
    with open(tmp, "w") as handle:
        json.dump(data, handle)
    os.rename(tmp, RESULTS)


def _parse(out):
    # the module's JSON object; text after it is dropped with a warning (as Ansible's wrapper does)
    text = out.decode("utf-8", "replace")
    for index, char in enumerate(text):
        if char == "{" and (index == 0 or text[index - 1] == "\n"):
            try:
                data, end = json.JSONDecoder().raw_decode(text, index)
            except ValueError:
                continue
            if isinstance(data, dict):
                trailing = text[end:].split("\n", 1)[1].splitlines() if "\n" in text[end:] else []
                if any(line.strip() for line in trailing):
                    warnings = data.get("warnings") or []
                    data["warnings"] = (warnings if isinstance(warnings, list) else [warnings]) + [
                        "Module invocation had junk after the JSON data: %%s" %% "\n".join(trailing)]
                return data
    return None


def _daemon():
    payload = zlib.decompress(binascii.a2b_base64(%(payload)r))
    proc = subprocess.Popen([sys.executable, "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    _write({"started": True, "finished": False, "ansible_job_id": JID, "child_pid": proc.pid})
    try:
        out, err = proc.communicate(payload, timeout=LIMIT if LIMIT > 0 else None)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        _write({"failed": True, "finished": True, "started": True, "ansible_job_id": JID, "changed": False,
                "msg": "Job reached maximum time limit of %%s seconds." %% LIMIT})
        return
    result = _parse(out)
    if result is None:
        result = {"failed": True, "changed": False, "rc": proc.returncode,
                  "msg": "MODULE FAILURE\nSee stdout/stderr for the exact error",
                  "module_stdout": out.decode("utf-8", "replace"), "module_stderr": err.decode("utf-8", "replace")}
    if err:
        result["stderr"] = err.decode("utf-8", "replace")
    result.update(finished=True, started=True, ansible_job_id=JID)
    _write(result)


os.makedirs(ASYNC_DIR, exist_ok=True)
_write({"started": True, "finished": False, "ansible_job_id": JID})
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        # no other inherited descriptor (a module server's result pipe) may keep the
        # controller waiting for the job's end
        os.closerange(3, 1 << 16)
        try:
            _daemon()
        finally:
            os._exit(0)
    os._exit(0)
os.wait()
print(json.dumps({"started": True, "finished": False, "ansible_job_id": JID, "results_file": RESULTS,
                  "changed": True}))
'''


def _compress(text: str) -> str:
    """``text`` deflated, in base64: decoded on the target by ``binascii`` in C, where
    ``base64.b85decode`` (pure Python) took about 20 ms of the target's CPU per module."""
    return _compress_bytes(text.encode("utf-8"))


def _compress_bytes(data: bytes) -> str:
    """``data`` deflated, in base64 (see :func:`_compress`)."""
    return base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def _compress_sources(sources: dict[str, list[Any]]) -> str:
    """``{module name: [is_package, source]}`` as marshal (version 4: any Python 3.4+
    reads it, without importing json and re on the target), deflated, in base64."""
    return base64.b64encode(zlib.compress(marshal.dumps(sources, 4), 6)).decode("ascii")


@functools.lru_cache(maxsize=1)
def _library_sources() -> dict[str, list[Any]]:
    """The sources of ``corral.module_utils`` (and its ``corral`` parent, empty):
    ``{module name: [is_package, source]}``; read once per process."""
    root = Path(__file__).resolve().parent.parent / "module_utils"
    sources: dict[str, list[Any]] = {"corral": [True, '"""corral, as shipped inside a module payload."""\n']}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).with_suffix("")
        parts = list(relative.parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        name = ".".join([_LIBRARY_PACKAGE, *parts])
        sources[name] = [is_package, path.read_text(encoding="utf-8")]
    return sources


@functools.lru_cache(maxsize=1)
def _library_blob() -> str:
    """The library's sources compressed (marshal); built once per process."""
    return _compress_sources(dict(sorted(_library_sources().items())))


@functools.lru_cache(maxsize=1)
def library_prelude() -> bytes:
    """The first part of every Python module payload this process builds: the
    runtime library's sources and the importer that serves them (and makes
    ``ansible.module_utils`` an alias), identical for every module.  A module server
    given it at start (:class:`corral.executor.module_server.ModuleServer`) runs it
    once and imports the library, and is then sent only what follows it in a
    payload.  Built once per process."""
    return (_PRELUDE % {"library": _library_blob()}).encode("utf-8")


@functools.lru_cache(maxsize=1)
def precompiled_library() -> bytes:
    """The runtime library compiled by this interpreter, for a module server
    (:class:`corral.executor.module_server.ModuleServer`): zlib-compressed marshal of
    ``(importlib's MAGIC_NUMBER, {(filename, "exec", length, crc32): marshalled code})``
    where filename is the one the payload compiles the module under and length and
    crc32 are those of its UTF-8 source.  A target whose Python has another magic
    number ignores it.  Built once per process."""
    from importlib.util import MAGIC_NUMBER
    entries: dict[tuple[str, str, int, int], bytes] = {}
    for name, (is_package, source) in _library_sources().items():
        filename = "<payload>/" + name.replace(".", "/") + ("/__init__.py" if is_package else ".py")
        data = source.encode("utf-8", "surrogateescape")
        code = compile(source, filename, "exec", dont_inherit=True, optimize=0)
        entries[(filename, "exec", len(data), zlib.crc32(data))] = marshal.dumps(code)
    return zlib.compress(marshal.dumps((MAGIC_NUMBER, entries)), 6)


@functools.lru_cache(maxsize=512)
def _module_blob(path: str, mtime_ns: int, size: int) -> str:
    """The compressed content of the module at ``path`` (keyed by its version)."""
    with open(path, "rb") as handle:
        return base64.b64encode(zlib.compress(handle.read(), 6)).decode("ascii")


@functools.lru_cache(maxsize=512)
def _bundle_blob(path: str, mtime_ns: int, size: int, roots: Roots, package: str) -> str:
    """The compressed sources the module at ``path`` (run in ``package``) imports from
    ``roots`` (keyed by the module's version; the roots' files are read when the
    module first runs)."""
    if not roots:
        return _EMPTY_BUNDLE
    with open(path, encoding="utf-8") as handle:
        return _compress_sources(dict(sorted(bundled_sources(handle.read(), path, roots, package).items())))


_EMPTY_BUNDLE = _compress_sources({})


def _script_args(style: str, module_args: dict[str, Any]) -> str:
    """The arguments file of a script module: JSON, or ``key=value`` pairs (``old``)."""
    if style == "old":
        return " ".join(f"{key}={shlex.quote(str(value))}" for key, value in module_args.items())
    return json.dumps(module_args, default=_json_default)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, bytes):
        return obj.decode("utf-8", "surrogateescape")
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    return str(obj)


class ModuleSettings(TypedDict, total=False):
    """The task's settings a module payload carries (keywords of :func:`build_module_payload`)."""

    check_mode: bool
    diff: bool
    no_log: bool
    verbosity: int
    remote_tmp: str | None
    rlimit_nofile: int


def build_module_payload(spec: ModuleSpec, args: dict, *, check_mode: bool = False, diff: bool = False,
                         no_log: bool = False, verbosity: int = 0, remote_tmp: str | None = None,
                         rlimit_nofile: int = 0,
                         async_jid: str | None = None, async_limit: int = 0,
                         async_dir: str = "~/.ansible_async") -> bytes:
    """Return the program that runs module ``spec`` with ``args`` on the target.

    Feed the bytes to the target's ``python3 -``; it prints the module's JSON result
    on stdout.  The engine's settings go in as Ansible's internal arguments
    (``_ansible_check_mode``, ``_ansible_diff``, ``_ansible_no_log``,
    ``_ansible_verbosity``, ``_ansible_remote_tmp``, ``_ansible_module_name``...);
    keys of ``args`` starting with ``_ansible_`` are passed through as given.  A
    Python module runs with a soft open-files limit of ``rlimit_nofile`` (at most the
    hard limit) when it is above 0 (``ansible_python_module_rlimit_nofile``).

    With ``async_jid`` (a task's ``async``), the program instead starts the module
    as a background job limited to ``async_limit`` seconds and prints at once
    ``{"started": true, "finished": false, "ansible_job_id": JID, "results_file": ...}``;
    the job's result is written to ``async_dir/JID`` for the ``async_status``
    module (see :func:`poll_async_job`).
    """
    st = os.stat(spec.path)
    module_args = dict(args)
    module_args.setdefault("_ansible_check_mode", bool(check_mode))
    module_args.setdefault("_ansible_diff", bool(diff))
    module_args.setdefault("_ansible_no_log", bool(no_log))
    module_args.setdefault("_ansible_verbosity", int(verbosity))
    module_args.setdefault("_ansible_module_name", spec.name)
    module_args.setdefault("_ansible_version", "2.21.0")
    if remote_tmp:
        module_args.setdefault("_ansible_remote_tmp", remote_tmp)
    if spec.style != "python":
        program = (_SCRIPT_BOOTSTRAP % {
            "name": spec.name, "style": spec.style, "remote_tmp": remote_tmp or "",
            "filename": os.path.basename(spec.path), "args": _script_args(spec.style, module_args),
            "module": _module_blob(spec.path, st.st_mtime_ns, st.st_size),
        }).encode("utf-8")
    else:
        program = library_prelude() + (_MODULE_PART % {
            "name": spec.name,
            "bundle": _bundle_blob(spec.path, st.st_mtime_ns, st.st_size, spec.python_roots, spec.package),
            "package": spec.package,
            "rlimit_nofile": int(rlimit_nofile),
            "args": json.dumps({"ANSIBLE_MODULE_ARGS": module_args}, default=_json_default),
            "module_file": f"<corral module {spec.name}>",
            "module": _module_blob(spec.path, st.st_mtime_ns, st.st_size),
        }).encode("utf-8")
    if async_jid is None:
        return program
    wrapper = _ASYNC_BOOTSTRAP % {
        "name": spec.name, "jid": str(async_jid), "limit": int(async_limit), "async_dir": async_dir,
        "payload": _compress_bytes(program),
    }
    return wrapper.encode("utf-8")


def new_async_jid() -> str:
    """A fresh job id for an async task (``j<digits>.<pid>`` like Ansible's)."""
    return f"j{random.randint(0, 10**12)}.{os.getpid()}"


def poll_async_job(status: Callable[[], dict[str, Any]], async_limit: float, poll: float,
                   sleep: Callable[[float], None] = time.sleep,
                   on_poll: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Poll a started async job until it finishes or ``async_limit`` seconds pass.

    ``status()`` runs the ``async_status`` module for the job and returns its result;
    as in Ansible it is first called ``poll`` seconds after the start, then every
    ``poll`` seconds, and ``on_poll(result)`` sees each result of a job still running.
    Returns the job's final result (the module's result with ``finished``), or a
    failure when the time is up.
    """
    deadline = time.monotonic() + max(float(async_limit), 0)
    interval = max(float(poll), 0.05)
    while True:
        sleep(min(interval, max(deadline - time.monotonic(), 0.05)))
        result = status()
        if result.get("finished") or result.get("failed") and "finished" not in result:
            return result
        if time.monotonic() >= deadline:
            return {"failed": True, "changed": False, "finished": False,
                    "ansible_job_id": result.get("ansible_job_id"),
                    "msg": f"async task did not complete within the requested time - {async_limit}s"}
        if on_poll is not None:
            on_poll(result)


def execute_async(run_payload: Callable[[bytes], tuple[int, bytes, bytes]], spec: ModuleSpec, args: dict,
                  *, async_limit: int, poll: float, status: Callable[[str], dict[str, Any]],
                  cleanup: Callable[[str], Any] | None = None, sleep: Callable[[float], None] = time.sleep,
                  on_async: Callable[[str, dict[str, Any]], None] | None = None, **settings: Any) -> dict[str, Any]:
    """Run module ``spec`` as an ``async`` task and return the task's result.

    ``run_payload(payload) -> (rc, stdout, stderr)`` feeds a payload to the target's
    Python (the action's connection); ``status(jid)`` runs ``async_status`` for the
    job; ``cleanup(jid)`` (optional) runs it with ``mode=cleanup`` once the job is
    done.  With ``poll`` 0 the started job's result is returned at once (fire and
    forget); otherwise the job is polled every ``poll`` seconds for at most
    ``async_limit`` seconds, waiting with ``sleep``, and ``on_async(event, result)``
    (optional) gets ``async_poll`` for each poll of the running job, then
    ``async_ok`` or ``async_failed`` with the final result.  ``settings`` are
    :func:`build_module_payload`'s.
    """
    jid = new_async_jid()
    payload = build_module_payload(spec, args, async_jid=jid, async_limit=async_limit, **settings)
    started = parse_module_output(*run_payload(payload))
    if started.get("failed") or not poll or float(poll) <= 0:
        return started
    on_poll = None if on_async is None else (lambda running: on_async("async_poll", running))
    result = poll_async_job(lambda: status(jid), async_limit, poll, sleep, on_poll)
    if cleanup is not None and result.get("finished"):
        cleanup(jid)
    if on_async is not None:
        on_async("async_failed" if result.get("failed") else "async_ok", result)
    return result


def _decode(data: bytes | str | None) -> str:
    if data is None:
        return ""
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data


def _find_json(text: str) -> tuple[Any, str, str] | None:
    """Find the JSON object in ``text``: (object, junk before, junk after) or None."""
    decoder = json.JSONDecoder()
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.startswith("{"):
            start = offset + len(line) - len(stripped)
            try:
                obj, end = decoder.raw_decode(text, start)
            except ValueError:
                offset += len(line)
                continue
            return obj, text[:start], text[end:]
        offset += len(line)
    return None


def parse_module_output(rc: int, stdout: bytes, stderr: bytes) -> dict[str, Any]:
    """Turn a module run's exit status and output into its result dict.

    The result is the module's JSON object, with ``stdout_lines``/``stderr_lines``
    added where it has ``stdout``/``stderr``.  Text printed before or after the JSON
    is dropped with a warning, and so are the engine's reserved ``_ansible_*`` keys
    (a module may not set them: they would change censoring or display).  Without
    a JSON object (a crash, garbage, a kill) the result is Ansible's failure:
    ``failed``, ``msg`` = "MODULE FAILURE...", ``module_stdout``, ``module_stderr``,
    ``rc`` (and ``exception`` when stderr holds a Python traceback).
    """
    out_text = _decode(stdout)
    err_text = _decode(stderr)
    found = None
    stripped = out_text.strip()
    if stripped.startswith("{"):
        try:
            found = (json.loads(stripped), "", "")
        except ValueError:
            found = None
    if found is None:
        found = _find_json(out_text)
    if found is None or not isinstance(found[0], dict):
        failure: dict[str, Any] = {
            "failed": True, "msg": MODULE_FAILURE_MSG, "module_stdout": out_text,
            "module_stderr": err_text, "rc": rc, "changed": False,
        }
        if "Traceback (most recent call last)" in err_text:
            failure["exception"] = err_text
        return failure
    result, before, after = found
    warnings = []
    # the engine's own ``_ansible_*`` keys (no_log, verbosity, delegation, fact caching,
    # labels...) are set on the controller; a module (a host) may not choose them
    for key in [k for k in result if isinstance(k, str) and k.startswith("_ansible_")]:
        del result[key]
        warnings.append(f"Removed reserved key '{key}' from module result.")
    if before.strip():
        warnings.append(f"Module invocation had junk before the JSON data: {before.strip()}")
    if after.strip():
        warnings.append(f"Module invocation had junk after the JSON data: {after.strip()}")
    if warnings:
        result["warnings"] = list(result.get("warnings") or []) + warnings
    for key in ("stdout", "stderr"):
        if isinstance(result.get(key), str) and f"{key}_lines" not in result:
            result[f"{key}_lines"] = result[key].splitlines()
    return result
