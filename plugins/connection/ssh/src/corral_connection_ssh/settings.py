"""Resolve where and how to connect, from corral's options, ssh arguments and ~/.ssh/config.

Precedence, highest first (as with Ansible driving OpenSSH): the plugin's options
that a source set (host variables, keywords, command line, environment, config
file: :mod:`corral_connection_ssh.options`), then OpenSSH arguments in the
``ssh_common_args`` / ``ssh_extra_args`` / ``ssh_args`` options (``-o Key=Value``,
``-J``, ``-p``, ``-l``, ``-i``, ``-F``), then the ssh config file (``-F``,
``ssh_config_file`` or ``~/.ssh/config``; ``Host`` blocks matched against the
address), then the options' defaults.
"""
from __future__ import annotations

import dataclasses
import getpass
import os
import shlex
from pathlib import Path
from typing import Any

import paramiko

from corral.errors import CorralOptionsError
from corral.plugins.connection import ConnectionOptions

__all__ = ["Endpoint", "SshSettings", "resolve", "parse_ssh_args", "truthy"]

#: ``-o`` options corral understands; others are accepted and ignored
_KNOWN_OPTIONS = {
    "hostname", "port", "user", "identityfile", "identitiesonly", "proxyjump", "proxycommand",
    "userknownhostsfile", "globalknownhostsfile", "stricthostkeychecking", "connecttimeout",
    "serveraliveinterval", "serveralivecountmax", "connectionattempts",
}


def truthy(value: Any) -> bool:
    """Ansible's boolean reading of a setting (``yes``/``true``/``1``/``on``)."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "yes", "true", "on", "y", "t")


@dataclasses.dataclass(frozen=True)
class Endpoint:
    """One hop: a host to open a Transport to."""

    host: str
    port: int
    user: str
    key_files: tuple[str, ...] = ()

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.user}@{host}:{self.port}"


@dataclasses.dataclass(frozen=True)
class SshSettings:
    """Everything :class:`~corral_connection_ssh.connection.SshConnection` needs."""

    target: Endpoint
    jumps: tuple[Endpoint, ...] = ()
    proxy_command: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    passphrase: str | None = dataclasses.field(default=None, repr=False)
    allow_agent: bool = True
    look_for_keys: bool = True
    identities_only: bool = False
    known_hosts_files: tuple[str, ...] = ()
    host_key_checking: bool = True
    record_host_keys: bool = False
    timeout: float = 10.0
    keepalive_interval: float = 15.0
    keepalive_count_max: int = 3
    retries: int = 0


def parse_ssh_args(text: str | None) -> tuple[dict[str, list[str]], list[str]]:
    """Parse an ssh argument string into ``({option: [values]}, [jump specs])``.

    Options are lower-cased OpenSSH names (``-p`` is ``port``, ``-i`` is
    ``identityfile``, ``-l`` is ``user``, ``-F`` is ``configfile``).
    """
    options: dict[str, list[str]] = {}
    jumps: list[str] = []
    if not text:
        return options, jumps
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise CorralOptionsError(f"cannot parse ssh arguments {text!r}: {exc}") from exc
    flag_names = {"-p": "port", "-i": "identityfile", "-l": "user", "-F": "configfile"}
    i = 0
    while i < len(words):
        word = words[i]

        def value() -> str:
            nonlocal i
            if len(word) > 2:
                return word[2:]
            i += 1
            if i >= len(words):
                raise CorralOptionsError(f"ssh argument {word} needs a value in {text!r}")
            return words[i]

        if word.startswith("-o"):
            item = value()
            key, sep, val = item.partition("=")
            if not sep:
                key, _, val = item.partition(" ")
            options.setdefault(key.strip().lower(), []).append(val.strip())
        elif word.startswith("-J"):
            jumps.extend(j for j in value().split(",") if j)
        elif word[:2] in flag_names:
            options.setdefault(flag_names[word[:2]], []).append(value())
        i += 1
    if "proxyjump" in options:
        jumps = [j for spec in options["proxyjump"] for j in spec.split(",") if j] + jumps
    return options, jumps


def _split_jump(spec: str) -> tuple[str | None, str, int | None]:
    """``[user@]host[:port]`` (host may be ``[v6]``) -> (user, host, port)."""
    user = None
    if spec.startswith("ssh://"):
        spec = spec[6:]
    if "@" in spec:
        user, spec = spec.rsplit("@", 1)
    port = None
    if spec.startswith("["):
        host, _, rest = spec[1:].partition("]")
        if rest.startswith(":"):
            port = int(rest[1:])
    elif spec.count(":") == 1:
        host, port_text = spec.split(":")
        port = int(port_text)
    else:
        host = spec
    return user, host, port


def _load_config(path: str | None) -> paramiko.SSHConfig:
    if path is None:
        default = Path("~/.ssh/config").expanduser()
        if not default.is_file():
            return paramiko.SSHConfig()
        path = str(default)
    try:
        return paramiko.SSHConfig.from_path(os.path.expanduser(path))
    except OSError as exc:
        raise CorralOptionsError(f"cannot read ssh config {path}: {exc}") from exc


def _first(*values: Any) -> Any:
    for v in values:
        if v not in (None, "", []):
            return v
    return None


def _explicit(options: ConnectionOptions, name: str) -> Any:
    """Option ``name`` when a source set it (not its declared default), else ``None``."""
    return options.get(name) if options.origin(name) != "default" else None


def resolve(options: ConnectionOptions) -> SshSettings:
    """Build :class:`SshSettings` for ``options`` (raises CorralOptionsError on bad input)."""
    args, jump_specs = parse_ssh_args(" ".join(
        a for a in (options.get("ssh_common_args"), options.get("ssh_extra_args"), options.get("ssh_args")) if a))

    def arg(name: str) -> str | None:
        vals = args.get(name)
        return vals[0] if vals else None

    config = _load_config(arg("configfile") or options.get("ssh_config_file"))
    address = str(options.get("remote_addr") or options.inventory_hostname).strip("[]")
    cfg = config.lookup(address)
    host = _first(arg("hostname"), cfg.get("hostname"), address)
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        port = int(_first(options.get("port"), arg("port"), cfg.get("port"), 22))
    except ValueError as exc:
        raise CorralOptionsError(f"bad ssh port for {options.inventory_hostname}: {exc}") from exc
    user = _first(options.get("remote_user"), arg("user"), cfg.get("user"), getpass.getuser())
    key_file = options.get("private_key_file")
    key_files = tuple(os.path.expanduser(k) for k in ([key_file] if key_file else [])
                      + args.get("identityfile", []) + list(cfg.get("identityfile", [])))
    if not jump_specs and cfg.get("proxyjump") and cfg["proxyjump"].lower() != "none":
        jump_specs = [j for j in cfg["proxyjump"].split(",") if j]
    jumps = []
    for spec in jump_specs:
        juser, jhost, jport = _split_jump(spec)
        jcfg = config.lookup(jhost)
        jumps.append(Endpoint(
            host=_first(jcfg.get("hostname"), jhost),
            port=int(_first(jport, jcfg.get("port"), 22)),
            user=_first(juser, jcfg.get("user"), user),
            key_files=tuple(os.path.expanduser(k) for k in jcfg.get("identityfile", [])) + key_files,
        ))
    known: list[str] = []
    user_known = _first(args.get("userknownhostsfile"), cfg.get("userknownhostsfile"))
    if isinstance(user_known, list):
        user_known = " ".join(user_known)
    known.extend((user_known or "~/.ssh/known_hosts ~/.ssh/known_hosts2").split())
    known.extend(options.get("known_hosts_file", ()))
    known.extend((arg("globalknownhostsfile") or "/etc/ssh/ssh_known_hosts").split())
    strict = _first(arg("stricthostkeychecking"), cfg.get("stricthostkeychecking"))
    checking = bool(options.get("host_key_checking", True))
    if strict is not None and strict.lower() in ("no", "off", "accept-new"):
        checking = False
    proxy_command = _first(arg("proxycommand"), cfg.get("proxycommand"))
    if proxy_command and proxy_command.lower() == "none":
        proxy_command = None
    if proxy_command:
        proxy_command = proxy_command.replace("%h", host).replace("%p", str(port)).replace("%r", user)
    timeout = float(_first(_explicit(options, "timeout"), arg("connecttimeout"), cfg.get("connecttimeout"),
                           options.get("timeout"), 10))
    retries = _explicit(options, "reconnection_retries")
    attempts = arg("connectionattempts")
    if retries is None and attempts:
        retries = int(attempts) - 1      # ConnectionAttempts counts the first try
    return SshSettings(
        target=Endpoint(host, port, user, key_files),
        jumps=tuple(jumps),
        proxy_command=proxy_command,
        password=options.get("password"),
        passphrase=options.get("private_key_passphrase"),
        allow_agent=bool(options.get("allow_agent", True)),
        look_for_keys=bool(options.get("look_for_keys", True)),
        identities_only=truthy(_first(arg("identitiesonly"), cfg.get("identitiesonly"), "no")),
        known_hosts_files=tuple(dict.fromkeys(os.path.expanduser(k) for k in known)),
        host_key_checking=checking,
        record_host_keys=bool(options.get("record_host_keys", False)),
        timeout=timeout,
        keepalive_interval=float(_first(arg("serveraliveinterval"), cfg.get("serveraliveinterval"), 15)),
        keepalive_count_max=int(_first(arg("serveralivecountmax"), cfg.get("serveralivecountmax"), 3)),
        retries=max(0, int(retries or 0)),
    )
