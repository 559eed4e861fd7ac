#!/usr/bin/python3
"""stat: facts about a path on the target."""
from __future__ import annotations

DOCUMENTATION = r"""
module: stat
short_description: Retrieve facts about a file or directory
description:
  - Returns whether a path exists and, if it does, its type, permissions, owner, size, times and checksum.
options:
  path:
    description: The path to examine.
    type: path
    required: true
    aliases: [dest, name]
  follow:
    description: Examine the target of a link rather than the link.
    type: bool
    default: false
  get_checksum:
    description: Whether to return the checksum of a regular file.
    type: bool
    default: true
  checksum_algorithm:
    description: The checksum's algorithm.
    type: str
    default: sha1
    choices: [md5, sha1, sha224, sha256, sha384, sha512]
    aliases: [checksum, checksum_algo]
  get_mime:
    description: Whether to return the MIME type and charset (needs the C(file) program).
    type: bool
    default: true
    aliases: [mime, mime_type, mime-type]
  get_attributes:
    description: Whether to return the file's attributes (needs C(lsattr)).
    type: bool
    default: true
    aliases: [attr, attributes]
  get_selinux_context:
    description:
      - Whether to return the path's SELinux context (user, role, type, level) as C(selinux_context). Corral
        manages no SELinux contexts; like ansible-core on a host without SELinux, the value is C([null, null, null]).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Is there a configuration file?
  stat:
    path: /etc/app.conf
  register: conf

- debug:
    msg: "mode is {{ conf.stat.mode }}"
  when: conf.stat.exists
"""

RETURN = r"""
stat:
  description: Facts about the path; only C(exists) when it does not exist.
  returned: success
  type: dict
  contains:
    exists: {description: Whether the path exists., type: bool}
    isdir: {description: Whether it is a directory., type: bool}
    isreg: {description: Whether it is a regular file., type: bool}
    islnk: {description: Whether it is a symbolic link., type: bool}
    mode: {description: Permissions in octal (C(0644))., type: str}
    size: {description: Size in bytes., type: int}
    checksum: {description: Checksum of a regular file., type: str}
    pw_name: {description: Owner's name., type: str}
    gr_name: {description: Group's name., type: str}
    attributes: {description: The names of the file's C(lsattr) attributes., type: list}
    attr_flags: {description: The file's C(lsattr) attribute letters., type: str}
    version: {description: The file's version (generation) as C(lsattr -v) shows it., type: str}
    disk_usage_bytes: {description: The space the file takes on disk (blocks of 512 bytes)., type: int}
    selinux_context: {description: The SELinux context (with O(get_selinux_context))., type: list}
"""

import grp
import os
import pwd
import stat

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.file_attrs import ATTRIBUTE_NAMES, format_mode


def describe(module: AnsibleModule, path: str, st: os.stat_result) -> dict:
    mode = st.st_mode
    info = {
        "exists": True, "path": path, "mode": format_mode(mode),
        "isdir": stat.S_ISDIR(mode), "ischr": stat.S_ISCHR(mode), "isblk": stat.S_ISBLK(mode),
        "isreg": stat.S_ISREG(mode), "isfifo": stat.S_ISFIFO(mode), "islnk": stat.S_ISLNK(mode),
        "issock": stat.S_ISSOCK(mode), "uid": st.st_uid, "gid": st.st_gid, "size": st.st_size,
        "inode": st.st_ino, "dev": st.st_dev, "nlink": st.st_nlink, "atime": st.st_atime,
        "mtime": st.st_mtime, "ctime": st.st_ctime,
        "wusr": bool(mode & stat.S_IWUSR), "rusr": bool(mode & stat.S_IRUSR), "xusr": bool(mode & stat.S_IXUSR),
        "wgrp": bool(mode & stat.S_IWGRP), "rgrp": bool(mode & stat.S_IRGRP), "xgrp": bool(mode & stat.S_IXGRP),
        "woth": bool(mode & stat.S_IWOTH), "roth": bool(mode & stat.S_IROTH), "xoth": bool(mode & stat.S_IXOTH),
        "isuid": bool(mode & stat.S_ISUID), "isgid": bool(mode & stat.S_ISGID),
        "blocks": st.st_blocks, "block_size": st.st_blksize, "disk_usage_bytes": st.st_blocks * 512,
        "device_type": st.st_rdev,
        "readable": os.access(path, os.R_OK), "writeable": os.access(path, os.W_OK),
        "executable": os.access(path, os.X_OK),
    }
    try:
        info["pw_name"] = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        pass
    try:
        info["gr_name"] = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        pass
    if stat.S_ISLNK(mode):
        info["lnk_source"] = os.path.realpath(path)
        info["lnk_target"] = os.readlink(path)
    return info


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "required": True, "aliases": ["dest", "name"]},
            "follow": {"type": "bool", "default": False},
            "get_checksum": {"type": "bool", "default": True},
            "checksum_algorithm": {"type": "str", "default": "sha1", "aliases": ["checksum", "checksum_algo"],
                                   "choices": ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]},
            "get_mime": {"type": "bool", "default": True, "aliases": ["mime", "mime_type", "mime-type"]},
            "get_attributes": {"type": "bool", "default": True, "aliases": ["attr", "attributes"]},
            "get_selinux_context": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
    )
    params = module.params
    path = params["path"]
    try:
        st = os.stat(path) if params["follow"] else os.lstat(path)
    except FileNotFoundError:
        module.exit_json(changed=False, stat={"exists": False})
    except OSError as exc:
        module.fail_json(msg=f"Failed to stat {path}: {exc}")
    info = describe(module, path, st)
    if info["isreg"] and info["readable"] and params["get_checksum"]:
        info["checksum"] = module.digest_from_file(path, params["checksum_algorithm"])
    if params["get_mime"]:
        file_bin = module.get_bin_path("file")
        if file_bin:
            rc, out, _err = module.run_command([file_bin, "-i", "-L" if params["follow"] else "-h", "-b", path])
            if rc == 0 and ";" in out:
                mime, charset = out.strip().split(";", 1)
                info["mimetype"] = mime.strip()
                info["charset"] = charset.strip().split("=", 1)[-1]
            elif rc == 0:
                info["mimetype"] = out.strip()
    if params["get_attributes"]:
        info.update(version=None, attributes=[], attr_flags="")
        lsattr = module.get_bin_path("lsattr")
        if lsattr:
            rc, out, _err = module.run_command([lsattr, "-vd", path])
            fields = out.split()
            if rc == 0 and len(fields) > 1:
                info["version"] = fields[0]
                info["attr_flags"] = fields[1].replace("-", "")
                info["attributes"] = [ATTRIBUTE_NAMES[flag] for flag in info["attr_flags"] if flag in ATTRIBUTE_NAMES]
    if params["get_selinux_context"]:
        # corral manages no SELinux contexts: a host without SELinux gives Ansible's empty context
        info["selinux_context"] = [None, None, None]
    module.exit_json(changed=False, stat=info)


if __name__ == "__main__":
    main()
