"""The connection contract: how a task reaches a host.

A connection plugin provides a subclass of :class:`ConnectionBase` through the
``corral_connection(name)`` hook.  An executor creates one instance per host and keeps
it open while the host is among the most recently used ones (at most
``ExecutorSettings.max_connections`` hosts at once); every task of that host reuses
it, and a closed one is replaced by a new instance on the host's next task.
Instances are used from one thread at a time.

Settings: a connection class declares its options (``OPTIONS``, or ``DOCUMENTATION``
in its module: :mod:`corral.plugins.options`) over :data:`COMMON_OPTIONS`.  For each
task the kernel resolves them on the controller (:meth:`ConnectionBase.options_for`:
the target host's variables, task keywords, the command line, the environment, the
configuration file) and hands the instance a :class:`ConnectionOptions`; the plugin
reads them with ``self.get_option(name)``.  The kernel knows no one plugin's settings.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Hashable

from corral.plugins.options import IniSource, InvalidOptionValue, Option, declared_options, resolve_options

__all__ = ["Become", "ConnectionOptions", "ConnectionBase", "COMMON_OPTIONS"]


@dataclasses.dataclass(frozen=True)
class Become:
    """Privilege escalation for one command (``become*`` keywords and variables).

    Built on the controller from the become plugin's resolved options.  ``method``
    names the become plugin; ``plugin`` is the importable reference
    (``module:Class``) of its class, so that a worker process, which has no plugin
    manager of its own, builds the command with the same class; ``None`` means
    "look ``method`` up among the installed become plugins".  ``extra`` holds the
    plugin's other options (name, value) with lists as tuples: the object is
    hashable, because the executor keeps one module server per (host, interpreter,
    become).
    """

    method: str = "sudo"
    user: str = "root"
    password: str | None = dataclasses.field(default=None, repr=False)
    flags: str | None = None
    exe: str | None = None
    plugin: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    def get(self, name: str, default: Any = None) -> Any:
        """The plugin option ``name`` from ``extra`` (``prompt_l10n`` for ``su``...)."""
        return dict(self.extra).get(name, default)


_SCALARS = (str, int, float, bool, type(None))


def _frozen(value: Any) -> Any:
    """``value`` with its lists and dicts made tuples, so options can be compared and hashed."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, Mapping):
        return tuple((k, _frozen(v)) for k, v in value.items())
    return value


@dataclasses.dataclass(frozen=True)
class ConnectionOptions:
    """What the kernel hands a connection for one host.

    ``connection`` and ``inventory_hostname`` are the kernel's own; ``values`` holds
    the connection plugin's resolved options as ``(name, value)`` pairs in declaration
    order (see :meth:`ConnectionBase.options_for`).  Two tasks whose options are equal
    share one open connection.  List values are tuples, dict values tuples of
    ``(key, value)`` pairs.  ``origins`` says where each value that is not its
    default came from (``var: ansible_port``, ``env: CORRAL_TIMEOUT``...); it takes no
    part in equality.
    """

    connection: str
    inventory_hostname: str
    values: tuple[tuple[str, Any], ...] = dataclasses.field(default=(), kw_only=True)
    origins: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", dict(self.values))

    @classmethod
    def create(cls, connection: str, inventory_hostname: str, values: Mapping[str, Any],
               origins: Mapping[str, str] | None = None) -> "ConnectionOptions":
        """Options from a mapping of resolved values (made hashable); only the origins
        other than ``default`` are kept (they travel to the workers with every request)."""
        return cls(connection, inventory_hostname, values=tuple((k, _frozen(v)) for k, v in values.items()),
                   origins={k: v for k, v in (origins or {}).items() if v != "default"})

    def get(self, name: str, default: Any = None) -> Any:
        """The value of option ``name`` (``default`` when it is not set)."""
        value = self._index.get(name)  # type: ignore[attr-defined]
        return default if value is None else value

    def origin(self, name: str) -> str:
        """Where the value of option ``name`` came from (``default`` if unknown)."""
        return self.origins.get(name, "default")

    def __reduce__(self) -> tuple[Any, ...]:
        # options travel to the executor's workers with every request: the index is rebuilt there
        return (_restore, (type(self), self.connection, self.inventory_hostname, self.values, self.origins))

    def __repr__(self) -> str:
        # values may be secrets (passwords): only their names are shown
        return (f"ConnectionOptions(connection={self.connection!r}, inventory_hostname="
                f"{self.inventory_hostname!r}, options={[name for name, _ in self.values]})")


def _restore(cls: type[ConnectionOptions], connection: str, inventory_hostname: str,
             values: tuple[tuple[str, Any], ...], origins: Mapping[str, str]) -> ConnectionOptions:
    """Unpickle :class:`ConnectionOptions` (its ``values`` and ``origins`` are keyword-only)."""
    return cls(connection, inventory_hostname, values=values, origins=origins)


#: the options most connections share, as Ansible's play context and connection
#: plugins read them (a subclass adds its own or redeclares one with more sources)
COMMON_OPTIONS: dict[str, Option] = {
    "remote_addr": Option("remote_addr", vars=("ansible_host",),
                          description="Address of the host; the inventory hostname when unset."),
    "port": Option("port", type="int", env=("ANSIBLE_REMOTE_PORT",), ini=(("defaults", "remote_port"),),
                   vars=("ansible_port",), keywords=("port",), description="Remote port to connect to."),
    "remote_user": Option("remote_user", env=("ANSIBLE_REMOTE_USER",), ini=(("defaults", "remote_user"),),
                          vars=("ansible_user",), cli=("remote_user",), keywords=("remote_user",),
                          description="User to log in as."),
    "password": Option("password", vars=("ansible_password",), cli=("conn_pass",), secret=True,
                       description="Password to authenticate with (``-k`` asks for it)."),
    "timeout": Option("timeout", default=10, type="int", env=("ANSIBLE_TIMEOUT",), ini=(("defaults", "timeout"),),
                      vars=("ansible_timeout",), cli=("timeout",),
                      description="Seconds to wait for the connection (and a become prompt)."),
}


class ConnectionBase:
    """Base class of connection plugins.

    Contract:

    - ``__init__(options)`` stores the options (a :class:`ConnectionOptions` resolved
      from the class's declared options, read with ``get_option(name)``); it opens
      nothing, and it runs where the executor keeps connections (a worker process).
    - ``connect()`` opens the session; calling it again is a no-op.  It raises
      :class:`corral.errors.CorralConnectionFailure` (or
      ``CorralAuthenticationFailure``) with the reason when the host cannot be
      reached; the kernel then reports the host UNREACHABLE.
    - ``exec_command(cmd, in_data, become)`` runs the shell command line ``cmd``,
      writes ``in_data`` to its standard input and closes it, and returns
      ``(rc, stdout, stderr)``.  With ``become`` it runs the command as
      ``become.user`` through ``become.method``, answering any password prompt;
      a wrong password is a failure result (rc != 0), never a hang.
    - ``put_file(local, remote)`` / ``fetch_file(remote, local)`` copy files,
      streaming, keeping the mode of the source.
    - ``open_process(cmd, become)`` (optional) starts ``cmd`` like ``exec_command``
      but keeps it running and returns an object with ``write(data)``, ``read(n)``
      (returns fewer bytes, or ``b""``, only at the end of the stream) and
      ``close()``.  The executor keeps one such process per host as a module server
      (:mod:`corral.executor.module_server`), so the target's interpreter starts once
      per run, not once per task.  A connection without it raises
      ``NotImplementedError`` and modules run with ``exec_command``.  The object
      may also have ``kill()``: end the process now, with what it started (used
      when the run is interrupted; ``close()`` otherwise).  Closing its stdin
      must end it: a module server then kills its children's process groups.
    - ``exec_command`` interrupted by an exception (the run was interrupted)
      must not leave the command running: kill it before re-raising.
    - ``traced_command(cmd)`` (optional) is how the ``-vvv`` trace shows ``cmd`` as run.
    - ``reset()`` drops the session so the next command opens a new one.
    - ``close()`` releases everything; the instance is not used afterwards.

    Bounds: the executor closes the connection of its least recently used host
    before it opens one more than it may keep, so ``close()`` must free everything
    the instance holds (sockets, threads, pipes, processes), and the module server
    started by ``open_process`` lives only as long as its host's connection.
    ``shared_process_key()`` (optional) says where ``open_process`` runs when that
    does not depend on the host: connections returning equal keys may share one
    module server (for ``local``, every host runs on the controller).  ``None``
    (the default): this host's processes are its own.
    """

    transport: ClassVar[str] = ""
    #: whether module payloads may be fed on stdin (no temp files on the target);
    #: an instance may decide it from its options.  ``False``: the executor copies the
    #: payload with ``put_file`` into a temporary directory and runs it from there
    has_pipelining: bool = True
    OPTIONS: ClassVar[Mapping[str, Option]] = COMMON_OPTIONS

    def __init__(self, options: ConnectionOptions) -> None:
        self.options = options

    def get_option(self, name: str) -> Any:
        """The resolved value of option ``name`` (``None`` when unset); ``KeyError``
        when this connection class does not declare it."""
        if name not in self.option_specs():
            raise KeyError(f"connection plugin '{self.options.connection}' has no option '{name}'")
        return self.options.get(name)

    # -- options -------------------------------------------------------------

    @classmethod
    def option_specs(cls) -> Mapping[str, Option]:
        """The options this class declares (its own ``OPTIONS`` or module ``DOCUMENTATION``
        over its bases'); computed once per class."""
        specs = cls.__dict__.get("_option_specs")
        if specs is None:
            specs = declared_options(cls)
            setattr(cls, "_option_specs", specs)
        return specs

    @classmethod
    def option_names(cls, source: str) -> frozenset[str]:
        """Every name the declared options read from ``source`` (``"vars"``,
        ``"keywords"``, ``"cli"`` or ``"env"``); computed once per class."""
        cache = cls.__dict__.get("_option_names")
        if cache is None:
            cache = {}
            setattr(cls, "_option_names", cache)
        found = cache.get(source)
        if found is None:
            found = cache[source] = frozenset(n for spec in cls.option_specs().values()
                                              for n in getattr(spec, source))
        return found

    @classmethod
    def options_for(cls, connection: str, inventory_hostname: str, *,
                    variables: Mapping[str, Any] | None = None, keywords: Mapping[str, Any] | None = None,
                    cli: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None,
                    ini: IniSource | Mapping[Any, Any] | None = None, direct: Mapping[str, Any] | None = None,
                    template: Callable[[Any], Any] | None = None) -> ConnectionOptions:
        """Resolve this class's options for one host (see :func:`corral.plugins.options.resolve_options`
        for the sources and their precedence); ``remote_addr`` defaults to
        ``inventory_hostname``.  Raises :class:`corral.errors.CorralOptionsError` naming
        the host, the option and where its value came from; a bad value of one of the
        :data:`COMMON_OPTIONS` is worded as Ansible words a bad keyword."""
        try:
            resolved = resolve_options(cls.option_specs(), plugin=f"connection plugin '{connection}' for host "
                                       f"'{inventory_hostname}'", direct=direct, variables=variables,
                                       keywords=keywords, cli=cli, env=env, ini=ini, template=template)
        except InvalidOptionValue as exc:
            common = COMMON_OPTIONS.get(exc.option.name)
            if common is None:
                raise
            raise InvalidOptionValue(f"Error processing keyword '{common.name}': The value '{exc.value}' could "
                                     f"not be converted to '{common.type}'.", option=exc.option, value=exc.value,
                                     origin=exc.origin) from None
        if "remote_addr" in resolved and resolved["remote_addr"] is None:
            resolved["remote_addr"] = inventory_hostname
        return ConnectionOptions.create(connection, inventory_hostname, resolved, resolved.origins)

    def traced_command(self, cmd: str) -> str:
        """How the ``-vvv`` trace shows the shell command line ``cmd`` this connection
        runs (after ``EXEC``): the line itself by default; a connection that wraps it
        (``/bin/sh -c '...'``) shows the wrapping, quoted as ansible-core quotes it."""
        return cmd

    def connect(self) -> None:
        raise NotImplementedError

    def exec_command(self, cmd: str, in_data: bytes | None = None,
                     become: Become | None = None) -> tuple[int, bytes, bytes]:
        raise NotImplementedError

    def open_process(self, cmd: str, become: Become | None = None) -> Any:
        raise NotImplementedError

    def shared_process_key(self) -> Hashable | None:
        """Where ``open_process`` runs, when that does not depend on the host."""
        return None

    def put_file(self, in_path: str, out_path: str) -> None:
        raise NotImplementedError

    def fetch_file(self, in_path: str, out_path: str) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        self.close()

    def close(self) -> None:
        raise NotImplementedError
