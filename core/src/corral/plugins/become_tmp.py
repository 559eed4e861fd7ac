"""Files the connection user puts on a target for a task that runs as another user.

An action transfers files (copy's source, a script, an archive) as the login user,
into a private temporary directory (mode 0700), and a module running as the become
user then reads them.  Becoming root needs nothing more: root reads everything.
Becoming an *unprivileged* user (neither root nor the login user) does: the
directory is made in a system temporary directory (``/var/tmp``), which every user
can traverse, and the login user then lets the become user, and only that user,
read the files (first taken away from group and others: a transferred file keeps
its controller mode), trying in turn what Ansible tries:

1. a POSIX ACL (``setfacl``) for the become user;
2. ``chown`` to the become user (works when the login user is root);
3. the ACL syntaxes of macOS (``chmod +a``) and Solaris (``chmod A+``);
4. ``chgrp`` to ``common_remote_group`` (a group both users share) and ``g+r``;
5. only with the documented opt-in (``allow_world_readable_tmpfiles``), world
   read permission, with a warning.

When none applies, the task fails with Ansible's message and nothing was made
readable to other users.  The whole chain is one command on the target.
"""
from __future__ import annotations

import shlex
from typing import Callable, Iterable

from corral.errors import CorralError
from corral.plugins.connection import Become

__all__ = ["ADMIN_USERS", "SYSTEM_TMPDIRS", "DOC_LINK", "is_become_unprivileged", "system_tmp_base",
           "share_command", "share_with_become_user"]

#: users that can read any file (becoming them needs no permission change)
ADMIN_USERS = ("root",)
#: temporary directories every user can traverse, first is the default
SYSTEM_TMPDIRS = ("/var/tmp", "/tmp")
DOC_LINK = ("https://docs.ansible.com/ansible-core/2.21/playbook_guide/playbooks_privilege_escalation.html"
            "#risks-of-becoming-an-unprivileged-user")
WORLD_READABLE_WARNING = ("Using world-readable permissions for temporary files Ansible needs to create when "
                          f"becoming an unprivileged user. This may be insecure. For information on securing "
                          f"this, see {DOC_LINK}")
_MARK = "corral-shared-by:"


def is_become_unprivileged(become: Become | None, remote_user: str | None) -> bool:
    """Whether a task becomes a user that cannot read the login user's private files
    (become is on, and its user is neither an admin nor the login user)."""
    if become is None:
        return False
    user = become.user or "root"
    return user not in ADMIN_USERS and user != (remote_user or "")


def system_tmp_base(remote_tmp: str) -> str:
    """Where to make the task's temporary directory when becoming unprivileged: the
    configured ``remote_tmp`` when it is inside a system temporary directory, else
    the first system temporary directory (a login user's home is not traversable)."""
    if any(remote_tmp == d or remote_tmp.startswith(d + "/") for d in SYSTEM_TMPDIRS):
        return remote_tmp
    return SYSTEM_TMPDIRS[0]


def share_command(paths: Iterable[str], user: str, *, execute: bool = False,
                  common_group: str | None = None, world_readable: bool = False) -> str:
    """A ``sh`` command that lets ``user`` read (and, with ``execute``, run) ``paths``
    by the first method of the chain that works; it prints ``corral-shared-by:METHOD``
    on success, else exits with the last attempt's status and error output."""
    quoted = " ".join(shlex.quote(p) for p in paths)
    who = shlex.quote(user)
    rx = "rx" if execute else "rX"
    attempts = [
        ("acl", f"setfacl -m u:{who}:{rx} {quoted}"),
        ("chown", f"chown {who} {quoted}"),
        ("macos-acl", f"chmod +a {shlex.quote(user + ' allow read' + (',execute' if execute else ''))} {quoted}"),
        ("solaris-acl", f"chmod {shlex.quote(f'A+user:{user}:rx:allow')} {quoted}"),
    ]
    if common_group:
        attempts.append(("group", f"chgrp {shlex.quote(common_group)} {quoted} && chmod g+{rx} {quoted}"))
    if world_readable:
        attempts.append(("world", f"chmod a+{rx} {quoted}"))
    # a transferred file keeps its controller mode: take back what group and others
    # could read before granting the become user alone
    lines = [f"chmod go= {quoted} || exit", "rc=1; err="]
    for method, command in attempts:
        lines.append(f"err=$( ( {command} ) 2>&1 ) && {{ echo {_MARK}{method}; exit 0; }}; rc=$?")
    lines.append('printf "%s\\n" "$err" >&2; exit $rc')
    return "\n".join(lines)


def share_with_become_user(exec_command: Callable[[str], tuple[int, bytes, bytes]], paths: list[str],
                           user: str, *, execute: bool = False, common_group: str | None = None,
                           world_readable: bool = False) -> list[str]:
    """Let ``user`` read ``paths`` (the temporary directory and the files in it) by the
    chain above; ``exec_command`` runs a command as the login user.  Returns the
    warnings to show; raises :class:`CorralError` with Ansible's message when no
    method works."""
    rc, out, err = exec_command(share_command(paths, user, execute=execute, common_group=common_group,
                                              world_readable=world_readable))
    used = out.decode(errors="replace").rpartition(_MARK)[2].strip() if rc == 0 else ""
    if used == "world":
        return [WORLD_READABLE_WARNING]
    if used:
        return []
    error = err.decode(errors="replace")
    if world_readable:
        raise CorralError(f"Task failed: Failed to set file mode or acl on remote temporary files "
                          f"(rc: {rc}, err: {error})")
    raise CorralError(f"Task failed: Failed to set permissions on the temporary files Ansible needs to create "
                      f"when becoming an unprivileged user (rc: {rc}, err: {error}}}). For information on "
                      f"working around this, see {DOC_LINK}")
