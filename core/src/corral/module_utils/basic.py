"""``AnsibleModule``: what a module uses to read its arguments and report its result.

A module builds ``AnsibleModule(argument_spec=..., supports_check_mode=...)``, reads
``module.params``, does its work (``run_command``, ``atomic_move``, the file
attribute helpers) and ends with ``exit_json(changed=..., ...)`` or
``fail_json(msg=...)``, each of which prints one JSON object on stdout and exits.

The arguments arrive as JSON ``{"ANSIBLE_MODULE_ARGS": {...}}``: the payload sets
``_ANSIBLE_ARGS`` (bytes) before the module runs; a module run by hand reads a file
named on its command line, or stdin.  Keys starting with ``_ansible_`` are the
engine's settings (check mode, diff, no_log, verbosity, remote_tmp, module name).
"""
from __future__ import annotations

import atexit
import errno
import grp
import os
import pwd
import stat
import sys
import time

from corral.module_utils._lazy import lazy_module

# imported on first use: a module that runs no command and copies no file (ping, stat)
# does not pay for them on the target
hashlib = lazy_module("hashlib")
# json (and the re it imports) is a quarter of a small module's start: the library
# encodes and decodes with json's own accelerator (_jsoncodec); ``basic.json`` stays
# the module for modules that take it from here
json = lazy_module("json")
shlex = lazy_module("shlex")
shutil = lazy_module("shutil")
subprocess = lazy_module("subprocess")
tempfile = lazy_module("tempfile")
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Literal, NoReturn, overload

from corral.module_utils import _jsoncodec
from corral.module_utils._text import to_bytes, to_native, to_text
from corral.module_utils.arg_spec import boolean as _boolean, human_to_bytes, validate
from corral.module_utils.file_attrs import ModeError, format_mode, parse_mode
from corral.module_utils.common.process import get_bin_path as _find_executable
from corral.module_utils.files import path_info
from corral.module_utils import warnings as _run_warnings

__all__ = ["AnsibleModule", "AnsibleFallbackNotFound", "FILE_COMMON_ARGUMENTS", "env_fallback", "to_bytes",
           "to_native", "to_text", "human_to_bytes", "jsonify", "missing_required_lib", "remove_values"]

#: set by the payload before the module runs: ``{"ANSIBLE_MODULE_ARGS": {...}}`` as JSON bytes
_ANSIBLE_ARGS: bytes | None = None
#: set by the payload: ``(sources, module source, module file name)``, what it takes to run
#: the module again (``{module name: [is_package, source]}`` of the library and bundle)
_PAYLOAD: tuple[dict[str, list[Any]], str, str] | None = None

#: options every file-handling module accepts (``add_file_common_args=True``)
FILE_COMMON_ARGUMENTS: dict[str, dict[str, Any]] = {
    "mode": {"type": "raw"},
    "owner": {"type": "str"},
    "group": {"type": "str"},
    "seuser": {"type": "str"},
    "serole": {"type": "str"},
    "selevel": {"type": "str"},
    "setype": {"type": "str"},
    "attributes": {"type": "str", "aliases": ["attr"]},
    "unsafe_writes": {"type": "bool", "default": False},
}

#: the engine's internal arguments (``_ansible_X``) and the attribute each one sets
_PASS_VARS = {
    "check_mode": "check_mode", "diff": "_diff", "no_log": "no_log", "verbosity": "_verbosity",
    "debug": "_debug", "remote_tmp": "_remote_tmp", "tmpdir": "_tmpdir_arg", "module_name": "_name",
    "keep_remote_files": "_keep_remote_files", "version": "ansible_version",
    "string_conversion_action": "_string_conversion_action", "selinux_special_fs": "_selinux_special_fs",
    "syslog_facility": "_syslog_facility", "shell_executable": "_shell", "socket": "_socket_path",
    "target_log_info": "_target_log_info", "ignore_unknown_opts": "_ignore_unknown_opts",
}

_NO_LOG_PLACEHOLDER = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
_DEFAULT_PERM = 0o666


class AnsibleFallbackNotFound(LookupError):
    """Raised by an option's ``fallback`` function that has no value to give."""


def env_fallback(*names: str, **_kwargs: Any) -> str:
    """A ``fallback`` for an option: the first of the environment variables ``names`` set."""
    for name in names:
        if name in os.environ:
            return os.environ[name]
    raise AnsibleFallbackNotFound(names)


def missing_required_lib(library: str, reason: str | None = None, url: str | None = None) -> str:
    """The message for a Python library the module needs but the target lacks."""
    message = f"Failed to import the required Python library ({library}) on {os.uname()[1]}'s Python {sys.executable}."
    if reason:
        message += f" This is required {reason}."
    if url:
        message += f" See {url} for more info."
    return message + (" Please read the module documentation and install it in the appropriate location. If the "
                      "required library is installed, but Ansible is using the wrong Python interpreter, please "
                      "consult the documentation on ansible_python_interpreter")


def _json_default(obj: Any) -> Any:
    if isinstance(obj, bytes):
        return obj.decode("utf-8", "surrogateescape")
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if hasattr(obj, "isoformat"):  # dates and times, without importing datetime
        return obj.isoformat()
    return str(obj)


def jsonify(data: Any, **kwargs: Any) -> str:
    """``data`` as JSON; bytes, sets and dates are converted rather than refused."""
    if kwargs:
        return json.dumps(data, default=_json_default, **kwargs)
    return _jsoncodec.dumps(data, default=_json_default)


def remove_values(value: Any, no_log_values: set[str]) -> Any:
    """Return ``value`` with every ``no_log`` value hidden, as Ansible does: a string
    equal to one becomes ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER``, an occurrence inside
    a longer string becomes ``********``."""
    if not no_log_values:
        return value
    if isinstance(value, dict):
        return {key: remove_values(item, no_log_values) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [remove_values(item, no_log_values) for item in value]
    if isinstance(value, (str, bytes)):
        text = to_text(value)
        if text in no_log_values:
            return _NO_LOG_PLACEHOLDER
        for secret in no_log_values:
            text = text.replace(secret, "*" * 8)
        return text
    if isinstance(value, (int, float)) and not isinstance(value, bool) and str(value) in no_log_values:
        return _NO_LOG_PLACEHOLDER
    return value


def _load_params() -> dict[str, Any]:
    """Read ``{"ANSIBLE_MODULE_ARGS": {...}}`` from the payload, a file argument or stdin."""
    if _ANSIBLE_ARGS is not None:
        raw = _ANSIBLE_ARGS
    elif len(sys.argv) > 1:
        with open(sys.argv[1], "rb") as handle:
            raw = handle.read()
    else:
        raw = sys.stdin.buffer.read()
    try:
        params = _jsoncodec.loads(to_text(raw))["ANSIBLE_MODULE_ARGS"]
    except (ValueError, KeyError, TypeError):
        print(jsonify({"failed": True, "msg": "ERROR: Module unable to decode valid JSON on stdin. "
                                              "Unable to figure out what parameters were passed"}))
        sys.exit(1)
    return params


class AnsibleModule:
    """A module's arguments, settings and result reporting.

    The constructor checks the arguments against ``argument_spec`` and fails the
    module (``fail_json``) with Ansible's message when they do not fit.  In check
    mode, a module that does not declare ``supports_check_mode`` exits skipped.
    """

    #: whether each result naming a ``path``/``dest`` gets :meth:`add_path_info`, as
    #: Ansible's AnsibleModule does; corral's own modules say what they mean (an
    #: archive's ``state: archive``), modules written for Ansible turn it on by
    #: importing ``ansible.module_utils.basic``
    report_path_info = False

    def __init__(self, argument_spec: dict, bypass_checks: bool = False, no_log: bool = False,
                 mutually_exclusive: list | None = None, required_together: list | None = None,
                 required_one_of: list | None = None, add_file_common_args: bool = False,
                 supports_check_mode: bool = False, required_if: list | None = None,
                 required_by: dict | None = None) -> None:
        self.argument_spec = dict(argument_spec)
        if add_file_common_args:
            for name, spec in FILE_COMMON_ARGUMENTS.items():
                self.argument_spec.setdefault(name, spec)
        self.supports_check_mode = supports_check_mode
        self.check_mode = False
        self._diff = False
        self.no_log = no_log
        self._verbosity = 0
        self._name = None
        self._remote_tmp: str | None = None
        self._tmpdir_arg: str | None = None
        self._tmpdir: str | None = None
        self._keep_remote_files = False
        self._debug = False
        self.cleanup_files: list[str] = []
        #: temporary file -> the destination it is being prepared for (named in errors)
        self._staged_for: dict[str, str] = {}
        self.no_log_values: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.run_command_environ_update: dict[str, str] = {}

        raw = _load_params()
        for key in list(raw):
            if key.startswith("_ansible_"):
                attr = _PASS_VARS.get(key[len("_ansible_"):])
                value = raw.pop(key)
                if attr:
                    setattr(self, attr, value)
        self.no_log = bool(self.no_log or no_log)
        if not self._name:
            self._name = os.path.basename(sys.argv[0]).rsplit(".", 1)[0] or "module"
        self._raw_params = raw
        atexit.register(self._cleanup_tmpdir)

        for name, spec in self.argument_spec.items():
            for alias in spec.get("aliases", ()) or ():
                self.aliases[alias] = name

        result = validate(self.argument_spec, raw, module_name=self._name,
                          mutually_exclusive=mutually_exclusive, required_together=required_together,
                          required_one_of=required_one_of, required_if=required_if, required_by=required_by)
        self.no_log_values = result.no_log_values
        for warning in result.warnings:
            self.warn(warning)
        for deprecation in result.deprecations:
            self.deprecate(**deprecation)
        if result.error and not bypass_checks:
            self.params: dict[str, Any] = raw
            self.fail_json(msg=result.error)
        self.params = result.params
        if self.check_mode and not supports_check_mode:     # after the arguments' check, as in Ansible
            self.exit_json(skipped=True, msg=f"remote module ({self._name}) does not support check mode")

    # -- settings ------------------------------------------------------------

    @property
    def diff(self) -> bool:
        """Whether the task asked for a diff (``--diff``)."""
        return bool(self._diff)

    @property
    def tmpdir(self) -> str:
        """A private temporary directory on the target, removed when the module exits."""
        if self._tmpdir is None:
            base = self._tmpdir_arg or self._remote_tmp
            parent = None
            if base:
                parent = os.path.expanduser(os.path.expandvars(base))
                try:
                    os.makedirs(parent, mode=0o700, exist_ok=True)
                except OSError as exc:
                    self.warn(f"Module remote_tmp {parent} could not be created ({exc}); "
                              "using the system temporary directory instead.")
                    parent = None
            self._tmpdir = tempfile.mkdtemp(prefix="corral-moduletmp-", dir=parent)
        return self._tmpdir

    def _cleanup_tmpdir(self) -> None:
        for path in self.cleanup_files:
            self.cleanup(path)
        self.cleanup_files = []
        if self._tmpdir and not self._keep_remote_files:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def add_cleanup_file(self, path: str) -> None:
        """Remove ``path`` when the module exits."""
        if path not in self.cleanup_files:
            self.cleanup_files.append(path)

    def cleanup(self, tmpfile: str) -> None:
        """Remove ``tmpfile`` if it exists."""
        try:
            if os.path.isdir(tmpfile) and not os.path.islink(tmpfile):
                shutil.rmtree(tmpfile, ignore_errors=True)
            elif os.path.lexists(tmpfile):
                os.unlink(tmpfile)
        except OSError as exc:
            sys.stderr.write(f"could not cleanup {tmpfile}: {exc}\n")

    # -- reporting -----------------------------------------------------------

    def warn(self, warning: str) -> None:
        """Add a warning to the result (shown as ``[WARNING]`` by the controller)."""
        _run_warnings.warn(warning)

    def deprecate(self, msg: str, version: str | None = None, date: str | None = None,
                  collection_name: str | None = None) -> None:
        """Add a deprecation notice to the result (removal in ``version`` or after ``date``)."""
        _run_warnings.deprecate(msg, version=version, date=date, collection_name=collection_name)

    def debug(self, msg: str) -> None:
        """Write ``msg`` to stderr when the run is in debug mode."""
        if self._debug:
            sys.stderr.write(f"{msg}\n")

    def log(self, msg: str, log_args: dict | None = None) -> None:
        """Ansible modules log to syslog; corral keeps the target's logs untouched."""

    def add_path_info(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Add to a result that names an existing ``path`` (or ``dest``) what Ansible
        reports about it: ``uid``, ``gid``, ``owner``, ``group``, ``mode`` (``'0644'``,
        ``'01777'``), ``state`` (``file``, ``directory``, ``link``, ``hard``), ``size``."""
        path = kwargs.get("path", kwargs.get("dest"))
        if not isinstance(path, (str, bytes)) or not os.path.exists(path):
            return kwargs
        info = path_info(to_native(path))
        kwargs.update({key: info[key] for key in ("uid", "gid", "owner", "group", "mode", "state", "size")})
        return kwargs

    def _return(self, kwargs: dict[str, Any]) -> str:
        result = self.add_path_info(dict(kwargs)) if self.report_path_info else dict(kwargs)
        if "invocation" not in result:
            result["invocation"] = {"module_args": getattr(self, "params", self._raw_params)}
        warnings = _run_warnings.get_warning_messages()
        if warnings:
            result["warnings"] = list(result.get("warnings") or []) + list(warnings)
        deprecations = _run_warnings.get_deprecation_messages()
        if deprecations:
            result["deprecations"] = list(result.get("deprecations") or []) + list(deprecations)
        result = remove_values(result, self.no_log_values)
        return jsonify(result)

    def exit_json(self, **kwargs: Any) -> NoReturn:
        """Print the successful result as JSON and exit 0 (``changed`` defaults to false)."""
        kwargs.setdefault("changed", False)
        self._cleanup_tmpdir()
        print(self._return(kwargs))
        sys.stdout.flush()
        sys.exit(0)

    def fail_json(self, msg: str | None = None, **kwargs: Any) -> NoReturn:
        """Print a failed result (``failed``, ``msg``) as JSON and exit 1."""
        if msg is None:
            msg = kwargs.pop("msg", None) or "implementation error -- msg to explain the error is required"
        kwargs["failed"] = True
        kwargs["msg"] = msg
        kwargs.setdefault("changed", False)
        if "exception" not in kwargs and sys.exc_info()[1] is not None:
            # as ansible-core 2.21 with its default traceback setting: the key, without the traceback
            kwargs["exception"] = "(traceback unavailable)"
        self._cleanup_tmpdir()
        print(self._return(kwargs))
        sys.stdout.flush()
        sys.exit(1)

    def fail_on_missing_params(self, required_params: list[str] | None = None) -> None:
        """Fail the module when one of ``required_params`` has no (or an empty) value."""
        missing = [name for name in required_params or () if not self.params.get(name)]
        if missing:
            self.fail_json(msg=f"missing required arguments: {', '.join(missing)}")

    def exit_skipped(self, msg: str) -> NoReturn:
        """Exit with a skipped result."""
        self.exit_json(skipped=True, msg=msg)

    # -- helpers ---------------------------------------------------------------

    @staticmethod
    def boolean(value: Any) -> bool:
        """Interpret ``value`` as Ansible's booleans (``yes``, ``on``, ``1``...)."""
        return _boolean(value)

    @staticmethod
    def jsonify(data: Any) -> str:
        """``data`` as JSON text."""
        return jsonify(data)

    @staticmethod
    def from_json(data: str) -> Any:
        """Parse JSON text."""
        return _jsoncodec.loads(data)

    @staticmethod
    def human_to_bytes(number: Any, isbits: bool = False) -> int:
        """``'10M'`` -> 10485760."""
        return human_to_bytes(number, isbits)

    if TYPE_CHECKING:  # required=True fails the module instead of returning None
        @overload
        def get_bin_path(self, arg: str, required: Literal[True],
                         opt_dirs: Iterable[str] | None = None) -> str: ...

        @overload
        def get_bin_path(self, arg: str, required: bool = False,
                         opt_dirs: Iterable[str] | None = None) -> str | None: ...

    def get_bin_path(self, arg: str, required: bool = False, opt_dirs: Iterable[str] | None = None) -> str | None:
        """The full path of the executable ``arg`` (PATH plus sbin directories), or
        ``None``; fail the module when ``required``."""
        try:
            return _find_executable(arg, list(opt_dirs or []))
        except ValueError as exc:
            if required:
                self.fail_json(msg=str(exc))
        return None

    def digest_from_file(self, filename: str, algorithm: Any) -> str | None:
        """The hex digest of ``filename`` with ``algorithm`` (a name or hashlib
        constructor), or ``None`` if the file does not exist."""
        if not os.path.exists(filename):
            return None
        if os.path.isdir(filename):
            self.fail_json(msg=f"attempted to take checksum of directory: {filename}")
        digest = hashlib.new(algorithm) if isinstance(algorithm, str) else algorithm()
        with open(filename, "rb") as handle:
            for block in iter(lambda: handle.read(65536), b""):
                digest.update(block)
        return digest.hexdigest()

    def sha1(self, filename: str) -> str | None:
        """SHA-1 of ``filename`` (Ansible's ``checksum``)."""
        return self.digest_from_file(filename, "sha1")

    def sha256(self, filename: str) -> str | None:
        """SHA-256 of ``filename``."""
        return self.digest_from_file(filename, "sha256")

    def md5(self, filename: str) -> str | None:
        """MD5 of ``filename``."""
        return self.digest_from_file(filename, "md5")

    def backup_local(self, fn: str) -> str:
        """Copy ``fn`` to ``fn.PID.YYYY-MM-DD@HH:MM:SS~`` and return that name ('' if
        ``fn`` does not exist)."""
        if not os.path.exists(fn):
            return ""
        stamp = time.strftime("%Y-%m-%d@%H:%M:%S", time.localtime())
        backup = f"{fn}.{os.getpid()}.{stamp}~"
        try:
            self.preserved_copy(fn, backup)     # the backup keeps the owner too (root under become)
        except OSError as exc:
            self.fail_json(msg=f"Could not make backup of {fn} to {backup}: {exc}")
        return backup

    def preserved_copy(self, src: str, dest: str) -> None:
        """Copy ``src`` to ``dest`` keeping mode, times and (when allowed) ownership."""
        shutil.copy2(src, dest)
        st = os.stat(src)
        try:
            os.chown(dest, st.st_uid, st.st_gid)
        except OSError:
            pass

    # -- running commands --------------------------------------------------------

    def run_command(self, args: Any, check_rc: bool = False, close_fds: bool = True,
                    executable: str | None = None, data: Any = None, binary_data: bool = False,
                    path_prefix: str | None = None, cwd: str | None = None,
                    use_unsafe_shell: bool = False, prompt_regex: str | None = None,
                    environ_update: dict | None = None, umask: int | None = None,
                    encoding: str | None = "utf-8", errors: str = "surrogate_or_strict",
                    expand_user_and_vars: bool = True, pass_fds: Iterable[int] | None = None,
                    before_communicate_callback: Any = None, ignore_invalid_cwd: bool = True,
                    handle_exceptions: bool = True) -> tuple[int, Any, Any]:
        """Run a command and return ``(rc, stdout, stderr)``.

        ``args`` is an argv list or a string; a string is split like a shell would
        unless ``use_unsafe_shell``, which runs it with ``executable`` (default
        ``/bin/sh``) ``-c``.  ``data`` is written to the command's stdin (with a
        newline added unless ``binary_data``); without it stdin is ``/dev/null``.
        Output is decoded with ``encoding`` (``None`` keeps bytes).  ``check_rc``
        fails the module on a non-zero rc; an OS error (command not found) fails it
        too unless ``handle_exceptions`` is false, in which case it is raised.
        """
        if isinstance(args, (list, tuple)):
            argv = [to_native(arg) for arg in args if arg is not None]
            if use_unsafe_shell:
                command: Any = " ".join(shlex.quote(arg) for arg in argv)
            else:
                command = argv
        elif isinstance(args, (str, bytes)):
            command = to_native(args)
            if not use_unsafe_shell:
                command = shlex.split(command)
        else:
            self.fail_json(rc=257, cmd=args, msg="Argument 'args' to run_command must be list or string")
        if not use_unsafe_shell and expand_user_and_vars:
            command = [os.path.expanduser(os.path.expandvars(arg)) for arg in command]
        if use_unsafe_shell:
            shell = executable or "/bin/sh"
            popen_args: list[str] = [shell, "-c", command]
            executable = None
        else:
            popen_args = command

        env = os.environ.copy()
        env.update(self.run_command_environ_update)
        env.update({k: to_native(v) for k, v in (environ_update or {}).items()})
        if path_prefix:
            env["PATH"] = f"{path_prefix}:{env.get('PATH', '')}"

        if cwd:
            cwd = os.path.abspath(os.path.expanduser(cwd))
            if not os.path.isdir(cwd):
                if not ignore_invalid_cwd:
                    self.fail_json(msg=f"Provided cwd is not a valid directory: {cwd}")
                cwd = None

        def preexec() -> None:
            if umask is not None:
                os.umask(umask)

        stdin_bytes = None
        if data is not None:
            stdin_bytes = to_bytes(data)
            if not binary_data:
                stdin_bytes += b"\n"
        try:
            proc = subprocess.Popen(
                popen_args, executable=executable, cwd=cwd, env=env, close_fds=close_fds,
                stdin=subprocess.PIPE if stdin_bytes is not None else subprocess.DEVNULL,
                # no preexec_fn unless needed: without one, Python starts the command
                # with vfork, not a copy of the module's whole process
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=preexec if umask is not None else None,
                pass_fds=tuple(pass_fds or ()))
            if before_communicate_callback:
                before_communicate_callback(proc)
            raw_out, raw_err = proc.communicate(stdin_bytes)
            rc = proc.returncode
        except OSError as exc:
            if not handle_exceptions:
                raise
            self.fail_json(rc=exc.errno, stdout="", stderr="", msg=to_native(exc), cmd=command)
        out: str | bytes = raw_out if encoding is None else raw_out.decode(encoding, "surrogateescape")
        err: str | bytes = raw_err if encoding is None else raw_err.decode(encoding, "surrogateescape")
        if check_rc and rc != 0:
            msg = to_text(err).rstrip() or to_text(out).rstrip()
            self.fail_json(cmd=command, rc=rc, stdout=out, stderr=err, msg=msg)
        return rc, out, err

    # -- files -------------------------------------------------------------------

    def atomic_move(self, src: str, dest: str, unsafe_writes: bool = False,
                    keep_dest_attrs: bool = True, file_args: dict | None = None,
                    diff: dict | None = None) -> bool:
        """Replace ``dest`` by ``src`` with one rename, so that ``dest`` is never seen
        half-written or with the wrong owner or mode, and is left untouched when
        anything fails (the module fails before the rename).

        The file renamed onto ``dest`` is prepared first.  It takes an existing
        ``dest``'s owner, group and mode (``keep_dest_attrs``; without it, ``src``
        keeps its own); a new ``dest`` gets the module's effective user, its group
        (the directory's when the directory is setgid) and the default mode (0666
        minus umask).  Then ``file_args`` (owner, group, mode as for
        :meth:`set_fs_attributes_if_different`; ``path`` is ignored) are applied to it,
        recorded in ``diff`` under ``dest``'s name.  ``chattr`` attributes are not: the
        caller sets them on ``dest`` after the move, once, as ansible-core does (``chattr``
        run twice with ``=`` flags can fail on the second run).  ``src`` itself is renamed when
        this process owns it; a file of another user (the connection user's transfer,
        when the module runs under become) is never renamed into place nor changed:
        its content is copied (never through a symlink) into a new temporary file
        beside ``dest``, which is renamed instead.  Returns whether ``file_args``
        changed anything.
        """
        owner, mode = self._final_owner_and_mode(dest, keep_dest_attrs)
        staged = self._staged_source(src, dest, owner, mode, unsafe_writes)
        if staged is None:  # unsafe_writes: dest was written in place
            return False
        if staged != src:
            self.add_cleanup_file(staged)
        if mode is not None:
            try:
                os.chmod(staged, mode)
            except OSError as exc:
                self.fail_json(msg=f"Could not set mode of {dest}: {exc}")
        changed = False
        if file_args:
            staged_diff: dict[str, Any] = {}
            self._staged_for[staged] = dest
            changed = self.set_fs_attributes_if_different(dict(file_args, path=staged, attributes=None), False,
                                                          staged_diff, expand=False)
            del self._staged_for[staged]
            for side in ("before", "after"):
                if diff is not None and side in staged_diff:
                    diff.setdefault(side, {}).update(staged_diff[side], path=dest)
        try:
            os.rename(staged, dest)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EBUSY, errno.EPERM, errno.ETXTBSY, errno.EACCES):
                self.fail_json(msg=f"Could not replace file: {src} to {dest}: {exc}")
            self._copy_over(staged, dest, exc, unsafe_writes)
        if staged in self.cleanup_files:
            self.cleanup_files.remove(staged)
        return changed

    @staticmethod
    def _final_owner_and_mode(dest: str, keep_dest_attrs: bool) -> tuple[tuple[int, int] | None, int | None]:
        """``((uid, gid), mode)`` that the file replacing ``dest`` must have (None: keep
        the source's), as :meth:`atomic_move` describes."""
        if os.path.exists(dest):
            if not keep_dest_attrs:
                return None, None
            st = os.stat(dest)
            return (st.st_uid, st.st_gid), stat.S_IMODE(st.st_mode)
        parent = os.stat(os.path.dirname(os.path.abspath(dest)))
        gid = parent.st_gid if parent.st_mode & stat.S_ISGID else os.getegid()
        return (os.geteuid(), gid), _DEFAULT_PERM & ~_current_umask()

    def _staged_source(self, src: str, dest: str, owner: tuple[int, int] | None, mode: int | None,
                       unsafe_writes: bool) -> str | None:
        """The file to rename onto ``dest``: ``src`` when this process owns it (given
        ``owner`` when it can be); else a copy of it in a new file beside ``dest`` (None
        when ``unsafe_writes`` had to write ``dest`` in place)."""
        st = os.lstat(src)
        if st.st_uid == os.geteuid():
            if owner is not None and (st.st_uid, st.st_gid) != owner:
                try:
                    os.chown(src, *owner)
                except OSError as exc:
                    # an owner this user cannot give is not given, as for any file it writes
                    if exc.errno not in (errno.EPERM, errno.EROFS):
                        self.fail_json(msg=f"Could not set owner of {src}: {exc}")
            return src
        # another user's file (the login user's transfer, under become): never renamed
        # into place nor changed where that user could still swap it; only its content
        # is read (never through a symlink) into a file of our own
        try:
            source = os.open(src, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            self.fail_json(msg=f"Could not read {src}: {exc}")
        try:
            source_stat = os.fstat(source)
            if not stat.S_ISREG(source_stat.st_mode):
                self.fail_json(msg=f"Could not read {src}: not a regular file")
            dest_dir = os.path.dirname(os.path.abspath(dest))
            try:
                fd, tmp = tempfile.mkstemp(prefix=".corral_tmp", dir=dest_dir)
            except OSError as exc:
                if unsafe_writes:
                    with open(source, "rb", closefd=False) as reader, open(dest, "wb") as writer:
                        shutil.copyfileobj(reader, writer)
                    return None
                self.fail_json(msg=f"The destination directory ({dest_dir}) is not writable by the current "
                                   f"user. Error was: {exc}")
            self.add_cleanup_file(tmp)
            try:
                with open(source, "rb", closefd=False) as reader, os.fdopen(fd, "wb") as writer:
                    shutil.copyfileobj(reader, writer)
                if mode is None:
                    os.chmod(tmp, stat.S_IMODE(source_stat.st_mode))
            except OSError as exc:
                self.fail_json(msg=f"Failed to replace file: {src} to {dest}: {exc}")
        finally:
            os.close(source)
        if owner is not None:
            try:
                os.chown(tmp, *owner)
            except OSError:
                pass  # best effort, as for a file this user creates
        return tmp

    def _copy_over(self, src: str, dest: str, first_error: OSError, unsafe_writes: bool) -> None:
        """Move across filesystems: copy ``src`` (mode, owner and all) into a temp file
        beside ``dest``, then rename that."""
        dest_dir = os.path.dirname(os.path.abspath(dest))
        try:
            fd, tmp = tempfile.mkstemp(prefix=".corral_tmp", dir=dest_dir)
        except OSError as exc:
            if unsafe_writes:
                shutil.copyfile(src, dest)
                os.unlink(src)
                return
            self.fail_json(msg=f"The destination directory ({dest_dir}) is not writable by the current user. "
                               f"Error was: {exc}")
        os.close(fd)
        try:
            shutil.copy2(src, tmp)
            st = os.stat(src)
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass
            os.rename(tmp, dest)
        except OSError as exc:
            self.cleanup(tmp)
            if unsafe_writes:
                shutil.copyfile(src, dest)
                return
            self.fail_json(msg=f"Could not replace file: {src} to {dest}: {first_error}; {exc}")
        # dest is in place: a source that cannot be removed is left to its directory's cleanup
        try:
            os.unlink(src)
        except OSError:
            pass

    def load_file_common_arguments(self, params: dict, path: str | None = None) -> dict[str, Any]:
        """The file attributes asked for in ``params`` (path, mode, owner, group,
        attributes; the SELinux fields are accepted and ignored), with the link
        target as path when ``follow`` is set and path is a link."""
        path = path or params.get("path") or params.get("dest")
        if path is None:
            return {}
        path = os.path.expanduser(os.path.expandvars(path))
        if params.get("follow") and os.path.islink(path):
            path = os.path.realpath(path)
        return {
            "path": path, "mode": params.get("mode"), "owner": params.get("owner"),
            "group": params.get("group"), "seuser": params.get("seuser"), "serole": params.get("serole"),
            "selevel": params.get("selevel"), "setype": params.get("setype"),
            "attributes": params.get("attributes"),
        }

    def selinux_enabled(self) -> bool:
        """SELinux contexts are not managed by corral: always false."""
        return False

    def user_and_group(self, path: str, expand: bool = True) -> tuple[int, int]:
        """The (uid, gid) owning ``path`` (not following a final symlink)."""
        if expand:
            path = os.path.expanduser(os.path.expandvars(path))
        st = os.lstat(path)
        return st.st_uid, st.st_gid

    def _diff_entry(self, diff: dict | None, key: str, before: Any, after: Any, path: str) -> None:
        if diff is None:
            return
        diff.setdefault("before", {}).setdefault("path", path)
        diff.setdefault("after", {}).setdefault("path", path)
        diff["before"][key] = before
        diff["after"][key] = after

    def set_owner_if_different(self, path: str, owner: str | None, changed: bool,
                               diff: dict | None = None, expand: bool = True) -> bool:
        """Make ``owner`` (a name or uid) own ``path``; return ``changed`` or true if it did."""
        if owner is None:
            return changed
        if expand:
            path = os.path.expanduser(os.path.expandvars(path))
        uid, _gid = self.user_and_group(path, expand=False)
        try:
            wanted = int(owner)
        except ValueError:
            try:
                wanted = pwd.getpwnam(owner).pw_uid
            except KeyError:
                self.fail_json(path=self._staged_for.get(path, path), msg=f"chown failed: failed to look up user {owner}")
        if uid == wanted:
            return changed
        self._diff_entry(diff, "owner", uid, wanted, path)
        if self.check_mode:
            return True
        try:
            os.lchown(path, wanted, -1)
        except OSError as exc:
            self.fail_json(path=self._staged_for.get(path, path), msg=f"chown failed: {exc}")
        return True

    def set_group_if_different(self, path: str, group: str | None, changed: bool,
                               diff: dict | None = None, expand: bool = True) -> bool:
        """Make ``group`` (a name or gid) the group of ``path``."""
        if group is None:
            return changed
        if expand:
            path = os.path.expanduser(os.path.expandvars(path))
        _uid, gid = self.user_and_group(path, expand=False)
        try:
            wanted = int(group)
        except ValueError:
            try:
                wanted = grp.getgrnam(group).gr_gid
            except KeyError:
                self.fail_json(path=self._staged_for.get(path, path), msg=f"chgrp failed: failed to look up group {group}")
        if gid == wanted:
            return changed
        self._diff_entry(diff, "group", gid, wanted, path)
        if self.check_mode:
            return True
        try:
            os.lchown(path, -1, wanted)
        except OSError as exc:
            self.fail_json(path=self._staged_for.get(path, path), msg=f"chgrp failed: {exc}")
        return True

    def set_mode_if_different(self, path: str, mode: Any, changed: bool,
                              diff: dict | None = None, expand: bool = True) -> bool:
        """Give ``path`` the mode ``mode`` (octal int or string, or symbolic).  A
        symlink's own mode cannot be changed on Linux and is left alone."""
        if mode is None:
            return changed
        if expand:
            path = os.path.expanduser(os.path.expandvars(path))
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            return changed
        current = stat.S_IMODE(st.st_mode)
        try:
            wanted = parse_mode(mode, current, stat.S_ISDIR(st.st_mode), _current_umask())
        except ModeError as exc:
            self.fail_json(path=self._staged_for.get(path, path), msg=f"mode must be in octal or symbolic form: {exc}", details=str(exc))
        if wanted == current:
            return changed
        self._diff_entry(diff, "mode", format_mode(current), format_mode(wanted), path)
        if self.check_mode:
            return True
        try:
            os.chmod(path, wanted)
        except OSError as exc:
            self.fail_json(path=self._staged_for.get(path, path), msg=f"chmod failed: {exc}")
        return True

    def set_attributes_if_different(self, path: str, attributes: str | None, changed: bool,
                                    diff: dict | None = None, expand: bool = True) -> bool:
        """Set ``chattr`` attributes as Ansible does: ``attributes`` is letters in
        ``lsattr``'s order, ``=`` assumed, or ``+``/``-`` and letters.  ``chattr`` runs when
        the letters differ from the flags ``lsattr`` shows (every letter, ``e`` included),
        and always for ``-``; so ``+`` and ``-`` report changed on every run, as in
        ansible-core.  Without ``chattr`` on the target nothing is done; a failing
        ``chattr`` (a filesystem without attributes) fails the module."""
        if not attributes:
            return changed
        if expand:
            path = os.path.expanduser(os.path.expandvars(path))
        if self.check_file_absent_if_check_mode(path):
            return True
        current = self._attribute_flags(path)
        operator, letters = (attributes[0], attributes[1:]) if attributes[0] in "+-" else ("=", attributes)
        if current == letters and operator != "-":
            return changed
        chattr = self.get_bin_path("chattr")
        if not chattr:
            return changed
        self._diff_entry(diff, "attributes", current, operator + letters, path)
        if self.check_mode:
            return True
        rc, out, err = self.run_command([chattr, operator + letters, path])
        if rc != 0 or err:
            self.fail_json(path=self._staged_for.get(path, path), msg="chattr failed",
                           details=f"Error while setting attributes: {out}{err}")
        return True

    def _attribute_flags(self, path: str) -> str | None:
        """The attribute letters ``lsattr -vd`` shows for ``path`` (``-`` removed), or
        None when ``lsattr`` is missing or fails."""
        lsattr = self.get_bin_path("lsattr")
        if not lsattr:
            return None
        rc, out, _err = self.run_command([lsattr, "-vd", path])
        fields = out.split()
        return fields[1].replace("-", "") if rc == 0 and len(fields) > 1 else None

    def set_fs_attributes_if_different(self, file_args: dict, changed: bool, diff: dict | None = None,
                                       expand: bool = True) -> bool:
        """Apply owner, group, mode and attributes from ``file_args``; SELinux
        fields (``setype``...) are ignored.  Returns whether anything changed."""
        path = file_args["path"]
        changed = self.set_owner_if_different(path, file_args.get("owner"), changed, diff, expand)
        changed = self.set_group_if_different(path, file_args.get("group"), changed, diff, expand)
        changed = self.set_mode_if_different(path, file_args.get("mode"), changed, diff, expand)
        changed = self.set_attributes_if_different(path, file_args.get("attributes"), changed, diff, expand)
        return changed

    set_file_attributes_if_different = set_fs_attributes_if_different
    set_directory_attributes_if_different = set_fs_attributes_if_different

    def check_file_absent_if_check_mode(self, file_path: str) -> bool:
        """In check mode, whether ``file_path`` does not exist (yet)."""
        return self.check_mode and not os.path.exists(file_path)

    def is_executable(self, path: str) -> bool:
        """Whether ``path`` has any execute bit set."""
        return bool(os.stat(path).st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH))


def _current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
