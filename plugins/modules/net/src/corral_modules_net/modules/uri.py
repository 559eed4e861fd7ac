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
  url:
    type: str
    required: true
  method:
    type: str
    default: GET
  body:
    description: The request body; with O(body_format=json) a data structure is serialised.
    type: raw
  body_format:
    type: str
    choices: [form-urlencoded, json, raw]
    default: raw
  headers:
    type: dict
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
    description: Write the response body to this file.
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
    type: int
    default: 30
  url_username:
    type: str
    aliases: [user]
  url_password:
    type: str
    aliases: [password]
  force_basic_auth:
    type: bool
    default: false
  validate_certs:
    type: bool
    default: true
extends_documentation_fragment: [files]
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
import shutil
import tempfile
import urllib.parse

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.urls import fetch_url, url_argument_spec


def main() -> None:
    spec = url_argument_spec()
    spec["http_agent"]["default"] = "ansible-httpget"
    spec.update({
        "dest": {"type": "path"},
        "body": {"type": "raw"},
        "body_format": {"type": "str", "default": "raw", "choices": ["form-urlencoded", "json", "raw"]},
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
        "decompress": {"type": "bool", "default": True},
        "ciphers": {"type": "list", "elements": "str"},
        "use_netrc": {"type": "bool", "default": True},
        "unredirected_headers": {"type": "list", "elements": "str", "default": []},
    })
    module = AnsibleModule(argument_spec=spec, add_file_common_args=True, mutually_exclusive=[["body", "src"]])
    params = module.params
    url = params["url"]
    if params["creates"] and os.path.exists(params["creates"]):
        module.exit_json(stdout=f"skipped, since '{params['creates']}' exists", changed=False)
    if params["removes"] and not os.path.exists(params["removes"]):
        module.exit_json(stdout=f"skipped, since '{params['removes']}' does not exist", changed=False)
    headers = dict(params["headers"] or {})
    body = params["body"]
    data = None
    if params["body_format"] == "json" and body is not None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    elif params["body_format"] == "form-urlencoded" and body is not None:
        data = (body if isinstance(body, str) else urllib.parse.urlencode(body, doseq=True)).encode("utf-8")
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif body is not None:
        data = body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8")
    elif params["src"]:
        with open(params["src"], "rb") as handle:
            data = handle.read()
    redirects = {"yes": "all", "all": "urllib2", "none": "no"}.get(params["follow_redirects"],
                                                                   params["follow_redirects"])
    start = datetime.datetime.now()
    response, info = fetch_url(module, url, data=data, headers=headers, method=params["method"].upper(),
                               timeout=params["timeout"], follow_redirects=redirects)
    elapsed = (datetime.datetime.now() - start).seconds
    result = {key.replace("-", "_"): value for key, value in info.items() if key != "body"}
    result.update(elapsed=elapsed, changed=False, redirected=info.get("url") != url, url=info.get("url", url))
    content = b""
    if response is not None:
        if params["dest"]:
            dest = params["dest"]
            if os.path.isdir(dest):
                dest = os.path.join(dest, os.path.basename(urllib.parse.urlsplit(url).path) or "index.html")
            fd, tmp = tempfile.mkstemp(dir=module.tmpdir)
            with os.fdopen(fd, "wb") as handle:
                shutil.copyfileobj(response, handle)
            changed = module.sha1(tmp) != module.sha1(dest) if os.path.exists(dest) else True
            if changed:
                module.atomic_move(tmp, dest)
            file_args = module.load_file_common_arguments(params, path=dest)
            result["changed"] = module.set_fs_attributes_if_different(file_args, changed)
            result["path"] = dest
        else:
            content = response.read()
        response.close()
    else:
        content = info.get("body") or b""
    text = content.decode("utf-8", "replace")
    content_type = info.get("content-type", "")
    if text and ("json" in content_type or content_type.endswith("+json")):
        try:
            result["json"] = json.loads(text)
        except ValueError:
            pass
    if params["return_content"]:
        result["content"] = text
    status = info["status"]
    if status not in params["status_code"]:
        message = f"Status code was {status} and not {params['status_code']}: {info.get('msg', '')}"
        result.pop("msg", None)
        module.fail_json(msg=message, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
