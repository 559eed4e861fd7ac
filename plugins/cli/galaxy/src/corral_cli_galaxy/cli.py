"""The ``corral-galaxy`` command line: ansible-galaxy's interface.

::

    corral-galaxy collection install NAME|TARBALL|DIR|git+URL[,ref]... | -r requirements.yml
    corral-galaxy collection list [NAME] [-p PATH] [--format human|json|yaml]
    corral-galaxy collection build [DIR] [--output-path DIR] [--force]
    corral-galaxy role install SRC[,version[,name]]... | -r requirements.yml
    corral-galaxy role list [NAME] | role remove NAME...
    corral-galaxy install -r requirements.yml      # roles: and collections: together

Exit status 0 on success, 1 on an error (printed as ``[ERROR]: ...``), 2 on a usage
error, 99 on Ctrl-C.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from corral.config import Config
from corral_content_ansible.paths import roots_of
from corral_content_ansible.settings import content_settings

from corral_cli_galaxy.artifact import ArtifactError, meta_of_tarball
from corral_cli_galaxy.collection_commands import (InstallOptions, as_root, build_collection, install_collections,
                                                   list_collections)
from corral_cli_galaxy.display import Display, GalaxyCliError
from corral_cli_galaxy.galaxy_api import GalaxyError, GalaxyServer
from corral_cli_galaxy.requirements import (CollectionRequirement, RequirementError, RoleRequirement,
                                            parse_collection_arg, parse_role_arg, read_requirements_file)
from corral_cli_galaxy.resolver import ResolutionError
from corral_cli_galaxy.role_commands import install_roles, list_roles, remove_roles
from corral_cli_galaxy.servers import galaxy_servers

__all__ = ["main", "build_parser"]


def _paths(values: list[str] | None) -> list[str]:
    """``-p`` values (repeatable, each may be colon-separated), expanded."""
    return [os.path.abspath(os.path.expanduser(part)) for value in values or [] for part in value.split(os.pathsep)
            if part]


def _server_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-s", "--server", dest="api_server", help="The Galaxy API server URL (or a server_list name)")
    parser.add_argument("--token", "--api-key", dest="api_key", help="The Galaxy API token")
    parser.add_argument("-c", "--ignore-certs", action="store_true", help="Ignore TLS certificate errors")
    parser.add_argument("--timeout", type=int, help="Seconds to wait for each Galaxy API request (default 60)")


def _install_args(parser: argparse.ArgumentParser, kind: str) -> None:
    parser.add_argument("args", nargs="*", metavar=f"{kind}_name")
    parser.add_argument("-r", "--requirements-file", dest="requirements", help="A file listing what to install")
    parser.add_argument("-f", "--force", action="store_true", help="Force overwriting an existing installation")
    parser.add_argument("-n", "--no-deps", action="store_true", help="Don't download the dependencies")
    parser.add_argument("-i", "--ignore-errors", action="store_true", help="Continue after a failed role")
    _server_args(parser)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``corral-galaxy``."""
    parser = argparse.ArgumentParser(prog="corral-galaxy", description="Install, build and list Ansible "
                                     "collections and roles.")
    parser.add_argument("-v", "--verbose", action="count", default=0)
    types = parser.add_subparsers(dest="type", metavar="TYPE")

    collection = types.add_parser("collection", help="Manage an Ansible Galaxy collection.")
    collection.set_defaults(usage_parser=collection)
    actions = collection.add_subparsers(dest="action", metavar="ACTION")
    install = actions.add_parser("install", help="Install collections")
    _install_args(install, "collection")
    install.add_argument("-p", "--collections-path", dest="collections_path", action="append")
    install.add_argument("--force-with-deps", action="store_true", help="Force overwriting the dependencies too")
    install.add_argument("-U", "--upgrade", action="store_true", help="Upgrade to the newest acceptable versions")
    install.add_argument("--pre", action="store_true", help="Include pre-release versions")
    install.add_argument("--offline", action="store_true", help="Never contact a Galaxy server")
    listing = actions.add_parser("list", help="Show the installed collections")
    listing.add_argument("name", nargs="?")
    listing.add_argument("-p", "--collections-path", dest="collections_path", action="append")
    listing.add_argument("--format", dest="output_format", choices=("human", "json", "yaml"), default="human")
    build = actions.add_parser("build", help="Build a collection artifact")
    build.add_argument("source", nargs="?", default=".")
    build.add_argument("--output-path", default=".")
    build.add_argument("-f", "--force", action="store_true")

    role = types.add_parser("role", help="Manage an Ansible Galaxy role.")
    role.set_defaults(usage_parser=role)
    role_actions = role.add_subparsers(dest="action", metavar="ACTION")
    for target in (role_actions, types):  # `corral-galaxy install` is `role install`, as in ansible-galaxy
        r_install = target.add_parser("install", help="Install roles")
        _install_args(r_install, "role")
        r_install.add_argument("-p", "--roles-path", dest="roles_path", action="append")
        r_install.set_defaults(role_shortcut=target is types)
        r_list = target.add_parser("list", help="Show the installed roles")
        r_list.add_argument("name", nargs="?")
        r_list.add_argument("-p", "--roles-path", dest="roles_path", action="append")
        r_remove = target.add_parser("remove", help="Remove roles")
        r_remove.add_argument("names", nargs="+")
        r_remove.add_argument("-p", "--roles-path", dest="roles_path", action="append")
    return parser


class _Run:
    """One invocation: its options, configuration and output."""

    def __init__(self, args: argparse.Namespace, display: Display) -> None:
        self.args = args
        self.display = display
        self.config = Config()
        for message in self.config.warnings:
            display.warning(message)

    def configured_collection_paths(self) -> list[str]:
        return [os.path.abspath(os.path.expanduser(p)) for p in content_settings(self.config)["collections_path"] or []]

    def configured_roles_paths(self) -> list[str]:
        return [os.path.abspath(os.path.expanduser(p)) for p in self.config.get("roles_path") or []]

    def servers(self) -> list[GalaxyServer]:
        return galaxy_servers(self.config, self.config.env, getattr(self.args, "api_server", None),
                              getattr(self.args, "api_key", None), getattr(self.args, "ignore_certs", False),
                              getattr(self.args, "timeout", None))

    # -- collections ----------------------------------------------------------

    def collection_root(self) -> str:
        given = _paths(getattr(self.args, "collections_path", None))
        configured = self.configured_collection_paths()
        if not given:
            if not configured:
                raise GalaxyCliError("No collections_path is configured and none was given with -p")
            return as_root(configured[0])
        root = as_root(given[0])
        if root not in {as_root(p) for p in configured}:
            self.display.warning(f"The specified collections path '{given[0]}' is not part of the configured "
                                 f"Ansible collections paths '{os.pathsep.join(configured)}'. The installed "
                                 f"collection will not be picked up in an Ansible run, unless within a "
                                 f"playbook-adjacent collections directory.")
        return root

    def install_requested_collections(self, requests: list[CollectionRequirement]) -> None:
        args = self.args
        self.display("Starting galaxy collection install process")
        root = self.collection_root()
        options = InstallOptions(force=args.force, force_with_deps=getattr(args, "force_with_deps", False),
                                 no_deps=args.no_deps, upgrade=getattr(args, "upgrade", False),
                                 pre=getattr(args, "pre", False), offline=getattr(args, "offline", False))
        install_collections(requests, root, self.servers(), options, self.display)

    def collection_install(self) -> None:
        args = self.args
        if args.requirements and args.args:
            raise GalaxyCliError("The positional collection_name arg and --requirements-file are mutually exclusive.")
        if not args.requirements and not args.args:
            raise GalaxyCliError("You must specify a collection name or a requirements file.")
        if args.requirements:
            requests, roles = read_requirements_file(args.requirements)
            args.requirements = os.path.abspath(args.requirements)
            if roles:
                self.display.warning(f"The requirements file '{args.requirements}' contains roles which will be "
                                     f"ignored. To install these roles run 'corral-galaxy role install -r' or to "
                                     f"install both at the same time run 'corral-galaxy install -r' without a "
                                     f"custom install path.")
        else:
            requests = [parse_collection_arg(arg) for arg in args.args]
        for request in requests:  # a tarball that is not a collection is refused before anything starts
            if request.type == "file":
                meta_of_tarball(request.name)
        self.install_requested_collections(requests)

    def collection_list(self) -> None:
        given = _paths(self.args.collections_path)
        if given:
            roots = []
            for path in given:
                if not os.path.isdir(path):
                    self.display.warning(f"- the configured path {path} does not exist.")
                    continue
                roots.append(as_root(path))
            if not roots:
                self.display.warning("None of the provided paths were usable. Please specify a valid path with "
                                     "--collections-path.")
                return
        else:
            settings = content_settings(self.config)
            roots = roots_of([], self.configured_collection_paths(), bool(settings["collections_scan_sys_path"]))
        list_collections(dict.fromkeys(roots), self.args.name, self.args.output_format, self.display)

    def collection_build(self) -> None:
        build_collection(self.args.source, self.args.output_path, self.args.force, self.display)

    # -- roles ----------------------------------------------------------------

    def roles_paths(self) -> list[str]:
        return _paths(getattr(self.args, "roles_path", None)) or self.configured_roles_paths()

    def role_install(self) -> None:
        args = self.args
        collections: list[CollectionRequirement] = []
        roles: list[RoleRequirement] = [parse_role_arg(arg) for arg in args.args]
        if args.requirements:
            collections, file_roles = read_requirements_file(args.requirements)
            args.requirements = os.path.abspath(args.requirements)
            roles += file_roles
            if collections and (args.roles_path or not getattr(args, "role_shortcut", False)):
                self.display.warning(f"The requirements file '{args.requirements}' contains collections which will "
                                     f"be ignored. To install these collections run 'corral-galaxy collection "
                                     f"install -r' or to install both at the same time run 'corral-galaxy install "
                                     f"-r' without a custom install path.")
                collections = []
        elif not roles:
            raise GalaxyCliError("- you must specify a user/role name or a roles file")
        if roles:
            paths = self.roles_paths()
            if not paths:
                raise GalaxyCliError("No roles_path is configured and none was given with -p")
            install_roles(roles, paths[0], self.display, force=args.force, no_deps=args.no_deps,
                          ignore_errors=args.ignore_errors)
        if collections:
            self.install_requested_collections(collections)

    def role_list(self) -> None:
        list_roles(self.roles_paths(), self.args.name, self.display)

    def role_remove(self) -> None:
        remove_roles(self.args.names, self.roles_paths()[0], self.display)


def main(argv: Sequence[str] | None = None, display: Display | None = None) -> int:
    """Run ``corral-galaxy`` with ``argv`` (default: the process's arguments)."""
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:    # a shell asks for completions (argcomplete's protocol)
        import argcomplete
        argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    display = display or Display()
    kind = "role" if args.type in ("install", "list", "remove") else args.type
    action = args.type if kind != args.type else getattr(args, "action", None)
    if kind is None or action is None:
        getattr(args, "usage_parser", parser).print_usage(sys.stderr)
        return 2
    try:
        run = _Run(args, display)
        getattr(run, f"{kind}_{action}")()
    except (GalaxyCliError, ArtifactError, ResolutionError, GalaxyError, RequirementError, ValueError) as exc:
        display.error(str(exc))
        return 1
    except KeyboardInterrupt:
        display.error("User interrupted execution")
        return 99
    return 0


if __name__ == "__main__":
    sys.exit(main())
