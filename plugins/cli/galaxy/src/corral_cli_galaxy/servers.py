"""Which Galaxy servers corral-galaxy asks, configured as ansible-galaxy's are.

- ``[galaxy] server`` / ``ANSIBLE_GALAXY_SERVER``: the one server when no list is set
  (default ``https://galaxy.ansible.com``);
- ``[galaxy] server_list`` / ``ANSIBLE_GALAXY_SERVER_LIST``: names of servers, asked in
  order; each is a ``[galaxy_server.NAME]`` section with ``url``, ``token`` and
  ``validate_certs``, or ``ANSIBLE_GALAXY_SERVER_<NAME>_URL`` (``_TOKEN``,
  ``_VALIDATE_CERTS``) in the environment, which wins;
- ``-s/--server`` on the command line (a name from the list, or a URL) replaces them,
  and a requirement's ``source:`` does the same for that requirement.

Every ``ANSIBLE_*`` variable may also be spelled ``CORRAL_*``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corral.plugins.options import Option, resolve_options

from corral_cli_galaxy.galaxy_api import GalaxyServer

__all__ = ["OPTIONS", "galaxy_servers", "server_for"]

DEFAULT_SERVER = "https://galaxy.ansible.com"

OPTIONS: dict[str, Option] = {
    "server": Option("server", default=DEFAULT_SERVER, env=("ANSIBLE_GALAXY_SERVER",),
                     ini=(("galaxy", "server"),), description="The Galaxy server asked when no server_list is set."),
    "server_list": Option("server_list", type="list", default=[], env=("ANSIBLE_GALAXY_SERVER_LIST",),
                          ini=(("galaxy", "server_list"),),
                          description="Names of [galaxy_server.NAME] sections, asked in order."),
    "ignore_certs": Option("ignore_certs", type="bool", default=False, env=("ANSIBLE_GALAXY_IGNORE",),
                           ini=(("galaxy", "ignore_certs"),),
                           description="Do not check the servers' TLS certificates."),
    "token": Option("token", env=("ANSIBLE_GALAXY_TOKEN",), ini=(("galaxy", "token"),), secret=True,
                    description="The API token sent to the server given by 'server' or -s."),
}


def _server_option(name: str, key: str, config: Any, env: Mapping[str, str]) -> Any:
    suffix = f"GALAXY_SERVER_{name.upper()}_{key.upper()}"
    for prefix in ("CORRAL_", "ANSIBLE_"):
        if env.get(prefix + suffix):
            return env[prefix + suffix]
    return config.section_value(f"galaxy_server.{name}", key) if config is not None else None


def galaxy_servers(config: Any, env: Mapping[str, str], cli_server: str | None = None,
                   cli_token: str | None = None, ignore_certs: bool = False,
                   timeout: int | None = None) -> list[GalaxyServer]:
    """The servers to ask, in order, for a run configured by ``config`` (a
    :class:`corral.config.Config`) and ``env``; ``cli_server`` is ``-s``, ``timeout``
    ``--timeout`` (seconds per request)."""
    servers = _configured_servers(config, env, cli_server, cli_token, ignore_certs)
    for server in servers:
        server.timeout = timeout or server.timeout
    return servers


def _configured_servers(config: Any, env: Mapping[str, str], cli_server: str | None, cli_token: str | None,
                        ignore_certs: bool) -> list[GalaxyServer]:
    settings = resolve_options(OPTIONS, plugin="corral-galaxy", env=env, ini=config)
    validate = not (ignore_certs or settings["ignore_certs"])
    named = []
    for name in settings["server_list"] or []:
        url = _server_option(name, "url", config, env)
        if not url:
            continue
        certs = _server_option(name, "validate_certs", config, env)
        named.append(GalaxyServer(name, str(url), _server_option(name, "token", config, env),
                                  validate and str(certs).lower() not in ("false", "no", "0", "off")))
    if cli_server:
        chosen = [server for server in named if server.name == cli_server]
        if chosen:
            return chosen
        return [GalaxyServer(cli_server, cli_server, cli_token or settings["token"], validate)]
    if named:
        return named
    return [GalaxyServer("default", str(settings["server"]), cli_token or settings["token"], validate)]


def server_for(source: str, servers: list[GalaxyServer]) -> GalaxyServer:
    """The server a requirement's ``source:`` names: a configured server's name or URL,
    else a new server at that URL (``source`` must be an HTTP URL then)."""
    for server in servers:
        if source in (server.name, server.url):
            return server
    if not source.startswith(("http://", "https://")):
        raise ValueError(f"Collections requirement 'source' entry should contain a valid Galaxy API URL but it "
                         f"does not: {source} is not an HTTP URL.")
    return GalaxyServer(source, source, None, servers[0].validate_certs if servers else True)
