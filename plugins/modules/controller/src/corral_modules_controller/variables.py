"""``debug``, ``set_fact``, ``include_vars`` and ``set_stats``."""
from __future__ import annotations

import os
import re
from keyword import iskeyword
from typing import Any

from corral.config import boolean
from corral.errors import CorralError, CorralFileNotFound, CorralUndefinedVariable, position_of
from corral.plugins.action import ActionBase
from corral.results import ERROR_CAUSE, NO_TRACEBACK
from corral_modules_controller.unsupported import refuse_unsupported
from corral.plugins.traits import FACTS_INCLUDED_VARIABLES, FACTS_VARIABLES
from corral.template import is_whole_template

__all__ = ["DebugAction", "SetFactAction", "IncludeVarsAction", "SetStatsAction"]

_VALID_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class DebugAction(ActionBase):
    """Print a message (``msg``) or a variable (``var``) when ``verbosity`` allows."""

    NEEDS_CONNECTION = False
    #: ``var`` names an expression, evaluated by the action (a template in it is rendered first)
    UNTEMPLATED_ARGS = frozenset({"var"})

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        args = self._task.args
        refuse_unsupported("debug", args, ("msg", "var", "verbosity"))
        if "msg" in args and "var" in args:
            return {"failed": True, "msg": "'msg' and 'var' are incompatible options"}
        verbosity = int(args.get("verbosity", 0) or 0)
        if verbosity > self._play_context.verbosity:
            return {"skipped_reason": "Verbosity threshold not met.", "skipped": True, "changed": False}
        result: dict[str, Any] = {"changed": False, "_ansible_verbose_always": True}
        if "var" in args:
            name = args["var"]
            key = str(name)
            try:
                key, value = self._resolve_var(name)
            except CorralUndefinedVariable as exc:
                value = f"<< error 1 - {exc.message} >>"
            except CorralError as exc:
                raise CorralError(f"Error while resolving `var` expression: {exc.message}") from exc
            result[key] = value
        elif args.get("msg", "Hello world!") is not None:     # as ansible-core: a null msg shows nothing
            result["msg"] = args.get("msg", "Hello world!")
        return result

    def _resolve_var(self, name: Any) -> tuple[str, Any]:
        """The key shown and the value ``var`` names: an expression (``x.y``); a
        whole template is rendered first and its result, if a string, is the
        expression shown and evaluated (only a trusted one: host data is never
        evaluated)."""
        if not isinstance(name, str):
            return str(name), name
        expression: Any = name
        if is_whole_template(name):
            expression = self._templar.template_expression(name)
            if not isinstance(expression, str):
                return name, expression
        elif self._templar.is_template(name):
            return name, self._templar.template(name)
        return str(expression), self._templar.evaluate_expression(expression)


class SetFactAction(ActionBase):
    """Set host variables for the rest of the run (``cacheable`` also stores them as facts).

    Each name is templated first (``set_fact: "{{ item }}=moo"``, ``"path_{{ idx }}": x``)
    and must then be a valid variable name; any other key, ``_raw_params`` of a
    free-form string included, is set as it is, as ansible-core 2.21 does."""

    NEEDS_CONNECTION = False
    FACTS = FACTS_VARIABLES
    RAW_PARAMS = True

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        cacheable = False
        for key, value in self._task.args.items():
            if key == "cacheable":
                cacheable = boolean(value)
                continue
            name = self._templar.template(key) if isinstance(key, str) else key
            if not isinstance(name, str) or not _VALID_NAME.match(name) or iskeyword(name):
                raise CorralError(f"Invalid variable name {str(name)!r}.")
            facts[name] = value
        if not facts:
            return {"failed": True, "changed": False,
                    "msg": "No key/value pairs provided, at least one is required for this action to succeed"}
        return {"changed": False, "ansible_facts": facts, "_ansible_facts_cacheable": cacheable}


class SetStatsAction(ActionBase):
    """Custom statistics shown with the recap (``data``, ``per_host``, ``aggregate``)."""

    _VALID_ARGS = frozenset({"data", "per_host", "aggregate"})
    NEEDS_CONNECTION = False

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        super().run(tmp, task_vars)
        data = self._task.args.get("data")
        if not isinstance(data, dict):
            raise CorralError("The 'data' option needs to be a dictionary/hash")
        stats = {"data": data, "per_host": boolean(self._task.args.get("per_host", False)),
                 "aggregate": boolean(self._task.args.get("aggregate", True))}
        return {"changed": False, "ansible_stats": stats}


class IncludeVarsAction(ActionBase):
    """Load variables from a YAML/JSON file or every matching file of a directory."""

    _VALID_ARGS = frozenset({"file", "_raw_params", "dir", "name", "files_matching", "ignore_files",
                             "extensions", "depth", "ignore_unknown_extensions", "hash_behaviour"})
    NEEDS_CONNECTION = False
    FACTS = FACTS_INCLUDED_VARIABLES

    def _option_position(self, name: str) -> tuple[str, int, int] | None:
        """Where the option ``name`` is written: its key, or the ``key=value`` arguments holding it."""
        where = position_of(name)
        data = getattr(self._task, "_ds", None)
        if where is None and isinstance(data, dict):
            where = next((position_of(value) for value in data.values()
                          if isinstance(value, str) and f"{name}=" in value and position_of(value)), None)
        return where

    def run(self, tmp: str | None = None, task_vars: Any = None) -> dict[str, Any]:
        args = self._task.args
        for name in args:
            if name not in self._VALID_ARGS:
                # as ansible-core 2.21: caused by the option, at the place it is written
                message = f"{name} is not a valid option in include_vars"
                where = self._option_position(name)
                return {"failed": True, "changed": False, "msg": f"Task failed: {message}",
                        "exception": NO_TRACEBACK,
                        ERROR_CAUSE: [["Task failed", None], [message, list(where) if where else []]]}
        super().run(tmp, task_vars)
        source_file = args.get("file") or args.get("_raw_params")
        source_dir = args.get("dir")
        if source_file and source_dir:
            raise CorralError("You are mixing file only and dir only arguments, these are incompatible")
        extensions = args.get("extensions") or ["yaml", "yml", "json"]
        if source_dir:
            files = self._dir_files(source_dir, extensions, args)
        elif source_file:
            found = self._find_vars_file(str(source_file))
            if isinstance(found, dict):
                return found
            files = [found]
        else:
            raise CorralError("include_vars needs a file or a dir")
        data: dict[str, Any] = {}
        vaulted = False
        for path in files:
            text, was_vaulted = self._loader.get_text_file_contents(path)
            vaulted = vaulted or was_vaulted
            loaded = self._loader.load(text, file_name=path) or {}
            if not isinstance(loaded, dict):
                raise CorralError(f"{path} must be stored as a dictionary/hash")
            data.update(loaded)
        name = args.get("name")
        facts = {str(name): data} if name else data
        result = {"changed": False, "ansible_facts": facts, "ansible_included_var_files": files}
        if vaulted:
            # a vault-encrypted file's values are never shown: the whole result is censored, as with no_log
            result["_ansible_no_log"] = True
        return result

    def _find_vars_file(self, needle: str) -> str | dict[str, Any]:
        """The path of ``needle`` along the task's search path (``vars/``, then beside it:
        its role, the directory of its tasks file, the playbook's directory), or
        Ansible's failed result naming where it looked."""
        try:
            return self._find_needle("vars", needle)
        except CorralFileNotFound as exc:
            return {"failed": True, "changed": False, "ansible_facts": {}, "ansible_included_var_files": [],
                    "message": exc.message, "msg": "Task failed: Action failed: Unknown error."}

    def _dir_files(self, source_dir: str, extensions: list[str], args: dict[str, Any]) -> list[str]:
        root = self._find_needle("vars", str(source_dir))
        matching = re.compile(args["files_matching"]) if args.get("files_matching") else None
        ignore = set(args.get("ignore_files") or [])
        depth = int(args.get("depth", 0) or 0)
        found: list[str] = []
        base_depth = root.rstrip(os.sep).count(os.sep)
        for current, dirs, names in os.walk(root):
            dirs.sort()
            if depth and current.count(os.sep) - base_depth >= depth:
                dirs[:] = []
            for file_name in sorted(names):
                if file_name in ignore or (matching and not matching.search(file_name)):
                    continue
                if file_name.rsplit(".", 1)[-1] not in extensions:
                    continue
                found.append(os.path.join(current, file_name))
        return found
