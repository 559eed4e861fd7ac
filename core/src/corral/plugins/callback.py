"""``CallbackBase``: the base class of callback plugins, compatible with Ansible's.

A callback written for Ansible runs with ``ansible`` replaced by ``corral``: the
same class attributes (``CALLBACK_VERSION``, ``CALLBACK_TYPE``, ``CALLBACK_NAME``,
``CALLBACK_NEEDS_ENABLED``), the same constructor, ``self._display``, options through
``set_options``/``get_option``, the same helpers (``_dump_results``, ``_get_diff``,
``_get_item_label``, ``_clean_results``, ``_process_items``, ``_handle_warnings``,
``_handle_exception``, ``host_label``...) and a no-op method for every ``v2_*``
event.  As in Ansible, the ``v2_*`` methods of this base class forward to the old
(v1) method names (``runner_on_ok(host, res)``...), so very old callbacks work too.

Options are declared per class in ``OPTIONS`` (name -> :class:`CallbackOption`), or,
for callbacks written for Ansible, read from the ``DOCUMENTATION`` string of the
callback's module (its ``options:`` and the ``default_callback`` and
``result_format_callback`` fragments).  A value comes, first found, from
``set_options(direct=...)``, then ``var_options`` (``vars:`` names), then the
environment (``CORRAL_<NAME>``, then each ``ANSIBLE_<NAME>`` the option lists), then
the configuration file (``ini``: ``{(section, key): value}`` or ``{key: value}`` for
``[defaults]``), then the default.

What the command line asked for (``check``, ``diff``, ``verbosity``, ``args``...)
reaches callbacks through :meth:`CallbackBase.set_cli_args`; Ansible keeps it in a
process-wide ``context.CLIARGS``, corral keeps it per callback object.
"""
from __future__ import annotations

import copy
import datetime
import json
import os
import sys
import textwrap
from collections.abc import Mapping, MutableMapping
from typing import IO, TYPE_CHECKING, Any, ClassVar, Iterable

import yaml

from corral.display import Display, format_source_context
from corral.plugins.options import Option, declared_options, resolve_options
from corral.results import ERROR_CAUSE, ERROR_SUMMARY, NO_TRACEBACK, WARNING_HELP

if TYPE_CHECKING:
    from corral.inventory.host import Host
    from corral.playbook.play import Play
    from corral.playbook.playbook import Playbook
    from corral.playbook.task import Task
    from corral.results import TaskResult
    from corral.stats import AggregateStats

__all__ = [
    "CallbackBase", "CallbackOption", "DEFAULT_CALLBACK_OPTIONS", "RESULT_FORMAT_OPTIONS",
    "DEBUG_ACTIONS", "MODULE_NO_JSON", "plain_data", "strip_internal_keys", "open_host_file",
]


def _fqcns(*names: str) -> frozenset[str]:
    return frozenset(n for name in names for n in (name, f"ansible.builtin.{name}",
                                                      f"ansible.legacy.{name}", f"corral.builtin.{name}"))


# The two name sets below are part of Ansible's callback API (``C._ACTION_DEBUG``,
# ``C.MODULE_NO_JSON``): ansible-core keys these on the names of its own builtins, and
# callbacks written for it compare ``result._task.action`` with them.
#: action names whose output ``_clean_results`` trims (only ``msg`` or the variable)
DEBUG_ACTIONS = _fqcns("debug")
#: modules whose ad-hoc output is shown as ``host | STATE | rc=N >>`` and raw stdout
MODULE_NO_JSON = _fqcns("command", "win_command", "shell", "win_shell", "raw")
#: outcome flags Ansible 2.19+ keeps out of the results callbacks show (the event says it)
_OUTCOME_FLAGS = ("failed", "skipped")
_DEBUG_ALLOWED_KEYS = frozenset(("msg", "exception", "warnings", "deprecations"))
_YAML_BREAK_CHARS = "\n\x85\u2028\u2029"


#: a callback option is a plugin option like any other
CallbackOption = Option


def _option(name: str, default: Any, type: str, env: str, ini_key: str | None = None,
            vars: tuple[str, ...] = (), choices: tuple[Any, ...] = (), description: str = "") -> CallbackOption:
    return CallbackOption(name, default, type, (env,), (("defaults", ini_key or name),), vars, choices, description)


#: the options of Ansible's ``default_callback`` documentation fragment
DEFAULT_CALLBACK_OPTIONS: dict[str, CallbackOption] = {o.name: o for o in (
    _option("display_skipped_hosts", True, "bool", "ANSIBLE_DISPLAY_SKIPPED_HOSTS",
            vars=("ansible_display_skipped_hosts",),
            description="Show skipped tasks' hosts."),
    _option("display_ok_hosts", True, "bool", "ANSIBLE_DISPLAY_OK_HOSTS",
            description="Show hosts whose task was ok."),
    _option("display_failed_stderr", False, "bool", "ANSIBLE_DISPLAY_FAILED_STDERR",
            description="Print failed and unreachable results on stderr instead of stdout."),
    _option("display_included_hosts", True, "bool", "ANSIBLE_DISPLAY_INCLUDED_HOSTS",
            description="Show the hosts that included a file."),
    _option("show_custom_stats", False, "bool", "ANSIBLE_SHOW_CUSTOM_STATS",
            description="Print the statistics set_stats recorded at the end of the run."),
    _option("show_per_host_start", False, "bool", "ANSIBLE_SHOW_PER_HOST_START",
            description="Print a line when each host starts each task."),
    _option("check_mode_markers", False, "bool", "ANSIBLE_CHECK_MODE_MARKERS",
            description="Mark the run (DRY RUN) and each play and task (CHECK MODE) in check mode."),
    _option("show_task_path_on_failure", False, "bool", "ANSIBLE_SHOW_TASK_PATH_ON_FAILURE",
            description="Print the file and line of a failed task."),
)}

#: the options of Ansible's ``result_format_callback`` documentation fragment
RESULT_FORMAT_OPTIONS: dict[str, CallbackOption] = {o.name: o for o in (
    _option("result_format", "json", "str", "ANSIBLE_CALLBACK_RESULT_FORMAT", "callback_result_format",
            choices=("json", "yaml"),
            description="How results are printed: json or yaml."),
    _option("result_indentation", 4, "int", "ANSIBLE_CALLBACK_RESULT_INDENTATION",
            "callback_result_indentation",
            description="Spaces of indentation of printed results."),
    _option("result_yaml_line_width", "default", "str", "ANSIBLE_CALLBACK_YAML_LINE_WIDTH",
            "callback_result_yaml_line_width", choices=("default", "no-break", "terminal-width"),
            description="Line width of YAML results: default, no-break or terminal-width."),
    _option("pretty_results", None, "bool", "ANSIBLE_CALLBACK_FORMAT_PRETTY", "callback_format_pretty",
            description="Always print results indented (true), never (false), or as verbosity and format decide (unset)."),
)}

_FRAGMENTS = {
    "default_callback": DEFAULT_CALLBACK_OPTIONS,
    "ansible.builtin.default_callback": DEFAULT_CALLBACK_OPTIONS,
    "result_format_callback": RESULT_FORMAT_OPTIONS,
    "ansible.builtin.result_format_callback": RESULT_FORMAT_OPTIONS,
}


def strip_internal_keys(data: Any, exceptions: Iterable[str] = ()) -> Any:
    """Remove, recursively and in place, mapping keys that start with ``_ansible_``."""
    keep = frozenset(exceptions)
    if isinstance(data, MutableMapping):
        for key in list(data):
            if isinstance(key, str) and key.startswith("_ansible_") and key not in keep:
                del data[key]
            else:
                strip_internal_keys(data[key], keep)
    elif isinstance(data, list):
        for item in data:
            strip_internal_keys(item, keep)
    return data


def open_host_file(directory: str, host: str, *, append: bool = False, mode: int = 0o666) -> IO[bytes]:
    """Open the file named ``host`` in ``directory`` for writing (binary; truncated, or
    appended to with ``append``; created with ``mode``).  A host name that is not one
    plain file name (``add_host`` may take it from a host's output: ``../x``, ``/x``)
    raises ``OSError``, and a symlink at the file's place is never followed: the file
    is always inside ``directory`` (callbacks writing a file per host: ``tree``,
    ``log_plays``)."""
    if not host or host in (".", "..") or os.sep in host or "\0" in host:
        raise OSError(f"the host name is not a file name inside {directory!r}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_APPEND if append else os.O_TRUNC)
    return open(os.open(os.path.join(directory, host), flags, mode), "ab" if append else "wb")


def plain_data(data: Any) -> Any:
    """Data as plain dicts, lists and builtin scalars (unsafe strings become ``str``)."""
    if isinstance(data, Mapping):
        return {(plain_data(k) if isinstance(k, str) else k): plain_data(v) for k, v in data.items()}
    if isinstance(data, (list, tuple, set, frozenset)):
        return [plain_data(v) for v in data]
    if isinstance(data, str):
        return str(data)
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    if isinstance(data, (datetime.date, datetime.time)):
        return data.isoformat()
    return data


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


class _ResultDumper(yaml.SafeDumper):
    """YAML for results: multi-line strings as ``|`` blocks, no aliases."""

    lossy = False

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: _ResultDumper, data: str) -> yaml.ScalarNode:
    data = str(data)
    style = None
    if any(ch in data for ch in _YAML_BREAK_CHARS):
        style = "|"
        if dumper.lossy:
            data = _munge_for_block(data)
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _munge_for_block(text: str) -> str:
    """Make a string acceptable as a YAML block scalar (readability over accuracy)."""
    import re
    text = text.rstrip().expandtabs()
    text = "".join(ch for ch in text if ch == "\n" or 32 <= ord(ch) <= 126 or ord(ch) == 133
                   or 160 <= ord(ch) <= 55295 or 57344 <= ord(ch) <= 65533 or 65536 <= ord(ch) < 1114111)
    return re.sub(r" +([\n\x85\u2028\u2029])", r"\1", text)


_ResultDumper.add_representer(str, _represent_str)
# None keys PyYAML's fallback representer (for any other type); the stubs only allow types
_ResultDumper.add_representer(None, lambda dumper, data: dumper.represent_str(str(data)))  # type: ignore[arg-type]


def _yaml_dump(data: Any, *, lossy: bool, indent: int | None, width: int | None) -> str:
    dumper = type("_Dumper", (_ResultDumper,), {"lossy": lossy})
    return yaml.dump(plain_data(data), Dumper=dumper, allow_unicode=True, default_flow_style=False,
                     indent=indent, width=width, sort_keys=True)


class CallbackBase:
    """Base class for callbacks: every ``v2_*`` event is a method that does nothing
    (or forwards to its v1 name).  Subclasses override the events they want."""

    CALLBACK_VERSION: ClassVar[float] = 2.0
    CALLBACK_TYPE: ClassVar[str] = "notification"
    CALLBACK_NAME: ClassVar[str] = "unnamed"
    CALLBACK_NEEDS_ENABLED: ClassVar[bool] = False
    #: declared options; when empty, the module's ``DOCUMENTATION`` string is read
    OPTIONS: ClassVar[Mapping[str, CallbackOption]] = {}
    #: documentation fragments a callback's ``DOCUMENTATION`` may extend
    DOC_FRAGMENTS: ClassVar[Mapping[str, Mapping[str, CallbackOption]]] = _FRAGMENTS

    _copy_result = staticmethod(copy.deepcopy)

    def __init__(self, display: Display | None = None, options: Mapping[str, Any] | None = None) -> None:
        self._display = display if display is not None else Display()
        self.disabled = False
        self.wants_implicit_tasks = False
        self._plugin_options: dict[str, Any] = {}
        self._options_loaded = False
        self._cli_args: dict[str, Any] = {}
        self._current_task_result: Any = None
        self._hide_in_debug = ("changed", "failed", "skipped", "invocation", "skip_reason",
                               "ansible_loop_var", "ansible_index_var", "ansible_loop")
        if self._display.verbosity >= 4:
            module = sys.modules.get(type(self).__module__)
            self._display.vvvv(f"Loading callback plugin {getattr(self, 'CALLBACK_NAME', 'unnamed')} of type "
                               f"{getattr(self, 'CALLBACK_TYPE', 'old')}, v{getattr(self, 'CALLBACK_VERSION', '1.0')}"
                               f" from {getattr(module, '__file__', '?')}")
        if options is not None:
            self.set_options(direct=dict(options))

    # -- options -----------------------------------------------------------

    @classmethod
    def option_specs(cls) -> dict[str, CallbackOption]:
        """The options this callback class declares (see the module docstring)."""
        return declared_options(cls)

    def set_options(self, task_keys: Mapping[str, Any] | None = None,
                    var_options: Mapping[str, Any] | None = None,
                    direct: Mapping[str, Any] | None = None,
                    ini: Any = None) -> None:
        """Resolve every declared option (direct, vars, environment, ini, default).

        ``ini`` is the configuration file: a mapping ``{(section, key): value}`` (or
        ``{key: value}`` for ``[defaults]``), or an object with
        ``section_value(section, key, default)`` such as :class:`corral.config.Config`.
        """
        self._plugin_options = dict(resolve_options(
            self.option_specs(), plugin=f"callback plugin '{self.CALLBACK_NAME}'", direct=direct,
            variables=var_options, keywords=task_keys, ini=ini))
        self._options_loaded = True

    def get_option(self, k: str, hostvars: Any = None) -> Any:
        """The value of option ``k``; ``KeyError`` if this callback does not declare it."""
        if not self._options_loaded:
            self.set_options()
        return self._plugin_options[k]

    def set_option(self, k: str, v: Any) -> None:
        """Set option ``k`` directly."""
        if not self._options_loaded:
            self.set_options()
        spec = self.option_specs().get(k)
        self._plugin_options[k] = spec.convert(v) if spec else v

    def has_option(self, option: str) -> bool:
        if not self._options_loaded:
            self.set_options()
        return option in self._plugin_options

    def set_cli_args(self, args: Mapping[str, Any]) -> None:
        """Give the callback the run's command line options (``check``, ``diff``,
        ``verbosity``, ``args``, ...), which Ansible keeps in ``context.CLIARGS``."""
        self._cli_args = dict(args)

    def set_play_context(self, play_context: Any) -> None:
        pass

    # -- helpers for result display ------------------------------------------

    @staticmethod
    def _private_copy(result: Any) -> Any:
        """A copy of a task result whose ``_result`` this callback may change freely
        (display helpers pop keys), so that callbacks called later see it whole."""
        own = copy.copy(result)
        own._result = copy.deepcopy(result._result)
        return own

    @staticmethod
    def host_label(result: Any) -> str:
        """The host name, with ``-> delegate`` when the task was delegated."""
        host = result._host
        label = str(host.get_name())
        delegated = result._result.get("_ansible_delegated_vars") or {}
        # the name this execution was delegated to (a loop item may have its own)
        delegate_to = delegated.get("ansible_delegated_host") or getattr(result._task, "delegate_to", None)
        if delegate_to and delegate_to != label:
            label += f" -> {delegate_to}"
            ahost = delegated.get("ansible_host", delegate_to)
            if ahost != delegate_to:
                label += f"({ahost})"
        return label

    def _run_is_verbose(self, result: Any, verbosity: int = 0) -> bool:
        res = result._result
        always = res.get("_ansible_verbose_always", False) is True
        return ((self._display.verbosity > verbosity or always)
                and res.get("_ansible_verbose_override", False) is False)

    def _safe_option(self, name: str, fallback: Any) -> Any:
        try:
            return self.get_option(name)
        except KeyError:
            return fallback

    def _get_yaml_width(self) -> int | None:
        width = self._safe_option("result_yaml_line_width", "default")
        if width == "no-break":
            return 0x7FFFFFFF
        if width == "terminal-width":
            return self._display.columns
        if width not in (None, "default"):
            self._display.warning(f"Invalid value {width!r} for result_yaml_line_width")
        return None

    def _dump_results(self, result: Mapping[str, Any], indent: int | None = None, sort_keys: bool = True,
                      keep_invocation: bool = False, serialize: bool = True) -> Any:
        """A result as text for the screen, by Ansible's rules: ``_ansible_*`` keys,
        ``exception``, ``warnings`` and ``deprecations`` dropped, ``invocation`` and
        ``diff`` kept only at ``-vvv``; JSON (indented when verbose, pretty or
        ``-vvv``) or YAML per ``result_format``.  A ``no_log`` result arrives here
        already censored by the kernel (``TaskQueueManager.send_callback``)."""
        result_format = self._safe_option("result_format", "json")
        pretty_results = self._safe_option("pretty_results", None)
        if not indent and (result.get("_ansible_verbose_always")
                           or (pretty_results is None and result_format != "json")
                           or pretty_results is True or self._display.verbosity > 2):
            indent = self._safe_option("result_indentation", 4)
        if pretty_results is False:
            indent = None

        # plain_data is a fresh copy (dicts, lists, scalars): stripped in place, the result is untouched
        abridged = strip_internal_keys(plain_data(result))
        if not keep_invocation and self._display.verbosity < 3:
            abridged.pop("invocation", None)
        if self._display.verbosity < 3:
            abridged.pop("diff", None)
        for key in ("exception", "warnings", "deprecations"):
            abridged.pop(key, None)
        # a censored result shows ``unreachable`` no more than Ansible's does
        for key in _OUTCOME_FLAGS + (("unreachable",) if "censored" in abridged else ()):
            if isinstance(abridged.get(key), bool):
                abridged.pop(key)
        if not serialize:
            return abridged
        if result_format == "json":
            return json.dumps(abridged, indent=indent, ensure_ascii=False, sort_keys=sort_keys,
                              default=_json_default)
        if result_format == "yaml":
            lossy = pretty_results in (None, True)
            if lossy:
                for stream in ("stdout", "stderr"):
                    if stream in abridged and f"{stream}_lines" in abridged:
                        abridged[f"{stream}_lines"] = "<omitted>"
            text = _yaml_dump(abridged, lossy=lossy, indent=indent, width=self._get_yaml_width())
            return "\n" + textwrap.indent(text, " " * (indent or 4))
        raise ValueError(f"Unsupported result_format {result_format!r} (choose json or yaml).")

    def _handle_warnings(self, res: MutableMapping[str, Any]) -> None:
        """Show and remove a result's ``warnings`` and ``deprecations``."""
        advice = res.pop(WARNING_HELP, None) or {}
        for warning in res.pop("warnings", None) or ():
            if isinstance(warning, Mapping):
                self._display.warning(str(warning.get("msg", warning)))
            else:
                self._display.warning(str(warning), help_text=advice.get(warning))
        for deprecation in res.pop("deprecations", None) or ():
            if isinstance(deprecation, Mapping):
                self._display.deprecated(str(deprecation.get("msg", "")), version=deprecation.get("version"),
                                         date=deprecation.get("date"),
                                         collection_name=deprecation.get("collection_name"))
            else:
                self._display.deprecated(str(deprecation))

    def _handle_exception(self, result: MutableMapping[str, Any], use_stderr: bool = False) -> None:
        """Show the error of a failed or unreachable result, as Ansible 2.19+ does:
        ``[ERROR]: Task failed: ...`` with the task's origin and source lines (each
        distinct error once); a traceback in ``exception`` is added at ``-vvv``."""
        exception = result.pop("exception", None)
        if "results" in result and isinstance(result["results"], list):
            return
        unreachable = result.get("unreachable")
        if not (exception or result.get("failed") or result.get("failed_when_result") or unreachable):
            return
        task = getattr(self._current_task_result, "_task", None)
        text = self._failure_summary(result, task)
        result.pop(ERROR_SUMMARY, None)
        cause = result.pop(ERROR_CAUSE, None)
        if text == "":
            return
        if result.get("_ansible_no_log"):
            text = "Task failed: the output has been hidden due to the fact that 'no_log: true' was specified."
            cause = None
        # an empty cause: the error has no place to show (ansible-core names none)
        context = self._task_origin(task) if "\nOrigin: " not in text and cause != [] else ""
        if isinstance(cause, list) and cause and "\nOrigin: " not in text:
            text += "\n\n" + _caused_by_chain(cause, context)
        elif context:
            text += "\n" + context
        if exception and isinstance(exception, str) and exception != NO_TRACEBACK and self._display.verbosity >= 3:
            text += "\n\n" + exception.rstrip()
        self._display.error(text, stderr=use_stderr)

    @staticmethod
    def _failure_summary(result: Mapping[str, Any], task: Any) -> str:
        """The one line Ansible 2.19+ says about a failed or unreachable result of
        ``task`` (``Task failed: Module failed: <msg>``...), as ``[ERROR]`` shows it and
        reports such as junit's name it; ``""`` when the result asks for none."""
        summary = result.get(ERROR_SUMMARY)
        raw = str(result.get("msg") or "")
        msg = raw.strip()
        if summary is not None:
            return str(summary)
        if msg.startswith("Task failed"):  # the executor's own wording (unreachable hosts, failed_when)
            return msg
        if result.get("unreachable"):
            return f"Task failed: {msg}"
        # an action that never reaches a host failed itself; else its module did. Its msg is kept
        # as it is: a command's stderr ends with a newline, an empty line before the Origin
        traits = getattr(task, "traits", None)
        kind = "Action" if traits is not None and not traits.needs_connection else "Module"
        return f"Task failed: {kind} failed: {raw}" if msg else f"Task failed: {kind} failed."

    @staticmethod
    def _task_origin(task: Any) -> str:
        """``Origin: file:line:col`` and source lines for a task, or its ad-hoc form;
        nothing for a task the engine made (``Gathering Facts``), as Ansible."""
        if task is None or getattr(task, "implicit", False):
            return ""
        get_path = getattr(task, "get_path", None)
        path = get_path() if callable(get_path) else None
        if path:
            file_name, _, line = str(path).rpartition(":")
            if not file_name or not line.isdigit():
                return f"Origin: {path}"
            column = None
            try:
                with open(file_name, encoding="utf-8", errors="replace") as handle:
                    for number, text in enumerate(handle, 1):
                        if number == int(line):
                            stripped = text.lstrip(" -")
                            column = len(text) - len(stripped) + 1 if stripped.strip() else None
                            break
            except OSError:
                pass
            return format_source_context(file_name, int(line), column)
        action = getattr(task, "action", None)
        if not action:
            return ""
        args = dict(getattr(task, "args", None) or {})
        keyword = getattr(task, "get", None)
        spec = {"action": action, "args": args,
                "timeout": int((keyword("timeout", 0) if keyword else 0) or 0),
                "async_val": int(getattr(task, "async_val", 0) or 0),
                "poll": int((keyword("poll", 15) if keyword else 15) or 0)}
        return f"Origin: <adhoc {action!r} task>\n\n{spec!r}"

    def _handle_warnings_and_exception(self, result: Any) -> None:
        """Show a task result's warnings, deprecations and error."""
        self._current_task_result = result
        use_stderr = self._safe_option("display_failed_stderr", False)
        self._handle_warnings(result._result)
        self._handle_exception(result._result, use_stderr=use_stderr)

    def _serialize_diff(self, diff: Any) -> str:
        result_format = self._safe_option("result_format", "json")
        pretty_results = self._safe_option("pretty_results", None)
        indent = self._safe_option("result_indentation", 4)
        if result_format == "json":
            return json.dumps(plain_data(diff), sort_keys=True, indent=indent, separators=(",", ": "),
                              default=_json_default) + "\n"
        if result_format == "yaml":
            lossy = pretty_results in (None, True)
            text = _yaml_dump(diff, lossy=lossy, indent=indent, width=self._get_yaml_width())
            return "%s\n" % textwrap.indent(text, "    ")
        raise ValueError(f"Unsupported result_format {result_format!r} (choose json or yaml).")

    def _get_diff(self, difflist: Any) -> str:
        """A result's ``diff`` (a dict or a list of them) as unified diff text."""
        if not isinstance(difflist, list):
            difflist = [difflist]
        context_lines = int(os.environ.get("CORRAL_DIFF_CONTEXT", os.environ.get("ANSIBLE_DIFF_CONTEXT", 3)))
        palette = self._display.palette
        out: list[str] = []
        for diff in difflist:
            diff = dict(diff)
            if "dst_binary" in diff:
                out.append("diff skipped: destination file appears to be binary\n")
            if "src_binary" in diff:
                out.append("diff skipped: source file appears to be binary\n")
            if "dst_larger" in diff:
                out.append("diff skipped: destination file size is greater than %d\n" % diff["dst_larger"])
            if "src_larger" in diff:
                out.append("diff skipped: source file size is greater than %d\n" % diff["src_larger"])
            if "before" in diff and "after" in diff:
                for side in ("before", "after"):
                    if isinstance(diff[side], Mapping):
                        diff[side] = self._serialize_diff(diff[side])
                    elif diff[side] is None:
                        diff[side] = ""
                before_header = f"before: {diff['before_header']}" if "before_header" in diff else "before"
                after_header = f"after: {diff['after_header']}" if "after_header" in diff else "after"
                before_lines = str(diff["before"]).splitlines(True)
                after_lines = str(diff["after"]).splitlines(True)
                if before_lines and not before_lines[-1].endswith("\n"):
                    before_lines[-1] += "\n\\ No newline at end of file\n"
                if after_lines and not after_lines[-1].endswith("\n"):
                    after_lines[-1] += "\n\\ No newline at end of file\n"
                import difflib
                lines = list(difflib.unified_diff(before_lines, after_lines, fromfile=before_header,
                                                  tofile=after_header, fromfiledate="", tofiledate="",
                                                  n=context_lines))
                for line in lines:
                    if line.startswith("+"):
                        line = self._display.stringc(line, palette.get("diff_add"))
                    elif line.startswith("-"):
                        line = self._display.stringc(line, palette.get("diff_remove"))
                    elif line.startswith("@@"):
                        line = self._display.stringc(line, palette.get("diff_lines"))
                    out.append(line)
                if lines:
                    out.append("\n")
            if "prepared" in diff:
                out.append(str(diff["prepared"]))
        return "".join(out)

    def _get_item_label(self, result: Mapping[str, Any]) -> Any:
        """The label of a loop item's result (``loop_control.label``, else the item)."""
        if result.get("_ansible_no_log", False):
            return "(censored due to no_log)"
        return result.get("_ansible_item_label", result.get("item"))

    def _process_items(self, result: Any) -> None:
        """Drop a loop's ``results`` (each item was already reported by its own event)."""
        result._result.pop("results", None)

    def _clean_results(self, result: MutableMapping[str, Any], task_name: str) -> None:
        """Trim a ``debug`` result to what it was asked to show."""
        if task_name in DEBUG_ACTIONS:
            if "msg" in result:
                for key in list(result):
                    if key not in _DEBUG_ALLOWED_KEYS and not key.startswith("_ansible_"):
                        result.pop(key)
            else:
                for key in self._hide_in_debug:
                    result.pop(key, None)

    def _print_task_path(self, task: Any, color: str | None = None) -> None:
        get_path = getattr(task, "get_path", None)
        path = get_path() if callable(get_path) else None
        if path:
            self._display.display(f"task path: {path}", color=color or self._display.color_of("debug"))

    # -- v1 events (kept for very old callbacks) -------------------------------

    def on_any(self, *args: Any, **kwargs: Any) -> None:
        pass

    def runner_on_failed(self, host: str, res: Any, ignore_errors: bool = False) -> None:
        pass

    def runner_on_ok(self, host: str, res: Any) -> None:
        pass

    def runner_on_skipped(self, host: str, item: Any = None) -> None:
        pass

    def runner_on_unreachable(self, host: str, res: Any) -> None:
        pass

    def runner_on_async_poll(self, host: str, res: Any, jid: Any, clock: Any) -> None:
        pass

    def runner_on_async_ok(self, host: str, res: Any, jid: Any) -> None:
        pass

    def runner_on_async_failed(self, host: str, res: Any, jid: Any) -> None:
        pass

    def playbook_on_start(self) -> None:
        pass

    def playbook_on_notify(self, host: Any, handler: Any) -> None:
        pass

    def playbook_on_no_hosts_matched(self) -> None:
        pass

    def playbook_on_no_hosts_remaining(self) -> None:
        pass

    def playbook_on_task_start(self, name: str, is_conditional: bool) -> None:
        pass

    def playbook_on_vars_prompt(self, varname: str, private: bool = True, prompt: Any = None,
                                encrypt: Any = None, confirm: bool = False, salt_size: Any = None,
                                salt: Any = None, default: Any = None, unsafe: Any = None) -> None:
        pass

    def playbook_on_play_start(self, name: str) -> None:
        pass

    def playbook_on_stats(self, stats: Any) -> None:
        pass

    def on_file_diff(self, host: str, diff: Any) -> None:
        pass

    # -- v2 events: no-ops that forward to the v1 names, as in Ansible -------

    def v2_on_any(self, *args: Any, **kwargs: Any) -> None:
        self.on_any(args, kwargs)

    def v2_runner_on_failed(self, result: TaskResult, ignore_errors: bool = False) -> None:
        self.runner_on_failed(result._host.get_name(), result._result, ignore_errors)

    def v2_runner_on_ok(self, result: TaskResult) -> None:
        self.runner_on_ok(result._host.get_name(), result._result)

    def v2_runner_on_skipped(self, result: TaskResult) -> None:
        if self._safe_option("display_skipped_hosts", True):
            self.runner_on_skipped(result._host.get_name(), self._get_item_label(result._result))

    def v2_runner_on_unreachable(self, result: TaskResult) -> None:
        self.runner_on_unreachable(result._host.get_name(), result._result)

    def v2_runner_on_async_poll(self, result: TaskResult) -> None:
        self.runner_on_async_poll(result._host.get_name(), result._result,
                                  result._result.get("ansible_job_id"), 0)

    def v2_runner_on_async_ok(self, result: TaskResult) -> None:
        self.runner_on_async_ok(result._host.get_name(), result._result, result._result.get("ansible_job_id"))

    def v2_runner_on_async_failed(self, result: TaskResult) -> None:
        jid = result._result.get("ansible_job_id")
        if not jid and "async_result" in result._result:
            jid = result._result["async_result"].get("ansible_job_id")
        self.runner_on_async_failed(result._host.get_name(), result._result, jid)

    def v2_playbook_on_start(self, playbook: Playbook) -> None:
        self.playbook_on_start()

    def v2_playbook_on_notify(self, handler: Task, host: Host) -> None:
        self.playbook_on_notify(host, handler)

    def v2_playbook_on_no_hosts_matched(self) -> None:
        self.playbook_on_no_hosts_matched()

    def v2_playbook_on_no_hosts_remaining(self) -> None:
        self.playbook_on_no_hosts_remaining()

    def v2_playbook_on_task_start(self, task: Task, is_conditional: bool) -> None:
        self.playbook_on_task_start(getattr(task, "name", None) or task.get_name(), is_conditional)

    def v2_playbook_on_cleanup_task_start(self, task: Task) -> None:
        pass

    def v2_playbook_on_handler_task_start(self, task: Task) -> None:
        pass

    def v2_playbook_on_vars_prompt(self, varname: str, private: bool = True, prompt: Any = None,
                                   encrypt: Any = None, confirm: bool = False, salt_size: Any = None,
                                   salt: Any = None, default: Any = None, unsafe: Any = None) -> None:
        self.playbook_on_vars_prompt(varname, private, prompt, encrypt, confirm, salt_size, salt, default, unsafe)

    def v2_playbook_on_play_start(self, play: Play) -> None:
        self.playbook_on_play_start(getattr(play, "name", None) or play.get_name())

    def v2_playbook_on_stats(self, stats: AggregateStats) -> None:
        self.playbook_on_stats(stats)

    def v2_on_file_diff(self, result: TaskResult) -> None:
        if "diff" in result._result:
            self.on_file_diff(result._host.get_name(), result._result["diff"])

    def v2_playbook_on_include(self, included_file: Any) -> None:
        pass

    def v2_runner_item_on_ok(self, result: TaskResult) -> None:
        pass

    def v2_runner_item_on_failed(self, result: TaskResult) -> None:
        pass

    def v2_runner_item_on_skipped(self, result: TaskResult) -> None:
        pass

    def v2_runner_retry(self, result: TaskResult) -> None:
        pass

    def v2_runner_on_start(self, host: Host, task: Task) -> None:
        pass


def _caused_by_chain(links: list[Any], task_context: str) -> str:
    """ansible-core's ``<<< caused by >>>`` chain of an error (:data:`ERROR_CAUSE`): the
    links grouped by place (a link without one, ``None``, or at the place before, joins
    the previous group; ``[]`` starts a group shown without an origin), each group's messages joined with ``": "``, every group but the
    last ending with a full stop, then its origin and source lines; the first link is
    the task's, shown with ``task_context``."""
    groups: list[tuple[list[str], Any]] = []
    for text, origin in links:
        place = tuple(origin) if origin is not None else None
        if groups and (place is None or (place and place == groups[-1][1])):
            groups[-1][0].append(str(text))
        else:
            groups.append(([str(text)], place))
    sections = []
    for number, (texts, place) in enumerate(groups):
        message = ": ".join(texts)
        if number < len(groups) - 1 and not message.endswith((".", "!", "?")):
            message += "."
        where = task_context if number == 0 else format_source_context(*place) if place else ""
        sections.append(f"{message}\n{where}" if where else message)
    return "\n\n<<< caused by >>>\n\n".join(sections)
