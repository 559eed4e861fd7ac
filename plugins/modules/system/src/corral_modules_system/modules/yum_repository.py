#!/usr/bin/python3
"""yum_repository: a repository section in a ``.repo`` file of yum/dnf."""
from __future__ import annotations

DOCUMENTATION = r"""
module: yum_repository
short_description: Add or remove YUM repositories
description:
  - Writes the section O(name) of C(REPOSDIR/FILE.repo) (FILE is O(name) unless O(file) is given) with one
    C(key = value) line per option given, in name order, as ansible-core writes it; or removes the section, and the
    file with its last section. Other sections of the file are kept as they are.
  - Booleans are written C(1)/C(0); O(baseurl) and O(gpgkey) lists one item per line, O(exclude) and
    O(includepkgs) lists on one line.
  - Writing the file needs no yum or dnf on the host, so the module can be tested anywhere.
extends_documentation_fragment: files
options:
  name:
    description: The repository id (the section's name).
    type: str
    required: true
  description:
    description: The repository's human-readable name (its C(name) key); required with V(present).
    type: str
  file:
    description: The file's name, without C(.repo).
    type: str
  reposdir:
    description: The directory of the C(.repo) files; it must exist.
    type: path
    default: /etc/yum.repos.d
  state:
    description: Whether the repository should be there.
    type: str
    choices: [absent, present]
    default: present
  baseurl:
    description: The repository's URLs; with V(present), one of O(baseurl), O(mirrorlist) and O(metalink) is needed.
    type: list
    elements: str
  mirrorlist:
    description: The URL of a list of base URLs.
    type: str
  metalink:
    description: The URL of a metalink file.
    type: str
  gpgkey:
    description: The URLs of the GPG keys.
    type: list
    elements: str
  gpgcheck:
    description: Check the packages' signatures.
    type: bool
  repo_gpgcheck:
    description: Check the repository metadata's signature.
    type: bool
  enabled:
    description: Whether yum uses the repository.
    type: bool
  enablegroups:
    description: Allow package groups from the repository.
    type: bool
  exclude:
    description: Packages never taken from the repository.
    type: list
    elements: str
    aliases: [excludepkgs]
  includepkgs:
    description: The only packages taken from the repository.
    type: list
    elements: str
  priority:
    description: The priority (1 to 99).
    type: str
  cost:
    description: The relative cost of the repository.
    type: str
  countme:
    description: Add the weekly counting flag to metalink and mirrorlist queries.
    type: bool
  module_hotfixes:
    description: Make every RPM of the repository available, whatever module filtering says.
    type: bool
  skip_if_unavailable:
    description: Go on when the repository cannot be reached.
    type: bool
  sslverify:
    description: Verify SSL certificates.
    type: bool
    aliases: [validate_certs]
  sslcacert:
    description: The CA certificates' directory.
    type: str
    aliases: [ca_cert]
  sslclientcert:
    description: The client certificate.
    type: str
    aliases: [client_cert]
  sslclientkey:
    description: The client key.
    type: str
    aliases: [client_key]
  username:
    description: The user name for basic authentication.
    type: str
  password:
    description: The password for basic authentication.
    type: str
  proxy:
    description: The proxy URL (C(_none_) disables the global one).
    type: str
  proxy_username:
    description: The proxy's user name.
    type: str
  proxy_password:
    description: The proxy's password.
    type: str
  include:
    description: An external configuration file to include.
    type: str
  ip_resolve:
    description: How host names resolve.
    type: str
    choices: ['4', '6', IPv4, IPv6, whatever]
  metadata_expire:
    description: Seconds after which the metadata expires.
    type: str
  retries:
    description: How many times a download is retried.
    type: str
  timeout:
    description: Seconds to wait for a connection.
    type: str
  bandwidth:
    description: The bandwidth available, with O(throttle).
    type: str
  throttle:
    description: Bandwidth throttling.
    type: str
  deltarpm_percentage:
    description: The delta to package size ratio above which deltas are not used.
    type: str
  s3_enabled:
    description: Enable the S3 plugin for the repository.
    type: bool
  failovermethod:
    description: How the URLs are tried.
    type: str
    choices: [roundrobin, priority]
  async:
    description: Download in parallel (deprecated in ansible-core; a warning is given).
    type: bool
  deltarpm_metadata_percentage:
    description: Deprecated in ansible-core (no effect with dnf); a warning is given.
    type: str
  gpgcakey:
    description: Deprecated in ansible-core (no effect with dnf); a warning is given.
    type: str
  http_caching:
    description: Deprecated in ansible-core (no effect with dnf); a warning is given.
    type: str
    choices: [all, packages, none]
  keepalive:
    description: Deprecated in ansible-core (no effect with dnf); a warning is given.
    type: bool
  metadata_expire_filter:
    description: Deprecated in ansible-core (no effect with dnf); a warning is given.
    type: str
    choices: [never, 'read-only:past', 'read-only:present', 'read-only:future']
  mirrorlist_expire:
    description: Deprecated in ansible-core (no effect with dnf); a warning is given.
    type: str
  protect:
    description: Deprecated in ansible-core (no effect with dnf); a warning is given.
    type: bool
  ssl_check_cert_permissions:
    description: Deprecated in ansible-core (no effect with dnf); a warning is given.
    type: bool
  ui_repoid_vars:
    description: Deprecated in ansible-core (no effect with dnf); a warning is given.
    type: str
"""

EXAMPLES = r"""
- yum_repository:
    name: epel
    description: EPEL YUM repo
    baseurl: https://download.fedoraproject.org/pub/epel/$releasever/$basearch/
"""

RETURN = r"""
repo:
  description: The repository id.
  returned: success
  type: str
state:
  description: The state asked for.
  returned: success
  type: str
"""

import os

from corral.module_utils.basic import AnsibleModule

#: options that are not keys of the section
_NOT_KEYS = ("name", "file", "reposdir", "state", "description", "mode", "owner", "group", "seuser", "serole",
             "setype", "selevel", "unsafe_writes", "attributes")
_LINES = ("baseurl", "gpgkey")
_WORDS = ("exclude", "includepkgs")
_NO_EFFECT_WITH_DNF = ("deltarpm_metadata_percentage", "gpgcakey", "http_caching", "keepalive",
                       "metadata_expire_filter", "mirrorlist_expire", "protect", "ssl_check_cert_permissions",
                       "ui_repoid_vars")


def _sections(text: str) -> list[tuple[str | None, str]]:
    """The file as (section name, its raw text) pairs; text before the first section has name ``None``."""
    chunks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            chunks.append((stripped[1:-1], []))
        chunks[-1][1].append(line)
    return [(name, "".join(lines)) for name, lines in chunks if name is not None or "".join(lines).strip()]


def _value(option: str, value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return ("\n" if option in _LINES else " ").join(str(item) for item in value)
    return str(value)


def main() -> None:
    spec = {
        "name": {"type": "str", "required": True},
        "description": {"type": "str"},
        "file": {"type": "str"},
        "reposdir": {"type": "path", "default": "/etc/yum.repos.d"},
        "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
        "baseurl": {"type": "list", "elements": "str"},
        "mirrorlist": {"type": "str"},
        "metalink": {"type": "str"},
        "gpgkey": {"type": "list", "elements": "str", "no_log": False},
        "gpgcheck": {"type": "bool"},
        "repo_gpgcheck": {"type": "bool"},
        "enabled": {"type": "bool"},
        "enablegroups": {"type": "bool"},
        "exclude": {"type": "list", "elements": "str", "aliases": ["excludepkgs"]},
        "includepkgs": {"type": "list", "elements": "str"},
        "priority": {"type": "str"},
        "cost": {"type": "str"},
        "countme": {"type": "bool"},
        "module_hotfixes": {"type": "bool"},
        "skip_if_unavailable": {"type": "bool"},
        "sslverify": {"type": "bool", "aliases": ["validate_certs"]},
        "sslcacert": {"type": "str", "aliases": ["ca_cert"]},
        "sslclientcert": {"type": "str", "aliases": ["client_cert"]},
        "sslclientkey": {"type": "str", "aliases": ["client_key"], "no_log": False},
        "username": {"type": "str"},
        "password": {"type": "str", "no_log": True},
        "proxy": {"type": "str"},
        "proxy_username": {"type": "str"},
        "proxy_password": {"type": "str", "no_log": True},
        "include": {"type": "str"},
        "ip_resolve": {"type": "str", "choices": ["4", "6", "IPv4", "IPv6", "whatever"]},
        "metadata_expire": {"type": "str"},
        "retries": {"type": "str"},
        "timeout": {"type": "str"},
        "bandwidth": {"type": "str"},
        "throttle": {"type": "str"},
        "deltarpm_percentage": {"type": "str"},
        "s3_enabled": {"type": "bool"},
        "failovermethod": {"type": "str", "choices": ["roundrobin", "priority"]},
        "async": {"type": "bool"},
        "deltarpm_metadata_percentage": {"type": "str"},
        "gpgcakey": {"type": "str", "no_log": False},
        "http_caching": {"type": "str", "choices": ["all", "packages", "none"]},
        "keepalive": {"type": "bool"},
        "metadata_expire_filter": {"type": "str", "choices": ["never", "read-only:past", "read-only:present",
                                                              "read-only:future"]},
        "mirrorlist_expire": {"type": "str"},
        "protect": {"type": "bool"},
        "ssl_check_cert_permissions": {"type": "bool"},
        "ui_repoid_vars": {"type": "str"},
    }
    module = AnsibleModule(
        argument_spec=spec,
        add_file_common_args=True,
        required_if=[["state", "present", ["baseurl", "mirrorlist", "metalink"], True],
                     ["state", "present", ["description"]]],
        supports_check_mode=True,
    )
    params = module.params
    if params["async"] is not None:
        module.deprecate("'async' parameter is deprecated as it has been removed on systems supported by ansible-core",
                         version="2.22", collection_name="ansible.builtin")
    for option in _NO_EFFECT_WITH_DNF:
        if params[option] is not None:
            module.deprecate(f"'{option}' parameter is deprecated as it has no effect with dnf as an underlying "
                             "package manager", version="2.22", collection_name="ansible.builtin")
    name, state = params["name"], params["state"]
    reposdir = params["reposdir"]
    if not os.path.isdir(reposdir):
        module.fail_json(msg=f"Repo directory '{reposdir}' does not exist.")
    path = os.path.join(reposdir, f"{params['file'] or name}.repo")
    before = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            before = handle.read()
    sections = [(section, text) for section, text in _sections(before) if section != name]
    if state == "present":
        keys = {"name" if option == "description" else option: params[option] for option in spec
                if (option not in _NOT_KEYS or option == "description") and params[option] is not None}
        body = "".join(f"{key} = {_value(key, keys[key])}\n" for key in sorted(keys))
        position = next((index for index, (section, _text) in enumerate(_sections(before)) if section == name),
                        len(sections))
        sections.insert(position, (name, f"[{name}]\n{body}\n"))
    after = "".join(text for _section, text in sections)
    changed = after != before
    result: dict = {"changed": changed, "repo": name, "state": state}
    if changed:
        result["diff"] = {"before": before, "after": after, "before_header": path, "after_header": path}
        if not module.check_mode:
            if after.strip():
                staging = f"{path}.corral-tmp"
                with open(staging, "w", encoding="utf-8") as handle:
                    handle.write(after)
                module.atomic_move(staging, path, unsafe_writes=params["unsafe_writes"])
            else:
                os.remove(path)
    if state == "present" and not module.check_mode and os.path.exists(path):
        result["changed"] = module.set_fs_attributes_if_different(module.load_file_common_arguments(params, path),
                                                                 result["changed"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
