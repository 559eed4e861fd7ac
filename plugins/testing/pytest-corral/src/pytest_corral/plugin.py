"""The fixtures (registered through the ``pytest11`` entry point).

``corral_inventory`` and ``corral_run`` build an inventory and run plays in
process (:mod:`pytest_corral.inventory`, :mod:`pytest_corral.runs`); they need no
root.  The SSH fixtures follow.  Session-scoped servers and users are shared by every test of a run; anything a
test may break (kill, restart) comes from ``corral_sshd_factory``, which stops
what it started at the end of the test.  All need root (to create users and run
a multi-user ``sshd``) and OpenSSH's ``sshd``; a missing prerequisite fails the
test with the reason.
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from corral.plugins.connection import ConnectionOptions
from corral.plugins.manager import PluginManager
from pytest_corral.inventory import InventoryBuilder
from pytest_corral.runs import PlaybookRunner
from pytest_corral.sshd import SshdError, SshServer, SshUser, create_user, delete_user

DEFAULT_ADDRESSES = tuple(f"127.0.0.{i}" for i in range(1, 9))
#: numbers the servers of ``corral_sshd_factory`` across the session: their working
#: directories (host keys) share one session directory, and names truncated to 40
#: characters of tests whose names differ only after that would collide
_FACTORY_SERVERS = itertools.count()


@pytest.fixture
def corral_inventory() -> InventoryBuilder:
    """An empty :class:`pytest_corral.InventoryBuilder`; ``corral_run`` uses it."""
    return InventoryBuilder()


@pytest.fixture
def corral_run(tmp_path: Path, corral_inventory: InventoryBuilder) -> PlaybookRunner:
    """A :class:`pytest_corral.PlaybookRunner` over ``corral_inventory``:
    ``corral_run.task({...})`` and ``corral_run.playbook([...])`` return a
    :class:`corral.api.RunResult` (rc, per-host outcomes, job events)."""
    return PlaybookRunner(tmp_path, corral_inventory)


def _require_root() -> None:
    if os.geteuid() != 0:
        pytest.fail("pytest-corral's SSH fixtures need root (to create test users and run sshd)",
                    pytrace=False)


def _started(server: SshServer) -> SshServer:
    """Start ``server``; a failure fails the test with the reason (no traceback)."""
    try:
        return server.start()
    except SshdError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def corral_ssh_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch directory for keys, sshd configs and logs, shared by the session."""
    return tmp_path_factory.mktemp("corral-ssh")


@pytest.fixture(scope="session")
def corral_ssh_user(corral_ssh_workdir: Path) -> Iterator[SshUser]:
    """A non-root user with an ed25519 key, a passphrase-encrypted RSA key, a password,
    an empty home (no shell rc files) and sudo that asks for the password every time."""
    _require_root()
    try:
        user = create_user(corral_ssh_workdir, prefix="crl", sudo=True)
    except SshdError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield user
    delete_user(user)


@pytest.fixture(scope="session")
def corral_su_user(corral_ssh_workdir: Path) -> Iterator[SshUser]:
    """A second user, with a password, for ``become_method: su`` tests."""
    _require_root()
    user = create_user(corral_ssh_workdir, prefix="crs")
    yield user
    delete_user(user)


@pytest.fixture(scope="session")
def corral_sshd(corral_ssh_workdir: Path, corral_ssh_user: SshUser,
                corral_su_user: SshUser) -> Iterator[SshServer]:
    """An OpenSSH server listening on 127.0.0.1 to 127.0.0.8 (one port), shared by the session.

    ``known_hosts`` lists its host keys; ``accepted_sessions()`` counts logins.
    Do not stop it in a test: use ``corral_sshd_factory`` for a server to break.
    """
    server = _started(SshServer(corral_ssh_workdir, [corral_ssh_user, corral_su_user], DEFAULT_ADDRESSES,
                                name="sshd-main"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def corral_jump_sshd(corral_ssh_workdir: Path, corral_ssh_user: SshUser) -> Iterator[SshServer]:
    """A second OpenSSH server on 127.0.0.1 (own port, own host keys), to use as a jump host."""
    server = _started(SshServer(corral_ssh_workdir, [corral_ssh_user], ("127.0.0.1",), name="sshd-jump"))
    yield server
    server.stop()


@pytest.fixture
def corral_sshd_factory(corral_ssh_workdir: Path, corral_ssh_user: SshUser,
                        request: pytest.FixtureRequest) -> Iterator[Callable[..., SshServer]]:
    """Start extra servers: ``factory(addresses=("127.0.0.1",), users=None, extra_config="")``.

    Each is started at once and stopped after the test; tests may kill them.
    """
    started: list[SshServer] = []

    def factory(addresses=("127.0.0.1",), users: list[SshUser] | None = None,
                extra_config: str = "") -> SshServer:
        _require_root()
        name = f"sshd-{request.node.name[:40]}-{next(_FACTORY_SERVERS)}".replace("/", "_")
        server = SshServer(corral_ssh_workdir, users or [corral_ssh_user], addresses, name=name,
                           extra_config=extra_config)
        started.append(server)
        return _started(server)

    yield factory
    for server in started:
        server.stop()


@pytest.fixture
def corral_ssh_inventory(tmp_path: Path, corral_sshd: SshServer,
                         corral_ssh_user: SshUser) -> Callable[..., Path]:
    """Write an INI inventory: ``corral_ssh_inventory(count=None, server=None, **kw)``.

    Hosts ``host1..hostN`` in group ``ssh`` point at the server's addresses
    (``corral_sshd`` by default) as ``corral_ssh_user`` with its key; see
    :meth:`pytest_corral.sshd.SshServer.write_inventory` for the keywords.
    """
    def write(count: int | None = None, server: SshServer | None = None, **kw) -> Path:
        server = server or corral_sshd
        path = tmp_path / f"inventory-{server.workdir.name}-{count}.ini"
        return server.write_inventory(path, corral_ssh_user, count, **kw)

    return write


@pytest.fixture
def corral_ssh_options(corral_sshd: SshServer, corral_ssh_user: SshUser) -> Callable[..., ConnectionOptions]:
    """``corral_ssh_options(address=None, server=None, extra=None, **options)`` -> the
    :class:`corral.plugins.connection.ConnectionOptions` the ``ssh`` connection receives,
    resolved from its declared options as a run resolves them: ``extra`` are host
    variables, ``options`` the plugin's options set directly (``port``, ``password``,
    ``host_key_checking``, ``ssh_common_args``...); the environment and config files
    are left out.

    Defaults: the shared server, the test user with its ed25519 key, the server's
    known_hosts file, host key checking on, a 10 s timeout.
    """
    ssh = PluginManager().connection_class("ssh")

    def build(address: str | None = None, server: SshServer | None = None, extra: dict | None = None,
              **options: Any) -> ConnectionOptions:
        server = server or corral_sshd
        address = address or server.addresses[0]
        direct: dict[str, Any] = dict(remote_addr=address, port=server.port, remote_user=corral_ssh_user.name,
                                      private_key_file=str(corral_ssh_user.key), timeout=10)
        direct.update(options)
        variables = {"ansible_ssh_known_hosts_file": str(server.known_hosts), **(extra or {})}
        return ssh.options_for("ssh", f"h-{address}", variables=variables, direct=direct, env={}, ini={})

    return build
