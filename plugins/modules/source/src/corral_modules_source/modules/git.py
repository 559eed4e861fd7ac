#!/usr/bin/python3
"""git: a checkout of a git repository at a given version."""
from __future__ import annotations

DOCUMENTATION = r"""
module: git
short_description: Deploy software (or files) from git checkouts
description:
  - Clones O(repo) into O(dest) when it is not there, otherwise fetches and checks out O(version) (a branch, tag or
    commit; C(HEAD) is the remote's default branch). Local modifications make it fail unless O(force) is set.
options:
  repo:
    description: The repository (URL or path).
    type: str
    required: true
    aliases: [name]
  dest:
    description: Where the checkout lives.
    type: path
    required: true
  version:
    type: str
    default: HEAD
  remote:
    type: str
    default: origin
  force:
    description: Discard local modifications.
    type: bool
    default: false
  depth:
    description: Clone with this history depth.
    type: int
  clone:
    description: Clone when O(dest) does not exist.
    type: bool
    default: true
  update:
    description: Fetch and check out O(version) when O(dest) exists.
    type: bool
    default: true
  bare:
    type: bool
    default: false
  single_branch:
    type: bool
    default: false
  accept_hostkey:
    description: Accept an unknown SSH host key of the repository's server.
    type: bool
    default: false
  key_file:
    type: path
  executable:
    description: The git program.
    type: path
"""

EXAMPLES = r"""
- git:
    repo: https://github.com/example/app.git
    dest: /srv/app
    version: release-1.2
"""

RETURN = r"""
before:
  description: The commit checked out before (null for a new clone).
  returned: success
  type: str
after:
  description: The commit checked out after.
  returned: success
  type: str
remote_url_changed:
  description: Whether the remote's URL was changed.
  returned: success
  type: bool
"""

import os
import shlex

from corral.module_utils.basic import AnsibleModule


class Git:
    """Runs git for one checkout."""

    def __init__(self, module: AnsibleModule) -> None:
        self.module = module
        self.params = module.params
        self.git = self.params["executable"] or module.get_bin_path("git", True)
        self.dest = self.params["dest"]
        env = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        ssh = ["ssh"]
        if self.params["accept_hostkey"]:
            ssh += ["-o", "StrictHostKeyChecking=no"]
        if self.params["key_file"]:
            ssh += ["-i", self.params["key_file"], "-o", "IdentitiesOnly=yes"]
        if len(ssh) > 1:
            env["GIT_SSH_COMMAND"] = " ".join(shlex.quote(part) for part in ssh)
        module.run_command_environ_update = env

    def run(self, *args: str, cwd: str | None = None, check: bool = True) -> tuple[int, str, str]:
        rc, out, err = self.module.run_command([self.git, *args], cwd=cwd or self.dest)
        if check and rc != 0:
            self.module.fail_json(msg=f"Failed to run git {' '.join(args)}: {err.strip() or out.strip()}",
                                  rc=rc, stdout=out, stderr=err, cmd=" ".join([self.git, *args]))
        return rc, out.strip(), err.strip()

    def head(self) -> str | None:
        rc, out, _ = self.run("rev-parse", "HEAD", check=False)
        return out if rc == 0 else None

    def remote_sha(self, version: str) -> str | None:
        """The commit ``version`` names on the remote, without cloning."""
        rc, out, _ = self.run("ls-remote", self.params["repo"], version if version != "HEAD" else "HEAD",
                              cwd="/", check=False)
        for line in out.splitlines():
            sha, ref = line.split("\t", 1)
            if version in ("HEAD", ref) or ref.endswith(f"/{version}") or ref.endswith(f"/{version}^{{}}"):
                return sha
        return version if rc == 0 and len(version) >= 7 and all(c in "0123456789abcdef" for c in version) else None

    def target(self, version: str) -> str:
        """The local name of ``version`` after a fetch."""
        remote = self.params["remote"]
        if version == "HEAD":
            rc, out, _ = self.run("rev-parse", "--verify", "--quiet", f"{remote}/HEAD", check=False)
            if rc == 0:
                return out
            self.run("remote", "set-head", remote, "--auto", check=False)
            return self.run("rev-parse", f"{remote}/HEAD")[1]
        for candidate in (f"{remote}/{version}", f"refs/tags/{version}^{{commit}}", f"{version}^{{commit}}"):
            rc, out, _ = self.run("rev-parse", "--verify", "--quiet", candidate, check=False)
            if rc == 0:
                return out
        self.module.fail_json(msg=f"Failed to find version {version} in the repository {self.params['repo']}")

    def is_branch(self, version: str) -> bool:
        rc, _, _ = self.run("rev-parse", "--verify", "--quiet", f"{self.params['remote']}/{version}", check=False)
        return rc == 0


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "repo": {"type": "str", "required": True, "aliases": ["name"]},
            "dest": {"type": "path", "required": True},
            "version": {"type": "str", "default": "HEAD"},
            "remote": {"type": "str", "default": "origin"},
            "force": {"type": "bool", "default": False},
            "depth": {"type": "int"},
            "clone": {"type": "bool", "default": True},
            "update": {"type": "bool", "default": True},
            "bare": {"type": "bool", "default": False},
            "single_branch": {"type": "bool", "default": False},
            "accept_hostkey": {"type": "bool", "default": False},
            "accept_newhostkey": {"type": "bool", "default": False},
            "key_file": {"type": "path"},
            "ssh_opts": {"type": "str"},
            "executable": {"type": "path"},
            "recursive": {"type": "bool", "default": True},
            "track_submodules": {"type": "bool", "default": False},
            "reference": {"type": "str"},
            "umask": {"type": "raw"},
            "verify_commit": {"type": "bool", "default": False},
            "archive": {"type": "path"},
            "separate_git_dir": {"type": "path"},
            "gpg_whitelist": {"type": "list", "elements": "str", "default": []},
        },
        supports_check_mode=True,
    )
    params = module.params
    git = Git(module)
    dest, version = params["dest"], params["version"]
    result: dict = {"changed": False, "before": None, "after": None}
    exists = os.path.exists(os.path.join(dest, "HEAD" if params["bare"] else ".git"))

    if not exists:
        if not params["clone"]:
            module.exit_json(**result)
        result["after"] = git.remote_sha(version)
        result["changed"] = True
        if module.check_mode:
            module.exit_json(**result)
        parent = os.path.dirname(os.path.abspath(dest))
        os.makedirs(parent, exist_ok=True)
        command = ["clone"]
        if params["bare"]:
            command.append("--bare")
        if params["depth"]:
            command += ["--depth", str(params["depth"])]
            if version != "HEAD":
                command += ["--branch", version]
        if params["single_branch"]:
            command.append("--single-branch")
        if params["remote"] != "origin":
            command += ["--origin", params["remote"]]
        git.run(*command, params["repo"], dest, cwd=parent)
        if version != "HEAD" and not params["bare"]:
            target = git.target(version)
            if git.is_branch(version):
                git.run("checkout", "-B", version, f"{params['remote']}/{version}")
            else:
                git.run("checkout", "--detach", target)
        if params["recursive"] and not params["bare"] and os.path.exists(os.path.join(dest, ".gitmodules")):
            git.run("submodule", "update", "--init", "--recursive")
        result["after"] = git.head() if not params["bare"] else git.run("rev-parse", "HEAD")[1]
        module.exit_json(**result)

    result["before"] = git.head()
    result["remote_url_changed"] = False
    rc, url, _ = git.run("remote", "get-url", params["remote"], check=False)
    if rc == 0 and url != params["repo"]:
        result["remote_url_changed"] = True
        if not module.check_mode:
            git.run("remote", "set-url", params["remote"], params["repo"])
    if not params["update"]:
        result["after"] = result["before"]
        module.exit_json(**result)
    if not params["bare"]:
        _, status, _ = git.run("status", "--porcelain", "--untracked-files=no")
        if status and not params["force"]:
            module.fail_json(msg=f"Local modifications exist in the destination: {dest} (force=no).", **result)
    if module.check_mode:
        remote = git.remote_sha(version)
        result["after"] = remote or result["before"]
        result["changed"] = bool(remote) and remote != result["before"] or result["remote_url_changed"]
        module.exit_json(**result)
    git.run("fetch", "--tags", "--force", params["remote"])
    target = git.target(version)
    if target != result["before"] or (not params["bare"] and params["force"]):
        if not params["bare"]:
            if version != "HEAD" and git.is_branch(version):
                git.run("checkout", "--force", "-B", version, f"{params['remote']}/{version}")
            elif version == "HEAD":
                _, branch, _ = git.run("rev-parse", "--abbrev-ref", f"{params['remote']}/HEAD")
                local = branch.split("/", 1)[1] if "/" in branch else branch
                git.run("checkout", "--force", "-B", local, branch)
            else:
                git.run("checkout", "--force", "--detach", target)
            if params["force"]:
                git.run("reset", "--hard", target)
    result["after"] = git.head()
    result["changed"] = result["after"] != result["before"] or result["remote_url_changed"]
    module.exit_json(**result)


if __name__ == "__main__":
    main()
