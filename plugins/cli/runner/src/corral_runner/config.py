"""What one ``corral-runner`` run will do: the command, its environment and working
directory, the artifact directory, prompt answers and timeouts, built from keyword
arguments and the private data directory as ansible-runner builds its ``RunnerConfig``.

``RunnerConfig(...).prepare()`` reads ``env/*`` and settles everything; the fields it
sets are then read by :class:`corral_runner.runner.Runner`.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sys
import uuid
from typing import Any, Mapping, Sequence

from corral_runner.private_data import load_mapping, load_text

__all__ = ["RunnerConfig", "ConfigurationError"]


class ConfigurationError(ValueError):
    """The run cannot be prepared (no playbook, both a playbook and a module, ...)."""


def _binary(name: str, path: str | None) -> str:
    """``name`` if the run's ``PATH`` finds it; else the one installed beside this
    Python (a virtualenv's ``bin/``), as an absolute path."""
    if shutil.which(name, path=path):
        return name
    beside = os.path.join(os.path.dirname(sys.executable), name)
    return beside if os.path.exists(beside) else name


class RunnerConfig:
    """One run's configuration.  Keywords as :func:`corral_runner.run` takes them."""

    def __init__(self, private_data_dir: str, *, ident: str | None = None, playbook: str | None = None,
                 module: str | None = None, module_args: str | None = None, host_pattern: str | None = None,
                 inventory: str | Sequence[str] | None = None, limit: str | None = None,
                 cmdline: str | None = None, extravars: Mapping[str, Any] | None = None,
                 verbosity: int | None = None, forks: int | None = None, tags: str | None = None,
                 skip_tags: str | None = None, binary: str | None = None, artifact_dir: str | None = None,
                 project_dir: str | None = None, rotate_artifacts: int = 0, quiet: bool = False,
                 json_mode: bool = False, passwords: Mapping[str, str] | None = None,
                 settings: Mapping[str, Any] | None = None, envvars: Mapping[str, Any] | None = None,
                 ssh_key: str | None = None, timeout: int | None = None, fact_cache: str | None = None,
                 fact_cache_type: str = "jsonfile", omit_event_data: bool = False,
                 only_failed_event_data: bool = False, roles_path: str | Sequence[str] | None = None,
                 suppress_env_files: bool = False) -> None:
        self.private_data_dir = os.path.abspath(private_data_dir)
        os.makedirs(self.private_data_dir, mode=0o700, exist_ok=True)
        self.ident = str(ident) if ident is not None else str(uuid.uuid4())
        artifact_root = os.path.abspath(artifact_dir) if artifact_dir else os.path.join(self.private_data_dir,
                                                                                       "artifacts")
        self.artifact_root = artifact_root
        self.artifact_dir = os.path.join(artifact_root, self.ident)
        self.project_dir = project_dir or os.path.join(self.private_data_dir, "project")
        self.playbook, self.module, self.module_args, self.host_pattern = playbook, module, module_args, host_pattern
        self.inventory = inventory
        self.limit, self.cmdline_args, self.extra_vars = limit, cmdline, extravars
        self.verbosity, self.forks, self.tags, self.skip_tags, self.binary = verbosity, forks, tags, skip_tags, binary
        self.rotate_artifacts = int(rotate_artifacts or 0)
        self.quiet, self.json_mode = quiet, json_mode
        self.passwords = dict(passwords) if passwords else None
        self.settings: dict[str, Any] = dict(settings or {})
        self.envvars = dict(envvars or {})
        self.ssh_key_data = ssh_key
        self.timeout = timeout
        self.fact_cache_type = fact_cache_type
        self.fact_cache = os.path.join(self.artifact_dir, fact_cache or "fact_cache") \
            if fact_cache_type == "jsonfile" else None
        self.omit_event_data, self.only_failed_event_data = omit_event_data, only_failed_event_data
        self.roles_path = roles_path
        self.suppress_env_files = suppress_env_files
        # settled by prepare()
        self.command: list[str] = []
        self.env: dict[str, str] = {}
        self.cwd = self.private_data_dir
        self.expect_passwords: list[tuple[re.Pattern[str], str]] = []
        self.pexpect_timeout: float = 5
        self.idle_timeout: float | None = None
        self.job_timeout: float | None = None
        self.suppress_output_file = False
        self.suppress_ansible_output = quiet
        self.ssh_key_path: str | None = None

    # -- preparation -------------------------------------------------------------------

    def prepare(self) -> None:
        """Read the private data directory and settle the command, environment and limits."""
        if self.module and self.playbook:
            raise ConfigurationError("Only one of playbook and module options are allowed")
        os.makedirs(self.artifact_dir, mode=0o700, exist_ok=True)
        self._prepare_env()
        self._prepare_inventory()
        self._prepare_command()
        if self.ssh_key_data:
            self.ssh_key_path = os.path.join(self.artifact_dir, "ssh_key_data")
            self.command = self._wrap_with_ssh_agent(self.command, self.ssh_key_path)

    def _prepare_env(self) -> None:
        self.settings.update(load_mapping(self.private_data_dir, "env/settings") or {})
        if self.passwords is None:
            self.passwords = load_mapping(self.private_data_dir, "env/passwords")
        self.expect_passwords = [(re.compile(pattern, re.M), str(answer))
                                 for pattern, answer in (self.passwords or {}).items()]
        self.pexpect_timeout = float(self.settings.get("pexpect_timeout", 5))
        self.idle_timeout = self.settings.get("idle_timeout")
        self.job_timeout = int(self.timeout) if self.timeout else self.settings.get("job_timeout")
        env = dict(os.environ)
        env.update({str(k): str(v) for k, v in self.envvars.items()})
        env.update({str(k): str(v) for k, v in (load_mapping(self.private_data_dir, "env/envvars") or {}).items()})
        if self.ssh_key_data is None:
            self.ssh_key_data = load_text(self.private_data_dir, "env/ssh_key") or None
        self.suppress_output_file = bool(self.settings.get("suppress_output_file", False))
        self.suppress_ansible_output = bool(self.settings.get("suppress_ansible_output", self.quiet))
        if "fact_cache" in self.settings and self.settings.get("fact_cache_type", "jsonfile") == "jsonfile":
            self.fact_cache = os.path.join(self.artifact_dir, self.settings["fact_cache"])
        adhoc = self.binary is None and self.module is not None
        if adhoc:
            env.setdefault("AD_HOC_COMMAND_ID", "1")
            env["ANSIBLE_LOAD_CALLBACK_PLUGINS"] = "1"
            env.pop("CORRAL_LOAD_CALLBACK_PLUGINS", None)
        self.cwd = self.private_data_dir if "AD_HOC_COMMAND_ID" in env or not os.path.isdir(self.project_dir) \
            else self.project_dir
        if self.roles_path:
            env["ANSIBLE_ROLES_PATH"] = self.roles_path if isinstance(self.roles_path, str) \
                else ":".join(self.roles_path)
        original = env.pop("CORRAL_STDOUT_CALLBACK", None) or env.get("ANSIBLE_STDOUT_CALLBACK")
        if original:
            env["ORIGINAL_STDOUT_CALLBACK"] = original
        env["ANSIBLE_STDOUT_CALLBACK"] = "awx_display"
        env["ANSIBLE_RETRY_FILES_ENABLED"] = "False"
        env.setdefault("ANSIBLE_HOST_KEY_CHECKING", "False")
        env["AWX_ISOLATED_DATA_DIR"] = self.artifact_dir
        if self.fact_cache_type == "jsonfile" and self.fact_cache:
            for name in ("CORRAL_CACHE_PLUGIN", "CORRAL_CACHE_PLUGIN_CONNECTION"):
                env.pop(name, None)
            env["ANSIBLE_CACHE_PLUGIN"] = "jsonfile"
            env["ANSIBLE_CACHE_PLUGIN_CONNECTION"] = self.fact_cache
        env["RUNNER_OMIT_EVENTS"] = str(bool(self.omit_event_data))
        env["RUNNER_ONLY_FAILED_EVENTS"] = str(bool(self.only_failed_event_data))
        self.env = env

    def _prepare_inventory(self) -> None:
        if self.inventory is None:
            default = os.path.join(self.private_data_dir, "inventory")
            if os.path.exists(default):
                self.inventory = default
        elif isinstance(self.inventory, str) and os.path.exists(self.inventory):
            self.inventory = os.path.abspath(self.inventory)

    def _prepare_command(self) -> None:
        raw = load_text(self.private_data_dir, "args")
        if raw is not None:
            self.command = shlex.split(raw)
            return
        if self.binary is None and self.module is None and not self.playbook:
            raise ConfigurationError("Runner playbook required when running ansible-playbook")
        path = self.env.get("PATH")
        if self.binary is not None:
            command = [self.binary]
        elif self.module is not None:
            command = [_binary("corral", path)]
        else:
            command = [_binary("corral-playbook", path)]
        cmdline = self.cmdline_args if self.cmdline_args else load_text(self.private_data_dir, "env/cmdline")
        if cmdline:
            command += shlex.split(cmdline)
        if isinstance(self.inventory, str):
            command += ["-i", self.inventory]
        elif self.inventory is not None:
            for source in self.inventory:
                command += ["-i", str(source)]
        if self.limit is not None:
            command += ["--limit", self.limit]
        extravars = os.path.join(self.private_data_dir, "env", "extravars")
        if os.path.isfile(extravars):
            command += ["-e", f"@{extravars}"]
        if self.extra_vars:
            pairs = ",".join(f"{json.dumps(str(key))}:{json.dumps(value)}" for key, value in self.extra_vars.items())
            command += ["-e", "{" + pairs + "}"]
        if self.verbosity:
            command.append("-" + "v" * int(self.verbosity))
        if self.tags:
            command += ["--tags", self.tags]
        if self.skip_tags:
            command += ["--skip-tags", self.skip_tags]
        if self.forks:
            command += ["--forks", str(self.forks)]
        if self.binary is not None:
            pass
        elif self.module is not None:
            command += ["-m", self.module]
            if self.module_args is not None:
                command += ["-a", self.module_args]
            if self.host_pattern is not None:
                command.append(self.host_pattern)
        else:
            command.append(str(self.playbook))
        self.command = command

    @staticmethod
    def _wrap_with_ssh_agent(command: list[str], key_path: str) -> list[str]:
        """Run ``command`` under its own ``ssh-agent`` holding the run's key, which is
        read once from a FIFO and removed, as ansible-runner does."""
        cleanup = shlex.join(["rm", "-f", key_path])
        script = " && ".join([f"trap {shlex.quote(cleanup)} EXIT", shlex.join(["ssh-add", key_path]), cleanup,
                              shlex.join(command)])
        return ["ssh-agent", "sh", "-c", script]
