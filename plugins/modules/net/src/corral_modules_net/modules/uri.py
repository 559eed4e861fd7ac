#!/usr/bin/python3
"""uri: talk to a web service (any method, body, status check)."""
from __future__ import annotations

DOCUMENTATION = r"""
module: uri
short_description: Interact with web services
description:
  - Sends an HTTP(S) request from the target and returns the status, headers and (with O(return_content) or a
    JSON response) the body. Fails when the status is not one of O(status_code).
  - In check mode no request is sent and the task is skipped.
options:
  method:
    type: str
    default: GET
  body:
    description: The request body; with O(body_format=json) a data structure is serialised.
    type: raw
  body_format:
    description:
      - How O(body) is sent. V(form-multipart) takes a mapping of field names to strings or to mappings with
        C(filename) (a controller file unless O(remote_src)), C(content), C(mime_type) and C(multipart_encoding)
        (V(base64) or V(7or8bit)).
    type: str
    choices: [form-urlencoded, json, raw, form-multipart]
    default: raw
  src:
    description: A file sent as the request body (copied from the controller's C(files/) unless O(remote_src)).
    type: path
  remote_src:
    description: O(src) and multipart C(filename)s are paths on the target.
    type: bool
    default: false
  headers:
    default: {}
  status_code:
    description: The statuses that mean success.
    type: list
    elements: int
    default: [200]
  return_content:
    type: bool
    default: false
  dest:
    description: Write the response body to this file (a success status other than 304 reports a change).
    type: path
  creates:
    description: Do not send the request when this path exists.
    type: path
  removes:
    description: Do not send the request when this path does not exist.
    type: path
  follow_redirects:
    type: str
    choices: [all, none, safe, urllib2, "no", "yes"]
    default: safe
  timeout:
    default: 30
  url_username:
    aliases: [user]
  force:
    description: Send C(Cache-Control) C(no-cache) instead of C(If-Modified-Since) (the mtime of an existing O(dest)).
  ca_path:
    description: A PEM CA bundle; when given it is the only one trusted.
    type: path
  unix_socket:
    description: Connect through this Unix socket; the URL's host only names the C(Host) header.
    type: path
extends_documentation_fragment: [files, url]
"""

EXAMPLES = r"""
- uri:
    url: http://localhost:8080/api/items
    method: POST
    body_format: json
    body: {name: widget}
    status_code: [200, 201]
  register: created
"""

RETURN = r"""
status:
  description: The HTTP status.
  returned: always
  type: int
content:
  description: The response body.
  returned: when return_content
  type: str
json:
  description: The decoded JSON body.
  returned: when the response is JSON
  type: raw
msg:
  description: The HTTP message.
  returned: always
  type: str
"""

import datetime
import json
import os
import re
import shutil
import tempfile
import urllib.parse

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.urls import fetch_url, prepare_multipart, url_argument_spec

# typing is only for annotations (never evaluated)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _response_filename(response: Any) -> str | None:
    """The file name the answer gives (C(Content-Disposition)), else the last part of the
    final URL's path."""
    name = response.headers.get_param("filename", header="content-disposition")
    if isinstance(name, str):
        return os.path.basename(name)
    path = urllib.parse.urlparse(response.geturl()).path
    return urllib.parse.unquote(os.path.basename(path.rstrip("/"))) or None


def _body(module: AnsibleModule, headers: dict[str, Any]) -> Any:
    """The request body for O(body)/O(body_format), or the open O(src) file; sets the
    matching C(Content-Type) (or C(Content-Length) for O(src))."""
    params = module.params
    body, body_format = params["body"], params["body_format"].lower()
    has_type = "content-type" in (name.lower() for name in headers)
    if body_format == "json":
        if not isinstance(body, str):
            body = json.dumps(body)
        if not has_type:
            headers["Content-Type"] = "application/json"
    elif body_format == "form-urlencoded":
        if not isinstance(body, str):
            try:
                body = urllib.parse.urlencode(body, doseq=True)
            except (TypeError, ValueError) as exc:
                module.fail_json(msg=f"failed to parse body as form_urlencoded: {exc}", elapsed=0)
        if not has_type:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body_format == "form-multipart":
        try:
            headers["Content-Type"], body = prepare_multipart(body)
        except (TypeError, ValueError, OSError) as exc:
            module.fail_json(msg=f"failed to parse body as form-multipart: {exc}")
    elif body is not None and not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    if params["src"]:
        try:
            headers["Content-Length"] = str(os.stat(params["src"]).st_size)
            return open(params["src"], "rb")
        except OSError:
            module.fail_json(msg=f"Unable to open source file {params['src']}", elapsed=0)
    return body.encode("utf-8") if isinstance(body, str) else body


def main() -> None:
    spec = url_argument_spec()
    spec["http_agent"]["default"] = "ansible-httpget"
    spec.update({
        "dest": {"type": "path"},
        "body": {"type": "raw"},
        "body_format": {"type": "str", "default": "raw",
                        "choices": ["form-urlencoded", "json", "raw", "form-multipart"]},
        "src": {"type": "path"},
        "method": {"type": "str", "default": "GET"},
        "return_content": {"type": "bool", "default": False},
        "follow_redirects": {"type": "str", "default": "safe",
                             "choices": ["all", "no", "none", "safe", "urllib2", "yes"]},
        "creates": {"type": "path"},
        "removes": {"type": "path"},
        "status_code": {"type": "list", "elements": "int", "default": [200]},
        "timeout": {"type": "int", "default": 30},
        "headers": {"type": "dict", "default": {}},
        "unix_socket": {"type": "path"},
        "remote_src": {"type": "bool", "default": False},
        "ca_path": {"type": "path"},
        "decompress": {"type": "bool", "default": True},
        "ciphers": {"type": "list", "elements": "str"},
        "use_netrc": {"type": "bool", "default": True},
        "unredirected_headers": {"type": "list", "elements": "str", "default": []},
    })
    module = AnsibleModule(argument_spec=spec, add_file_common_args=True, mutually_exclusive=[["body", "src"]])
    module.report_path_info = True  # a result naming an existing dest describes it, as Ansible's do
    params = module.params
    url, dest = params["url"], params["dest"]
    method = params["method"].upper()
    if not re.match("^[A-Z]+$", method):
        module.fail_json(msg="Parameter 'method' needs to be a single word in uppercase, like GET or POST.")
    headers = dict(params["headers"] or {})
    data = _body(module, headers)
    if params["creates"] and os.path.exists(params["creates"]):
        module.exit_json(stdout=f"skipped, since '{params['creates']}' exists", changed=False)
    if params["removes"] and not os.path.exists(params["removes"]):
        module.exit_json(stdout=f"skipped, since '{params['removes']}' does not exist", changed=False)
    last_mod_time = None
    if dest is not None and os.path.isfile(dest):
        last_mod_time = datetime.datetime.fromtimestamp(os.path.getmtime(dest), datetime.timezone.utc)
    redirects = {"yes": "all", "all": "urllib2", "none": "no"}.get(params["follow_redirects"],
                                                                   params["follow_redirects"])
    start = datetime.datetime.now()
    response, info = fetch_url(module, url, data=data, headers=headers, method=method, timeout=params["timeout"],
                               follow_redirects=redirects, force=params["force"], last_mod_time=last_mod_time,
                               unix_socket=params["unix_socket"], ca_path=params["ca_path"],
                               unredirected_headers=params["unredirected_headers"],
                               decompress=params["decompress"], ciphers=params["ciphers"],
                               use_netrc=params["use_netrc"])
    if hasattr(data, "close"):
        data.close()
    elapsed = (datetime.datetime.now() - start).seconds
    result = {key.replace("-", "_"): value for key, value in info.items() if key != "body"}
    status = info["status"]
    result.update(elapsed=elapsed, changed=False, redirected=info.get("url") != url, url=info.get("url", url))
    content = b""
    if response is not None:
        if dest is not None and status in params["status_code"] and status != 304:
            if os.path.isdir(dest):
                dest = os.path.join(dest, _response_filename(response) or "index.html")
            fd, tmp = tempfile.mkstemp(dir=module.tmpdir)
            with os.fdopen(fd, "wb") as handle:
                shutil.copyfileobj(response, handle)
            if not os.path.exists(dest) or module.sha1(tmp) != module.sha1(dest):
                module.atomic_move(tmp, dest)
            else:
                os.remove(tmp)
            file_args = module.load_file_common_arguments(params, path=dest)
            result["changed"] = module.set_fs_attributes_if_different(file_args, True)
            result["path"] = dest
        else:
            content = response.read()
            if dest is not None:
                result["path"] = dest
        response.close()
    else:
        content = info.get("body") or b""
        if dest is not None and status != -1:
            result["path"] = dest
    text = content.decode("utf-8", "replace")
    content_type = info.get("content-type", "")
    is_json = "json" in content_type or content_type.endswith("+json")
    if response is None and status in params["status_code"] and not params["return_content"] and not is_json:
        result["body"] = text  # an error status that counts as success keeps the unread body, as in Ansible
    if text and is_json:
        try:
            result["json"] = json.loads(text)
        except ValueError:
            pass
    if params["return_content"]:
        result["content"] = text
    if status not in params["status_code"]:
        message = f"Status code was {status} and not {params['status_code']}: {info.get('msg', '')}"
        result.pop("msg", None)
        module.fail_json(msg=message, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
