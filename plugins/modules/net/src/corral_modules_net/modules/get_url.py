#!/usr/bin/python3
"""get_url: download a file over HTTP(S) or FTP to the target."""
from __future__ import annotations

DOCUMENTATION = r"""
module: get_url
short_description: Download files from HTTP, HTTPS or FTP to the target
description:
  - Downloads O(url) to O(dest) on the target. An existing O(dest) whose O(checksum) matches is not downloaded
    again unless O(force) is set; without O(checksum) the request carries C(If-Modified-Since) (the file's
    mtime), and a C(304 Not Modified) answer, or a download with the same content as O(dest), reports no change.
  - In check mode a C(HEAD) request is sent.
options:
  dest:
    description: The file to write, or a directory to put the file in (named after the URL).
    type: path
    required: true
  checksum:
    description: C(ALGORITHM:HEXDIGEST) the file must have (C(sha256:...)).
    type: str
    default: ""
  timeout:
    default: 10
  url_username:
    aliases: [username]
  backup:
    type: bool
    default: false
  decompress:
    description: Decode a gzip-encoded (C(Content-Encoding) C(gzip)) response; with V(false) the gzip bytes are written as received.
  tmp_dest:
    description: The existing directory the download is written to before it is moved to O(dest)
      (default the module's temporary directory).
    type: path
extends_documentation_fragment: [files, url]
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
from corral.module_utils.urls import fetch_url, url_argument_spec

# typing is only for annotations (never evaluated)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _filename(url: str, info: dict) -> str:
    disposition = info.get("content-disposition", "")
    match = re.search(r'filename="?([^";]+)"?', disposition)
    if match:
        return os.path.basename(match.group(1))
    name = os.path.basename(urllib.parse.urlsplit(info.get("url") or url).path)
    return name or "index.html"


_BSD_LINE = re.compile(r"^(\w+) ?\((?P<path>.+)\) ?= (?P<digest>[\w.]+)$")
_GNU_LINE = re.compile(r"^(?P<digest>[\w.]+)\s+(\*|\./|\.)?(?P<path>.+)$")


def _digest_for(filename: str, lines: list[str]) -> str | None:
    """The digest a checksum file (one bare digest, or C(sha256sum) or BSD C(sha256 -r)
    lines) gives for ``filename``."""
    if len(lines) == 1 and len(lines[0].split()) == 1:
        return lines[0]
    for line in lines:
        bsd = _BSD_LINE.match(line)
        if bsd and bsd.group("path") == filename:
            return bsd.group("digest")
        gnu = None if bsd else _GNU_LINE.match(line)
        if gnu and gnu.group("path").lstrip("./") == filename:
            return gnu.group("digest")
    return None


def _download(module: AnsibleModule, url: str, dest: str, method: str, force: bool, last_mod_time: Any,
              result: dict) -> tuple[str, dict]:
    """Fetch ``url`` into a temporary file (in O(tmp_dest) when set); exits unchanged on
    304 Not Modified and fails on an error status or a short read."""
    params = module.params
    start = datetime.datetime.now()
    response, info = fetch_url(module, url, headers=params["headers"], method=method, timeout=params["timeout"],
                               force=force, last_mod_time=last_mod_time, ciphers=params["ciphers"],
                               unredirected_headers=params["unredirected_headers"],
                               decompress=params["decompress"], use_netrc=params["use_netrc"])
    elapsed = (datetime.datetime.now() - start).seconds
    if info["status"] == 304:
        module.exit_json(url=url, dest=dest, changed=False, msg=info.get("msg", ""), status_code=304,
                         elapsed=elapsed)
    if info["status"] == -1:
        module.fail_json(msg=info["msg"], url=url, dest=dest, elapsed=elapsed)
    if response is None or info["status"] != 200 and not url.startswith("file:"):
        module.fail_json(msg="Request failed", status_code=info["status"], response=info.get("msg"), url=url,
                         dest=dest, elapsed=elapsed)
    tmp_dest = params["tmp_dest"]
    if tmp_dest and not os.path.isdir(tmp_dest):
        problem = "is a file but should be a directory" if os.path.exists(tmp_dest) else "directory does not exist"
        module.fail_json(msg=f"{tmp_dest} {problem}.", elapsed=elapsed)
    fd, tmp = tempfile.mkstemp(dir=tmp_dest or module.tmpdir)
    with os.fdopen(fd, "wb") as handle:
        shutil.copyfileobj(response, handle)
    response.close()
    gzipped = info.get("content-encoding") == "gzip"
    if not module.check_mode and "content-length" in info and (not gzipped or not params["decompress"]):
        size, expected = os.path.getsize(tmp), int(info["content-length"])
        if size != expected:
            os.remove(tmp)
            module.fail_json(msg=f"Incomplete read, ({expected=}, {size=}) failed to read remaining "
                                 f"{expected - size} bytes")
    result["elapsed"] = elapsed
    return tmp, info


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
    module.report_path_info = True  # every result naming an existing dest describes it, as Ansible's do
    params = module.params
    url, dest, force = params["url"], params["dest"], params["force"]
    algorithm = expected = None
    result: dict[str, Any] = {"url": url, "dest": dest, "changed": False, "checksum_dest": None,
                              "checksum_src": None, "elapsed": 0}
    if params["checksum"]:
        try:
            algorithm, expected = params["checksum"].split(":", 1)
            hashlib.new(algorithm)
        except ValueError:
            module.fail_json(msg="The checksum parameter has to be in format <algorithm>:<checksum>", **result)
        if re.match(r"^(https?|ftp|file)://", expected):
            checksum_url = expected
            tmp, _info = _download(module, checksum_url, dest, "GET", force, None, {})
            with open(tmp) as handle:
                lines = [line.rstrip("\n") for line in handle]
            os.remove(tmp)
            filename = _filename(url, {})
            expected = _digest_for(filename, lines)
            if expected is None:
                module.fail_json(msg=f"Unable to find a checksum for file '{filename}' in '{checksum_url}'")
        expected = re.sub(r"\W+", "", expected).lower()
        try:
            int(expected, 16)
        except ValueError:
            module.fail_json(msg="The checksum format is invalid", **result)
    dest_is_dir = os.path.isdir(dest)
    last_mod_time = None
    if not dest_is_dir and os.path.exists(dest):
        mismatch = not force and expected is not None and module.digest_from_file(dest, algorithm) != expected
        if not force and expected is not None and not mismatch:
            file_args = module.load_file_common_arguments(params, path=dest)
            result["changed"] = module.set_fs_attributes_if_different(file_args, False)
            module.exit_json(msg="file already exists but file attributes changed" if result["changed"]
                             else "file already exists", **result)
        last_mod_time = datetime.datetime.fromtimestamp(os.path.getmtime(dest), datetime.timezone.utc)
        force = force or mismatch

    tmp, info = _download(module, url, dest, "HEAD" if module.check_mode else "GET", force, last_mod_time, result)
    result["src"] = tmp
    if dest_is_dir:
        dest = os.path.join(dest, _filename(url, info))
        result["dest"] = dest
    result["checksum_src"] = module.sha1(tmp)
    if os.path.exists(dest):
        result["checksum_dest"] = module.sha1(dest)
    elif not os.path.exists(os.path.dirname(dest)):
        os.remove(tmp)
        module.fail_json(msg=f"Destination {os.path.dirname(dest)} does not exist", **result)
    if module.check_mode:
        os.remove(tmp)
        result["changed"] = result["checksum_src"] != result["checksum_dest"]
        module.exit_json(msg=info.get("msg", ""), **result)
    if expected is not None:
        actual = module.digest_from_file(tmp, algorithm)
        if actual != expected:
            os.remove(tmp)
            module.fail_json(msg=f"The checksum for {tmp} did not match {expected}; it was {actual}.", **result)
    changed = result["checksum_src"] != result["checksum_dest"]
    if changed:
        if params["backup"] and os.path.exists(dest):
            result["backup_file"] = module.backup_local(dest)
        module.atomic_move(tmp, dest, unsafe_writes=params["unsafe_writes"])
    else:
        os.remove(tmp)
    file_args = module.load_file_common_arguments(params, path=dest)
    result["changed"] = module.set_fs_attributes_if_different(file_args, changed)
    result["md5sum"] = module.md5(dest)
    module.exit_json(msg=info.get("msg", ""), status_code=info.get("status", ""), **result)


if __name__ == "__main__":
    main()
