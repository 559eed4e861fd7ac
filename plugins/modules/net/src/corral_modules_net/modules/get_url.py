#!/usr/bin/python3
"""get_url: download a file over HTTP(S) or FTP to the target."""
from __future__ import annotations

DOCUMENTATION = r"""
module: get_url
short_description: Download files from HTTP, HTTPS or FTP to the target
description:
  - Downloads O(url) to O(dest) on the target. An existing O(dest) is not downloaded again unless O(force) is set
    or O(checksum) does not match; a download with the same content as O(dest) reports no change.
options:
  url:
    type: str
    required: true
  dest:
    description: The file to write, or a directory to put the file in (named after the URL).
    type: path
    required: true
  force:
    type: bool
    default: false
  checksum:
    description: C(ALGORITHM:HEXDIGEST) the file must have (C(sha256:...)).
    type: str
    default: ""
  headers:
    type: dict
  timeout:
    type: int
    default: 10
  url_username:
    type: str
    aliases: [username]
  url_password:
    type: str
    aliases: [password]
  force_basic_auth:
    type: bool
    default: false
  validate_certs:
    type: bool
    default: true
  backup:
    type: bool
    default: false
extends_documentation_fragment: [files]
"""

EXAMPLES = r"""
- get_url:
    url: https://example.com/app.tar.gz
    dest: /opt/app.tar.gz
    checksum: sha256:b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c
"""

RETURN = r"""
dest:
  description: The file written.
  returned: success
  type: str
checksum_src:
  description: SHA-1 of the downloaded content.
  returned: when downloaded
  type: str
checksum_dest:
  description: SHA-1 of O(dest) before the download.
  returned: when downloaded
  type: str
status_code:
  description: The HTTP status.
  returned: when downloaded
  type: int
"""

import datetime
import hashlib
import os
import re
import shutil
import tempfile
import urllib.parse

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.files import path_info
from corral.module_utils.urls import fetch_url, url_argument_spec


def _filename(url: str, info: dict) -> str:
    disposition = info.get("content-disposition", "")
    match = re.search(r'filename="?([^";]+)"?', disposition)
    if match:
        return os.path.basename(match.group(1))
    name = os.path.basename(urllib.parse.urlsplit(info.get("url") or url).path)
    return name or "index.html"


def main() -> None:
    spec = url_argument_spec()
    spec["url_username"]["aliases"] = ["username"]
    spec["url_password"]["aliases"] = ["password"]
    spec.update({
        "dest": {"type": "path", "required": True},
        "backup": {"type": "bool", "default": False},
        "checksum": {"type": "str", "default": ""},
        "timeout": {"type": "int", "default": 10},
        "headers": {"type": "dict"},
        "tmp_dest": {"type": "path"},
        "decompress": {"type": "bool", "default": True},
        "unredirected_headers": {"type": "list", "elements": "str", "default": []},
        "use_netrc": {"type": "bool", "default": True},
        "ciphers": {"type": "list", "elements": "str"},
    })
    module = AnsibleModule(argument_spec=spec, add_file_common_args=True, supports_check_mode=True)
    params = module.params
    url, dest = params["url"], params["dest"]
    algorithm = expected = None
    if params["checksum"]:
        try:
            algorithm, expected = params["checksum"].split(":", 1)
            hashlib.new(algorithm)
        except ValueError:
            module.fail_json(msg="The checksum parameter has to be in format <algorithm>:<checksum>")
        expected = expected.strip().lower()
    dest_is_dir = os.path.isdir(dest)
    result = {"url": url, "dest": dest, "changed": False}

    if not dest_is_dir and os.path.exists(dest) and not params["force"]:
        if expected is None or module.digest_from_file(dest, algorithm) == expected:
            file_args = module.load_file_common_arguments(params, path=dest)
            changed = module.set_fs_attributes_if_different(file_args, False)
            result.update(changed=changed, msg="file already exists", checksum_dest=module.sha1(dest))
            result.update({k: v for k, v in path_info(dest).items() if k not in ("path",)})
            module.exit_json(**result)
    if module.check_mode:
        result.update(changed=True, msg="would download the file")
        module.exit_json(**result)

    start = datetime.datetime.now()
    response, info = fetch_url(module, url, headers=params["headers"], timeout=params["timeout"],
                               force=params["force"])
    elapsed = (datetime.datetime.now() - start).seconds
    if response is None or info["status"] not in (200, 203, 204, 206) and not url.startswith("file:"):
        module.fail_json(msg="Request failed", status_code=info["status"], response=info.get("msg"), url=url,
                         dest=dest, elapsed=elapsed)
    target = os.path.join(dest, _filename(url, info)) if dest_is_dir else dest
    fd, tmp = tempfile.mkstemp(dir=params["tmp_dest"] or module.tmpdir)
    size = 0
    with os.fdopen(fd, "wb") as handle:
        shutil.copyfileobj(response, handle)
        size = handle.tell()
    response.close()
    checksum_src = module.sha1(tmp)
    if expected is not None and module.digest_from_file(tmp, algorithm) != expected:
        module.fail_json(msg=f"The checksum for {target} did not match {expected}; it was "
                             f"{module.digest_from_file(tmp, algorithm)}.", url=url, dest=target)
    checksum_dest = module.sha1(target) if os.path.exists(target) else None
    result.update(dest=target, checksum_src=checksum_src, checksum_dest=checksum_dest, size=size,
                  status_code=info["status"], msg=info.get("msg", ""), elapsed=elapsed, md5sum=module.md5(tmp))
    changed = checksum_src != checksum_dest
    if changed:
        if params["backup"] and checksum_dest:
            result["backup_file"] = module.backup_local(target)
        module.atomic_move(tmp, target, unsafe_writes=params["unsafe_writes"],
                           file_args=module.load_file_common_arguments(params, path=target))
    file_args = module.load_file_common_arguments(params, path=target)
    changed = module.set_fs_attributes_if_different(file_args, changed)
    result.update({k: v for k, v in path_info(target).items() if k != "path"})
    result["changed"] = changed
    module.exit_json(**result)


if __name__ == "__main__":
    main()
