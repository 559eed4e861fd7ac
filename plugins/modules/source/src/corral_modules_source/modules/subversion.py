#!/usr/bin/python3
"""subversion: a Subversion working copy (or export) at a revision, through the ``svn`` command."""
from __future__ import annotations

DOCUMENTATION = r"""
module: subversion
short_description: Deploys a subversion repository
description:
  - Checks out (or exports) O(repo) at O(revision) into O(dest), or brings an existing working copy to it
    (C(svn switch) to another URL, C(svn update)); a working copy with local modifications is refused unless
    O(force) reverts them.
  - Runs C(svn) non-interactively, without caching credentials. Tested with a stand-in C(svn) that records its
    arguments when Subversion is not installed.
options:
  repo:
    description: The repository URL.
    type: str
    required: true
    aliases: [name, repository]
  dest:
    description: The working copy's directory; needed unless O(checkout), O(update) and O(export) are all false.
    type: path
  revision:
    description: The revision (a number, C(HEAD), ...).
    type: str
    default: HEAD
    aliases: [rev, version]
  force:
    description: Revert local modifications (in an update), or overwrite files (in an export).
    type: bool
    default: 'no'
  in_place:
    description: Check out into an existing directory that is not a working copy (C(svn checkout --force)).
    type: bool
    default: 'no'
  username:
    description: The user name for the repository.
    type: str
  password:
    description: The password for the repository.
    type: str
  executable:
    description: The C(svn) program to run.
    type: path
  checkout:
    description: Check out when O(dest) is not a working copy.
    type: bool
    default: 'yes'
  update:
    description: Update an existing working copy.
    type: bool
    default: 'yes'
  export:
    description: Export (no working copy) instead of checking out.
    type: bool
    default: 'no'
  switch:
    description: Switch an existing working copy to O(repo) when it points elsewhere.
    type: bool
    default: 'yes'
  validate_certs:
    description: Validate the server's certificate (without it, C(--trust-server-cert-failures) accepts it).
    type: bool
    default: 'no'
"""

EXAMPLES = r"""
- subversion:
    repo: svn+ssh://an.example.org/path/to/repo
    dest: /src/checkout
"""

RETURN = r"""
before:
  description: C(Revision) and C(URL) of the working copy before.
  returned: success
  type: list
after:
  description: C(Revision) and C(URL) of the working copy after.
  returned: success
  type: list
"""

import os
import re

from corral.module_utils.basic import AnsibleModule


class _Svn:
    """The ``svn`` commands on one working copy."""

    def __init__(self, module: AnsibleModule) -> None:
        self.module = module
        params = module.params
        self.dest, self.repo, self.revision = params["dest"], params["repo"], params["revision"]
        self.base = [params["executable"] or module.get_bin_path("svn", required=True),
                     "--non-interactive", "--no-auth-cache"]
        if not params["validate_certs"]:
            self.base.append("--trust-server-cert-failures=unknown-ca,cn-mismatch,expired,not-yet-valid,other")
        if params["username"]:
            self.base += ["--username", params["username"]]
        if params["password"]:
            self.base += ["--password-from-stdin"]

    def run(self, *args: str, check: bool = True) -> str:
        data = self.module.params["password"]
        rc, out, err = self.module.run_command(self.base + list(args), data=data)
        if check and rc != 0:
            self.module.fail_json(msg=err.strip() or out.strip(), rc=rc, stdout=out, stderr=err)
        return out

    def is_working_copy(self) -> bool:
        return self.run("info", self.dest, check=False).startswith("Path:") or os.path.isdir(
            os.path.join(self.dest, ".svn"))

    def revision_and_url(self, target: str) -> list[str]:
        out = self.run("info", target)
        revision = re.search(r"^Revision: .*$", out, re.M)
        url = re.search(r"^URL: .*$", out, re.M)
        return [revision.group(0) if revision else "Unable to get revision", url.group(0) if url else "Unable to get URL"]

    def modified(self) -> bool:
        out = self.run("status", "--quiet", "--ignore-externals", self.dest)
        return any(line and not line.startswith("X") for line in out.splitlines())


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "repo": {"type": "str", "required": True, "aliases": ["name", "repository"]},
            "dest": {"type": "path"},
            "revision": {"type": "str", "default": "HEAD", "aliases": ["rev", "version"]},
            "force": {"type": "bool", "default": False},
            "in_place": {"type": "bool", "default": False},
            "username": {"type": "str"},
            "password": {"type": "str", "no_log": True},
            "executable": {"type": "path"},
            "checkout": {"type": "bool", "default": True},
            "update": {"type": "bool", "default": True},
            "export": {"type": "bool", "default": False},
            "switch": {"type": "bool", "default": True},
            "validate_certs": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
    )
    params = module.params
    dest = params["dest"]
    if dest is None and (params["checkout"] or params["update"] or params["export"]):
        module.fail_json(msg="the destination directory must be specified unless checkout=no, update=no, and "
                             "export=no")
    svn = _Svn(module)
    if dest is None:
        module.exit_json(changed=False, after=svn.revision_and_url(params["repo"]))
    exists = os.path.exists(dest)
    if not exists or (params["in_place"] and not svn.is_working_copy()):
        if not params["checkout"] and not params["export"]:
            module.exit_json(changed=False)
        if module.check_mode:
            module.exit_json(changed=True)
        if params["export"]:
            svn.run("export", *(["--force"] if params["force"] else []), "-r", params["revision"], params["repo"], dest)
            module.exit_json(changed=True)
        svn.run("checkout", *(["--force"] if params["in_place"] else []), "-r", params["revision"], params["repo"],
                dest)
        module.exit_json(changed=True, before=None, after=svn.revision_and_url(dest))
    if not svn.is_working_copy():
        if params["export"] and params["force"]:
            if not module.check_mode:
                svn.run("export", "--force", "-r", params["revision"], params["repo"], dest)
            module.exit_json(changed=True)
        module.fail_json(msg=f"ERROR: {dest} folder already exists, but its not a subversion repository.")
    before = svn.revision_and_url(dest)
    if not params["update"]:
        module.exit_json(changed=False, before=before, after=before)
    switch_needed = params["switch"] and before[1] != f"URL: {params['repo']}"
    wanted = svn.revision_and_url(f"{params['repo']}@{params['revision']}")[0]
    modified = svn.modified()
    if modified and not params["force"]:
        module.fail_json(msg="ERROR: modified files exist in the repository.")
    changed = switch_needed or modified or wanted != before[0]
    if changed and not module.check_mode:
        if modified:
            svn.run("revert", "-R", dest)
        if switch_needed:
            svn.run("switch", "--ignore-ancestry", "-r", params["revision"], params["repo"], dest)
        svn.run("update", "-r", params["revision"], dest)
    after = svn.revision_and_url(dest) if not module.check_mode else before
    module.exit_json(changed=changed, before=before, after=after)


if __name__ == "__main__":
    main()
