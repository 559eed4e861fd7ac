#!/usr/bin/python3
"""git: a checkout of a git repository at a given version."""
from __future__ import annotations

DOCUMENTATION = r"""
module: git
short_description: Deploy software (or files) from git checkouts
description:
  - Clones O(repo) into O(dest) when it is not there, otherwise fetches and checks out O(version) (a branch, tag or
    commit; C(HEAD) is the remote's default branch), then brings submodules up to date. Local modifications make
    it fail unless O(force) is set. Can also verify the commit's GPG signature and write an archive of the tree.
options:
  repo:
    description: The repository (URL or path; a local path is used as a C(file://) URL).
    type: str
    required: true
    aliases: [name]
  dest:
    description: Where the checkout lives. Required unless O(clone=false).
    type: path
    required: true
  version:
    description: A branch, tag or commit; a commit not reachable from a branch or tag may need O(refspec).
    type: str
    default: HEAD
  remote:
    description: The name of the remote.
    type: str
    default: origin
  refspec:
    description: An additional refspec to fetch (C(git fetch) syntax), for example C(refs/meta/config).
    type: str
  force:
    description: Discard local modifications of tracked files.
    type: bool
    default: 'no'
  depth:
    description: Clone with this history depth (HEAD, branches and tags, or with O(refspec)).
    type: int
  clone:
    description: Clone when O(dest) does not exist; when false, only the remote's revision is reported.
    type: bool
    default: 'yes'
  update:
    description: Fetch and check out O(version) when O(dest) exists.
    type: bool
    default: 'yes'
  verify_commit:
    description:
      - Verify the GPG signature of the commit (or annotated tag) O(version) names after checking it out; its
        public key must be in the GnuPG keyring.
    type: bool
    default: 'no'
  gpg_allowlist:
    description:
      - With O(verify_commit), the fingerprints of the primary keys a signature may be made with
        (from C(git verify-commit --raw)).
    type: list
    elements: str
    default: []
  accept_hostkey:
    description: Add C(-o StrictHostKeyChecking=no) to the ssh options (disables protection against MITM attacks).
    type: bool
    default: 'no'
  accept_newhostkey:
    description:
      - Add C(-o StrictHostKeyChecking=accept-new) to the ssh options (OpenSSH 7.5 and later; a warning
        otherwise).
    type: bool
    default: 'no'
  key_file:
    description: A private key on the target for ssh; adds C(-i KEY -o IdentitiesOnly=yes) to the ssh options.
    type: path
  ssh_opts:
    description:
      - Options git passes to ssh (through E(GIT_SSH_COMMAND), after E(GIT_SSH_OPTS)); C(-o BatchMode=yes) is
        always added.
    type: str
  executable:
    description: The git program.
    type: path
  bare:
    description: Make a bare repository.
    type: bool
    default: 'no'
  recursive:
    description: Initialise and update submodules (recursively); when false they are left alone.
    type: bool
    default: 'yes'
  single_branch:
    description: Clone only the history leading to the tip of O(version).
    type: bool
    default: 'no'
  track_submodules:
    description:
      - Submodules follow the latest commit of the branch C(.gitmodules) names (the remote's HEAD without one),
        as C(git submodule update --remote), instead of the commit the superproject records.
    type: bool
    default: 'no'
  reference:
    description: A reference repository (C(git clone --reference)).
    type: str
  umask:
    description: The umask (a quoted octal string) to set before any checkout or other change.
    type: raw
  archive:
    description:
      - Also write an archive of the tree at O(version) to this file, its format from the extension (C(.zip),
        C(.tar.gz), C(.tar), C(.tgz)); an existing archive with the same bytes is left alone.
    type: path
  archive_prefix:
    description: A prefix for each path in the archive. Requires O(archive).
    type: str
  separate_git_dir:
    description: Keep the repository in this directory, apart from the work tree (an existing one is moved there).
    type: path
"""

EXAMPLES = r"""
- git:
    repo: https://github.com/example/app.git
    dest: /srv/app
    version: release-1.2

- git:
    repo: https://github.com/example/app.git
    dest: /srv/app
    version: v2.0
    verify_commit: true
    gpg_allowlist: [0123456789ABCDEF0123456789ABCDEF01234567]
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
  returned: when an existing checkout was updated
  type: bool
submodules_changed:
  description: Whether submodules were added or moved.
  returned: when they were
  type: bool
git_dir_before:
  description: Where the repository was before O(separate_git_dir) moved it.
  returned: when it was moved
  type: str
git_dir_now:
  description: Where O(separate_git_dir) moved the repository.
  returned: when it was moved
  type: str
"""

import filecmp
import os
import re
import shutil
import tempfile

from corral.module_utils.basic import AnsibleModule

#: the archive formats git makes, by file extension
_ARCHIVE_FORMATS = {".zip": "zip", ".gz": "tar.gz", ".tar": "tar", ".tgz": "tgz"}


class Git:
    """Runs git for one checkout at ``dest`` and answers questions about it and its remote (``dest`` is ""
    when there is no checkout, with O(clone=false): then only the remote is asked)."""

    def __init__(self, module: AnsibleModule, repo: str, dest: str | None) -> None:
        self.module = module
        self.params = module.params
        self.git = self.params["executable"] or module.get_bin_path("git", True)
        self.repo, self.dest, self.remote = repo, dest or "", self.params["remote"]
        self.version = self.params["version"]

    def run(self, *args: str, cwd: str | None = None, msg: str | None = None) -> str:
        """Run ``git ARGS`` (in ``dest``); fail with ``msg`` (git's stderr by default) unless it succeeds."""
        rc, out, err = self.module.run_command([self.git, *args], cwd=cwd or self.dest or None)
        if rc != 0:
            self.module.fail_json(msg=msg or err.rstrip() or out.rstrip(), cmd=[self.git, *args], rc=rc,
                                  stdout=out, stderr=err)
        return out

    def probe(self, *args: str, cwd: str | None = None) -> tuple[int, str]:
        rc, out, _ = self.module.run_command([self.git, *args], cwd=cwd or self.dest or None)
        return rc, out.strip()

    # -- the remote ------------------------------------------------------------------------------

    def remote_has(self, kind: str, where: str, name: str) -> bool:
        """Whether the remote ``where`` (a URL or a remote's name) has the branch (kind ``-h``) or tag (``-t``)."""
        prefix = "refs/heads/" if kind == "-h" else "refs/tags/"
        return name in self.run("ls-remote", where, kind, prefix + name)

    def remote_head(self, where: str, cloning: bool) -> str:
        """The commit ``version`` names on the remote (``where``), without fetching it."""
        version = self.version
        if version == "HEAD":
            ref = "HEAD" if cloning else "refs/heads/" + self.head_branch()
            command = ["ls-remote", where, "-h", ref]
        elif self.remote_has("-h", where, version):
            command = ["ls-remote", where, "-h", "refs/heads/" + version]
        elif self.remote_has("-t", where, version):
            command = ["ls-remote", where, "-t", f"refs/tags/{version}*"]
        else:
            return self.commit_exists(where, cloning)
        out = self.run(*command)
        if not out:
            self.module.fail_json(msg=f"Could not determine remote revision for {version}", stdout=out, stderr="",
                                  rc=0)
        line = out.splitlines()[0]
        if command[2] == "-t":  # an annotated tag: the commit it points to
            for candidate in out.splitlines():
                if candidate.endswith(version + "^{}"):
                    line = candidate
                    break
                if candidate.endswith(version):
                    line = candidate
        return line.split()[0]

    def commit_exists(self, where: str, cloning: bool) -> str:
        """``version`` taken as a commit: fails unless the remote can serve it."""
        cwd = self.dest if not cloning and self.dest and os.path.isdir(self.dest) else None
        if cwd is None:
            cwd = os.path.join(self.module.tmpdir, "probe")
            os.makedirs(cwd, exist_ok=True)
            self.run("init", "-q", cwd=cwd)
        self.run("fetch", "--dry-run", where, self.version, cwd=cwd)
        return self.version

    # -- the checkout ----------------------------------------------------------------------------

    def head(self) -> str:
        return self.probe("rev-parse", "HEAD")[1]

    def head_branch(self) -> str:
        """The branch HEAD is on; when detached, the branch the remote's HEAD names."""
        repo_path = repository_path(self.module, self.dest, self.params["bare"])
        headfile = os.path.join(repo_path, "HEAD")
        rc, current = self.probe("symbolic-ref", "-q", "HEAD")
        if rc != 0:
            headfile = os.path.join(repo_path, "refs", "remotes", self.remote, "HEAD")
        try:
            with open(headfile) as handle:
                ref = handle.readline().strip()
        except OSError as exc:
            self.module.fail_json(msg=f"Unable to read {headfile}", details=str(exc))
        ref = ref.removeprefix("ref: ")
        for prefix in (f"refs/remotes/{self.remote}/", "refs/heads/"):
            if ref.startswith(prefix):
                return ref[len(prefix):]
        return ref

    def local_branch_exists(self, name: str) -> bool:
        return self.probe("show-ref", "--verify", "--quiet", f"refs/heads/{name}")[0] == 0

    def local_mods(self) -> bool:
        """Whether tracked files differ from HEAD (untracked files do not count)."""
        if self.params["bare"]:
            return False
        status = self.run("status", "--porcelain")
        return any(not line.startswith("??") for line in status.splitlines())

    def set_remote_url(self) -> bool:
        """Point the remote at ``repo``; whether its URL changed."""
        rc, url = self.probe("ls-remote", "--get-url", self.remote)
        if rc != 0 or url == self.repo or _unfrack(url) == _unfrack(self.repo):
            return False
        self.run("remote", "set-url", self.remote, self.repo,
                 msg=f"Failed to set a new url {self.repo} for {self.remote}")
        return True

    def remote_url_differs(self) -> bool:
        rc, url = self.probe("ls-remote", "--get-url", self.remote)
        return rc == 0 and bool(url) and url != self.repo and _unfrack(url) != _unfrack(self.repo)

    def clone(self, result: dict) -> None:
        params, version, depth = self.params, self.version, self.params["depth"]
        parent = os.path.dirname(self.dest)
        os.makedirs(parent, exist_ok=True)
        command = ["clone", "--bare"] if params["bare"] else ["clone", "--origin", self.remote]
        named = self.remote_has("-h", self.repo, version) or self.remote_has("-t", self.repo, version)
        if depth:
            if version == "HEAD" or params["refspec"]:
                command += ["--depth", str(depth)]
            elif named:
                command += ["--depth", str(depth), "--branch", version]
            else:
                self.module.warn("Ignoring depth argument. Shallow clones are only available for HEAD, branches, "
                                 "tags or in combination with refspec.")
        if params["reference"]:
            command += ["--reference", params["reference"]]
        if params["single_branch"]:
            command.append("--single-branch")
            if named:
                command += ["--branch", version]
        if params["separate_git_dir"]:
            command.append(f"--separate-git-dir={params['separate_git_dir']}")
        self.run(*command, self.repo, self.dest, cwd=parent)
        if params["bare"] and self.remote != "origin":
            self.run("remote", "add", self.remote, self.repo)
        if params["refspec"]:
            self.run("fetch", *(["--depth", str(depth)] if depth else []), self.remote, params["refspec"])
        if params["verify_commit"]:
            self.verify_signature()

    def fetch(self) -> None:
        """Fetch what checking out ``version`` needs (everything, unless ``depth`` allows less)."""
        params, version, depth = self.params, self.version, self.params["depth"]
        self.set_remote_url()
        command = ["fetch"]
        refspecs: list[str] = []
        if depth:
            if params["refspec"]:
                refspecs.append(params["refspec"])
            elif version == "HEAD":
                refspecs.append(self.head_branch())
            elif self.remote_has("-h", self.repo, version):
                if self.head_branch() != version:
                    refspecs.append(f"+refs/heads/{version}:refs/heads/{version}")
                refspecs.append(f"+refs/heads/{version}:refs/remotes/{self.remote}/{version}")
            elif self.remote_has("-t", self.repo, version):
                refspecs.append(f"+refs/tags/{version}:refs/tags/{version}")
            if refspecs:
                command += ["--depth", str(depth)]
        if not depth or not refspecs:
            if params["bare"]:
                refspecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]
            else:
                command.append("--tags")
            if params["refspec"]:
                refspecs.append(params["refspec"])
        if params["force"]:
            command.append("--force")
        rc, out, err = self.module.run_command([self.git, *command, self.remote, *refspecs], cwd=self.dest)
        if rc != 0:
            self.module.fail_json(msg=f"Failed to download remote objects and refs: {out} {err}",
                                  cmd=[self.git, *command, self.remote, *refspecs])

    def switch_version(self) -> None:
        """Check out ``version``: a branch tracks and is reset to the remote's, anything else is detached."""
        version, remote = self.version, self.remote
        if version == "HEAD":
            branch = self.head_branch()
            self.run("checkout", "--force", branch, msg=f"Failed to checkout branch {branch}")
            self.run("reset", "--hard", f"{remote}/{branch}", "--", msg=f"Failed to checkout branch {branch}")
        elif self.remote_has("-h", remote, version):
            if self.params["depth"] and not self.local_branch_exists(version):
                refs = [f"+refs/heads/{version}:refs/heads/{version}",
                        f"+refs/heads/{version}:refs/remotes/{remote}/{version}"]
                self.run("fetch", f"--depth={self.params['depth']}", remote, *refs,
                         msg=f"Failed to fetch branch from remote: {version}")
            if not self.local_branch_exists(version):
                self.run("checkout", "--track", "-b", version, f"{remote}/{version}",
                         msg=f"Failed to checkout {version}")
            else:
                self.run("checkout", "--force", version, msg=f"Failed to checkout branch {version}")
                self.run("reset", "--hard", f"{remote}/{version}", msg=f"Failed to checkout {version}")
        else:
            self.run("checkout", "--force", version, msg=f"Failed to checkout {version}")
        if self.params["verify_commit"]:
            self.verify_signature()

    def verify_signature(self) -> None:
        """Fail unless ``version``'s commit (or annotated tag) carries a good signature, made with a key of
        the allowlist when there is one."""
        version, allowlist = self.version, self.params["gpg_allowlist"]
        tags = self.run("for-each-ref", "refs/tags/", "--format", "%(objecttype):%(refname:short)")
        annotated = {line.split(":", 1)[1] for line in tags.splitlines() if line.startswith("tag:")}
        command = [self.git, "verify-tag" if version in annotated else "verify-commit", version]
        if allowlist:
            command.append("--raw")
        rc, out, err = self.module.run_command(command, cwd=self.dest)
        if rc != 0:
            self.module.fail_json(msg=f'Failed to verify GPG signature of commit/tag "{version}"', stdout=out,
                                  stderr=err, rc=rc)
        if allowlist:
            fingerprint = _primary_fingerprint(err)
            if fingerprint not in allowlist:
                self.module.fail_json(msg=f'The gpg_allowlist does not include the public key "{fingerprint}" '
                                          "for this commit", stdout=out, stderr=err, rc=rc)

    # -- submodules ------------------------------------------------------------------------------

    def submodules_outdated(self) -> bool:
        """Whether a submodule is missing, or (after fetching them) not at the commit it should be."""
        gitmodules = os.path.join(self.dest, ".gitmodules")
        if not os.path.exists(gitmodules):
            return False
        with open(gitmodules) as handle:
            for line in handle:
                if line.strip().startswith("path"):
                    if not os.path.exists(os.path.join(self.dest, line.split("=", 1)[1].strip(), ".git")):
                        return True
        current = self.submodule_commits()
        self.run("submodule", "foreach", self.git, "fetch")
        if self.params["track_submodules"]:
            for path, commit in current.items():
                branch = self.submodule_branch(path)
                ref = f"{self.remote}/{branch}" if branch != "HEAD" else "HEAD"
                latest = self.run("rev-parse", ref, cwd=os.path.join(self.dest, path),
                                  msg=f"Unable to determine hash of submodule {path} at {ref}").strip()
                if latest != commit:
                    return True
            return False
        return any(line[:1] != " " for line in self.run("submodule", "status").splitlines())

    def submodule_commits(self) -> dict[str, str]:
        out = self.run("submodule", "foreach", self.git, "rev-parse", "HEAD",
                       msg="Unable to determine hashes of submodules")
        commits, name = {}, None
        for line in out.splitlines():
            if line.startswith("Entering '"):
                name = line[len("Entering '"):-1]
            elif name is not None and len(line.strip()) == 40:
                commits[name], name = line.strip(), None
        return commits

    def submodule_branch(self, path: str) -> str:
        """The branch ``.gitmodules`` names for the submodule at ``path``, else its remote's default branch."""
        rc, branch = self.probe("config", "-f", ".gitmodules", f"submodule.{path}.branch")
        if rc == 0 and branch:
            return branch
        rc, head = self.probe("symbolic-ref", "--short", "refs/remotes/origin/HEAD", cwd=os.path.join(self.dest, path))
        return head.split("/", 1)[-1] if rc == 0 and head else "HEAD"

    def update_submodules(self) -> None:
        if not os.path.exists(os.path.join(self.dest, ".gitmodules")):
            return
        self.run("submodule", "sync")
        command = ["submodule", "update", "--init", "--recursive"]
        if self.params["track_submodules"]:
            command.append("--remote")
        if self.params["force"]:
            command.append("--force")
        rc, out, err = self.module.run_command([self.git, *command], cwd=self.dest)
        if rc != 0:
            self.module.fail_json(msg=f"Failed to init/update submodules: {out}{err}")

    # -- diff and archive ------------------------------------------------------------------------

    def diff(self, before: str | None, after: str | None) -> dict:
        if before is None:
            return {"prepared": f">> Newly checked out {after}"}
        if before == after:
            return {}
        rc, out, err = self.module.run_command([self.git, "diff", before, after], cwd=self.dest)
        if rc == 0 and out:
            return {"prepared": out}
        if rc == 0:
            return {"prepared": f">> No visual differences between {before} and {after}"}
        detail = f":\n>> {err}" if err else ""
        return {"prepared": f">> Failed to get proper diff between {before} and {after}{detail}"}

    def archive(self, result: dict) -> None:
        """Write the tree at ``version`` to O(archive); replace an existing one only when it differs."""
        archive, prefix = self.params["archive"], self.params["archive_prefix"]
        fmt = _ARCHIVE_FORMATS.get(os.path.splitext(archive)[1])
        if fmt is None:
            self.module.fail_json(msg=f"Unable to get file extension from archive file name : {archive}",
                                  details="Please specify archive as filename with extension. File extension can "
                                          "be one of ['tar', 'tar.gz', 'zip', 'tgz']")
        if not os.path.exists(archive):
            self._write_archive(archive, fmt, prefix)
            result["changed"] = True
            return
        scratch = tempfile.mkdtemp(dir=self.module.tmpdir)
        fresh = os.path.join(scratch, self.repo.split("/")[-1].replace(".git", "") + "." + fmt)
        self._write_archive(fresh, fmt, prefix)
        if filecmp.cmp(fresh, archive, shallow=False):
            result["changed"] = False
        else:
            shutil.move(fresh, archive)
            result["changed"] = True
        shutil.rmtree(scratch, ignore_errors=True)

    def _write_archive(self, path: str, fmt: str, prefix: str | None) -> None:
        command = [self.git, "archive", "--format", fmt, "--output", path]
        command += ["--prefix", prefix] if prefix is not None else []
        rc, _out, err = self.module.run_command([*command, self.version], cwd=self.dest)
        if rc != 0:
            self.module.fail_json(msg="Failed to perform archive operation",
                                  details=f"Git archive command failed to create archive {path} using "
                                          f"{self.dest} directory.Error: {err}")


def repository_path(module: AnsibleModule, dest: str, bare: bool) -> str:
    """Where ``dest``'s repository is: ``dest`` (bare), ``dest/.git``, or what a ``.git`` file points to."""
    path = dest if bare else os.path.join(dest, ".git")
    if os.path.isfile(path):
        with open(path) as handle:
            before, _, gitdir = handle.read().rstrip().partition("gitdir: ")
        if before or not gitdir:
            module.fail_json(msg="Current repo does not have a valid reference to a separate Git dir or it refers "
                                 "to the invalid path", details=".git file has invalid git dir reference format")
        path = gitdir if os.path.isabs(gitdir) else os.path.join(dest, gitdir)
        if not os.path.isdir(path):
            module.fail_json(msg="Current repo does not have a valid reference to a separate Git dir or it refers "
                                 "to the invalid path", details=f"{path} is not a directory")
    return path


def relocate(module: AnsibleModule, result: dict, new: str, old: str, work_tree: str) -> None:
    """Move the repository ``old`` to ``new`` and point the work tree's ``.git`` file at it."""
    if os.path.exists(new):
        module.fail_json(msg=f"Separate-git-dir path {new} already exists.")
    shutil.move(old, new)
    try:
        with open(os.path.join(work_tree, ".git"), "w") as handle:
            handle.write(f"gitdir: {new}")
    except OSError as exc:
        shutil.move(new, old)
        module.fail_json(msg="Unable to move git dir.", details=str(exc))
    result.update(git_dir_before=old, git_dir_now=new)


def _unfrack(path: str | None) -> str | None:
    """A repository URL or path, comparable: a local path made absolute, a URL as it is."""
    if not path:
        return None
    if os.path.splitdrive(path)[0] or "://" in path or re.match(r"^[^/]+@[^:]+:", path):
        return path.rstrip("/")
    return os.path.normpath(os.path.realpath(os.path.expanduser(path)))


def _primary_fingerprint(status: str) -> str | None:
    """The primary key's fingerprint from GnuPG's status lines (the VALIDSIG line)."""
    for line in status.splitlines():
        fields = line.split()
        if len(fields) > 2 and fields[1] == "VALIDSIG":
            return fields[11] if len(fields) == 11 else fields[2]
    return None


def ssh_command(module: AnsibleModule) -> str:
    """The GIT_SSH_COMMAND for the ssh options: O(ssh_opts) after E(GIT_SSH_OPTS), host key acceptance,
    C(BatchMode=yes) and the key file."""
    params = module.params
    opts = params["ssh_opts"]
    for flag, value in (("accept_hostkey", "no"), ("accept_newhostkey", "accept-new")):
        if not params[flag]:
            continue
        if flag == "accept_newhostkey" and not _ssh_accepts_new(module):
            module.warn("Your ssh client does not support accept_newhostkey option, therefore it cannot be used.")
            continue
        if opts is None:
            opts = f"-o StrictHostKeyChecking={value}"
        elif "-o StrictHostKeyChecking=no" not in opts and "-o StrictHostKeyChecking=accept-new" not in opts:
            opts += f" -o StrictHostKeyChecking={value}"
    inherited = os.environ.get("GIT_SSH_OPTS", "")
    opts = inherited if opts is None else f"{inherited} {opts}"
    if "BatchMode=yes" not in opts:
        opts += " -o BatchMode=yes"
    if params["key_file"]:
        if f"-i {params['key_file']}" not in opts:
            opts += f"  -i {params['key_file']}"
        if "IdentitiesOnly=yes" not in opts:
            opts += " -o IdentitiesOnly=yes"
    base = os.environ.get("GIT_SSH", os.environ.get("GIT_SSH_COMMAND", "ssh"))
    return f"{base} {opts}" if opts else base


def _ssh_accepts_new(module: AnsibleModule) -> bool:
    ssh = module.get_bin_path("ssh")
    if ssh is None:
        module.fail_json(msg="Remote host is missing ssh command, so you cannot use acceptnewhostkey option.")
    rc, _out, _err = module.run_command([ssh, "-o", "StrictHostKeyChecking=accept-new", "-V"])
    return rc == 0


def _apply_umask(module: AnsibleModule) -> None:
    umask = module.params["umask"]
    if umask is None:
        return
    if not isinstance(umask, str):
        module.fail_json(msg="umask must be defined as a quoted octal integer")
    try:
        os.umask(int(umask, 8))
    except ValueError as exc:
        module.fail_json(msg="umask must be an octal integer", details=str(exc))


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "dest": {"type": "path"},
            "repo": {"type": "str", "required": True, "aliases": ["name"]},
            "version": {"type": "str", "default": "HEAD"},
            "remote": {"type": "str", "default": "origin"},
            "refspec": {"type": "str"},
            "reference": {"type": "str"},
            "force": {"type": "bool", "default": False},
            "depth": {"type": "int"},
            "clone": {"type": "bool", "default": True},
            "update": {"type": "bool", "default": True},
            "verify_commit": {"type": "bool", "default": False},
            "gpg_allowlist": {"type": "list", "elements": "str", "default": []},
            "accept_hostkey": {"type": "bool", "default": False},
            "accept_newhostkey": {"type": "bool", "default": False},
            "key_file": {"type": "path"},
            "ssh_opts": {"type": "str"},
            "executable": {"type": "path"},
            "bare": {"type": "bool", "default": False},
            "recursive": {"type": "bool", "default": True},
            "single_branch": {"type": "bool", "default": False},
            "track_submodules": {"type": "bool", "default": False},
            "umask": {"type": "raw"},
            "archive": {"type": "path"},
            "archive_prefix": {"type": "str"},
            "separate_git_dir": {"type": "path"},
        },
        mutually_exclusive=[["separate_git_dir", "bare"], ["accept_hostkey", "accept_newhostkey"]],
        required_by={"archive_prefix": ["archive"]},
        supports_check_mode=True,
    )
    params = module.params
    ssh = ssh_command(module)
    _apply_umask(module)
    repo = params["repo"]
    if os.path.expanduser(repo).startswith("/"):
        repo = "file://" + os.path.expanduser(repo)
    module.run_command_environ_update = {"LANG": "C", "LC_ALL": "C", "LC_MESSAGES": "C", "LC_CTYPE": "C",
                                         "LANGUAGE": "C", "GIT_SSH_COMMAND": ssh, "GIT_TERMINAL_PROMPT": "0"}
    separate = os.path.realpath(params["separate_git_dir"]) if params["separate_git_dir"] else None
    params["separate_git_dir"] = separate
    dest = params["dest"]
    if not dest and params["clone"]:
        module.fail_json(msg="the destination directory must be specified unless clone=no")
    result: dict = {"changed": False}
    gitconfig = None
    if dest:
        dest = os.path.abspath(dest)
        repo_path = repository_path(module, dest, params["bare"])
        if separate and os.path.exists(repo_path) and separate != repo_path:
            result["changed"] = True
            if not module.check_mode:
                relocate(module, result, separate, repo_path, dest)
                repo_path = separate
        gitconfig = os.path.join(repo_path, "config")
    git = Git(module, repo, dest)
    result["before"] = None
    local_mods = remote_url_changed = False

    if (dest and not os.path.exists(gitconfig or "")) or (not dest and not params["clone"]):
        if module.check_mode or not params["clone"]:
            result.update(changed=True, after=git.remote_head(repo, cloning=True))
            if module._diff:
                result["diff"] = git.diff(None, result["after"])
            module.exit_json(**result)
        git.clone(result)
    elif not params["update"]:
        result["before"] = result["after"] = git.head()
        if params["archive"]:
            if module.check_mode:
                module.exit_json(**dict(result, changed=True))
            git.archive(result)
        module.exit_json(**result)
    else:
        local_mods = git.local_mods()
        result["before"] = git.head()
        if local_mods:
            if not params["force"]:
                module.fail_json(msg=f"Local modifications exist in the destination: {dest} (force=no).", **result)
            if not module.check_mode:
                git.run("reset", "--hard", "HEAD")
                result.update(changed=True, msg=f"Local modifications exist in the destination: {dest}")
        if module.check_mode:
            remote_url_changed = git.remote_url_differs()
            result["remote_url_changed"] = remote_url_changed
            after = git.remote_head(git.remote, cloning=False)
            result.update(changed=result["before"] != after or remote_url_changed, after=after)
            if module._diff and result["changed"]:
                result["diff"] = git.diff(result["before"], after)
            module.exit_json(**result)
        remote_url_changed = git.set_remote_url()
        result["remote_url_changed"] = remote_url_changed
        git.fetch()
        result["after"] = git.head()

    if not params["bare"]:
        git.switch_version()
    submodules_changed = False
    if params["recursive"] and not params["bare"]:
        submodules_changed = git.submodules_outdated()
        if submodules_changed:
            result["submodules_changed"] = True
            git.update_submodules()
    result["after"] = git.head()
    if result["before"] != result["after"] or local_mods or submodules_changed or remote_url_changed:
        result["changed"] = True
        if module._diff:
            diff = git.diff(result["before"], result["after"])
            if diff:
                result["diff"] = diff
    if params["archive"]:
        if module.check_mode:
            module.exit_json(**dict(result, changed=True))
        git.archive(result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
