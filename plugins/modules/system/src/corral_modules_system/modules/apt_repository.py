#!/usr/bin/python3
"""apt_repository: one-line apt sources (``deb``/``deb-src``) in sources.list files."""
from __future__ import annotations

DOCUMENTATION = r"""
module: apt_repository
short_description: Add and remove APT repositories
description:
  - Adds a one-line source (C(deb ...) or C(deb-src ...)) to apt's sources, or removes it from every sources file.
    A source already enabled in any file (whitespace aside) is left alone; one that is there but commented out
    is enabled in place.
  - The files are apt's C(Dir::Etc::sourcelist) and the C(*.list) files of C(Dir::Etc::sourceparts), read with
    C(apt-config), so C(APT_CONFIG) selects another tree. A file whose last source is removed is deleted.
  - Deprecated, as in ansible-core: use M(deb822_repository) instead.
  - corral reads and writes the files itself and needs no C(python3-apt) on the target.
options:
  repo:
    description: The source line, or C(ppa:USER/NAME) for an Ubuntu PPA (its key is received from Ubuntu's keyserver).
    type: str
    required: true
  state:
    description: Whether the source should be there.
    type: str
    choices: [absent, present]
    default: present
  mode:
    description: The mode of a sources file that is created (C(0644) when not given).
    type: raw
  update_cache:
    description: Run C(apt-get update) after a change.
    type: bool
    default: 'yes'
    aliases: [update-cache]
  update_cache_retries:
    description: How many times to try C(apt-get update).
    type: int
    default: 5
  update_cache_retry_max_delay:
    description: The longest wait between two tries, in seconds (the waits double from 1 second).
    type: int
    default: 12
  validate_certs:
    description: Validate the HTTPS certificate when the information of a PPA is fetched.
    type: bool
    default: 'yes'
  filename:
    description:
      - The name of the file in C(sources.list.d) the source is added to (C(.list) is appended). By default it is
        made from the source's URL (C(http://dl.example.com/repo/) gives C(dl_example_com_repo.list)).
    type: str
  codename:
    description: The release codename of a PPA source (by default the target's, from C(/etc/os-release)).
    type: str
  install_python_apt:
    description:
      - In ansible-core, installs C(python3-apt) when the target lacks it. corral's implementation does not use
        C(python3-apt), so there is never anything to install.
    type: bool
    default: true
"""

EXAMPLES = r"""
- apt_repository:
    repo: deb http://archive.canonical.com/ubuntu hardy partner
    state: present
- apt_repository:
    repo: "deb [signed-by=/etc/apt/keyrings/example.gpg] https://dl.example.com/repo stable main"
    filename: example
"""

RETURN = r"""
repo:
  description: The source as given.
  returned: always
  type: str
state:
  description: The state asked for.
  returned: always
  type: str
sources_added:
  description: The files created.
  returned: always
  type: list
sources_removed:
  description: The files deleted.
  returned: always
  type: list
diff:
  description: The content of the files created, with C(--diff).
  returned: always
  type: list
"""

import json
import os
import re
import shlex
import time

from corral.module_utils.basic import AnsibleModule
from corral.module_utils.urls import fetch_url

_TYPES = ("deb", "deb-src")
_PPA_KEYSERVER = "hkp://keyserver.ubuntu.com:80"


class _Line:
    """One line of a sources file: a source (enabled or commented out), or anything else, kept as is."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.source: str | None = None
        self.enabled = False
        self.comment = ""
        body = text.strip()
        enabled = True
        if body.startswith("#"):
            enabled = False
            body = body.lstrip("#").strip()
        if "#" in body:
            body, comment = body.split("#", 1)
            self.comment = comment.strip()
        source = normalized_source(body)
        if source is not None:
            self.source, self.enabled = source, enabled

    def render(self) -> str:
        if self.source is None:
            return self.text
        comment = f" # {self.comment}" if self.comment else ""
        return f"{'' if self.enabled else '# '}{self.source}{comment}"


def normalized_source(text: str) -> str | None:
    """``text`` as a source line with single spaces (options in brackets too), or ``None`` when it is
    not one: a type, optional ``[options]``, a URI, a suite and, unless the suite ends in ``/``,
    components."""
    match = re.match(r"^\s*(\S+)\s*(\[[^\]]*\])?\s*(.*)$", text)
    if match is None or match.group(1) not in _TYPES:
        return None
    kind, options, rest = match.groups()
    words = rest.split()
    if len(words) < 2 or (len(words) < 3 and not words[1].endswith("/")):
        return None
    parts = [kind] + (["[" + " ".join(options[1:-1].split()) + "]"] if options else []) + words
    return " ".join(parts)


def suggested_filename(source: str) -> str:
    """The file name made from the source's URL: scheme, options and credentials dropped, every run of
    other characters than letters and digits turned into one ``_``."""
    without_options = re.sub(r"\[[^\]]*\]", "", source)
    without_scheme = re.sub(r"\w+://", "", without_options)
    words = [word for word in without_scheme.split() if word not in _TYPES]
    location = words[0].split("@", 1)[-1]
    return "_".join(re.sub("[^a-zA-Z0-9]", " ", location).split()) + ".list"


def _apt_dirs(module: AnsibleModule) -> tuple[str, str]:
    """apt's main sources file and its parts directory (``APT_CONFIG`` honoured)."""
    apt_config = module.get_bin_path("apt-config")
    found = {"SL": "/etc/apt/sources.list", "SP": "/etc/apt/sources.list.d/"}
    if apt_config:
        rc, out, _err = module.run_command([apt_config, "shell", "SL", "Dir::Etc::sourcelist/f",
                                            "SP", "Dir::Etc::sourceparts/d"])
        for line in out.splitlines():
            name, _sep, value = line.partition("=")
            if name in found and value:
                found[name] = shlex.split(value)[0]
    return found["SL"], found["SP"]


def _read(path: str) -> list[_Line]:
    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
        return [_Line(line.rstrip("\n")) for line in handle]


def _codename(module: AnsibleModule) -> str:
    if module.params["codename"]:
        return module.params["codename"]
    try:
        with open("/etc/os-release", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(("UBUNTU_CODENAME=", "VERSION_CODENAME=")) and line.split("=", 1)[1].strip():
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    module.fail_json(msg="Could not find the release codename of this host: give codename")


def _ppa(module: AnsibleModule, repo: str) -> tuple[str, str, str]:
    """The source line, default file name and signing key fingerprint of ``ppa:USER/NAME``."""
    owner, _sep, name = repo[len("ppa:"):].partition("/")
    name = name or "ppa"
    response, info = fetch_url(module, f"https://launchpad.net/api/1.0/~{owner}/+archive/{name}",
                               headers={"Accept": "application/json"})
    if response is None or info["status"] != 200:
        module.fail_json(msg=f"failed to fetch PPA information, error was: {info['msg']}")
    fingerprint = json.loads(response.read()).get("signing_key_fingerprint", "")
    codename = _codename(module)
    line = f"deb http://ppa.launchpadcontent.net/{owner}/{name}/ubuntu {codename} main"
    return line, f"{owner}-ubuntu-{name}-{codename}.list", fingerprint


def _update_cache(module: AnsibleModule) -> str | None:
    """Run ``apt-get update`` with O(update_cache_retries) tries; ``None``, or the failure message."""
    retries = max(module.params["update_cache_retries"], 1)
    delay = 1
    err = ""
    for attempt in range(retries):
        rc, _out, err = module.run_command(["apt-get", "update", "-q"])
        if rc == 0:
            return None
        if attempt + 1 < retries:
            time.sleep(min(delay, module.params["update_cache_retry_max_delay"]))
            delay *= 2
    errors = [re.sub(r"^E: ", "E:", line) for line in err.splitlines() if line.startswith("E: ")]
    return f"Failed to update apt cache after {retries} retries: {', '.join(errors) or err.strip()}"


def _write(module: AnsibleModule, path: str, lines: list[str] | None, mode: object) -> None:
    """Write (or, for ``None`` or no lines, delete) a sources file; ``mode`` for a new file."""
    if not lines:
        if os.path.exists(path):
            os.remove(path)
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    staging = f"{path}.corral-tmp"
    with open(staging, "w", encoding="utf-8", errors="surrogateescape") as handle:
        handle.write("".join(line + "\n" for line in lines))
    if os.path.exists(path):
        os.chmod(staging, os.stat(path).st_mode & 0o7777)
    else:
        module.set_mode_if_different(staging, mode, False)
    os.replace(staging, path)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "repo": {"type": "str", "required": True},
            "state": {"type": "str", "default": "present", "choices": ["absent", "present"]},
            "mode": {"type": "raw"},
            "update_cache": {"type": "bool", "default": True, "aliases": ["update-cache"]},
            "update_cache_retries": {"type": "int", "default": 5},
            "update_cache_retry_max_delay": {"type": "int", "default": 12},
            "filename": {"type": "str"},
            "install_python_apt": {"type": "bool", "default": True},
            "validate_certs": {"type": "bool", "default": True},
            "codename": {"type": "str"},
        },
        supports_check_mode=True,
    )
    module.deprecate("apt_repository has been deprecated. Use deb822_repository instead.", version="2.25",
                     collection_name="ansible.builtin")
    params = module.params
    repo, state = params["repo"], params["state"]
    fingerprint = ""
    if repo.startswith("ppa:"):
        line, default_name, fingerprint = _ppa(module, repo)
    else:
        line, default_name = repo, ""
    source = normalized_source(line.split("#", 1)[0])
    if source is None:
        module.fail_json(msg=f"Invalid repository string: {repo}")
    sources_list, parts_dir = _apt_dirs(module)
    paths = ([sources_list] if os.path.isfile(sources_list) else []) + sorted(
        os.path.join(parts_dir, name) for name in (os.listdir(parts_dir) if os.path.isdir(parts_dir) else [])
        if name.endswith(".list"))
    files = {path: _read(path) for path in paths}
    before = {path: [line.render() for line in lines] for path, lines in files.items()}
    if state == "present":
        matches = [line for lines in files.values() for line in lines if line.source == source]
        if not any(line.enabled for line in matches):
            if matches:
                matches[0].enabled = True
            else:
                name = params["filename"] + ".list" if params["filename"] else default_name or suggested_filename(source)
                files.setdefault(os.path.join(parts_dir, name), []).append(_Line(source))
    else:
        for path, lines in files.items():
            files[path] = [line for line in lines if line.source != source]
    changed_files = {path: lines for path, lines in files.items()
                     if [line.render() for line in lines] != before.get(path)}
    added = sorted(path for path in changed_files if path not in before)
    removed = sorted(path for path, lines in changed_files.items() if path in before and not lines)
    result = {"changed": bool(changed_files), "repo": repo, "state": state, "sources_added": added,
              "sources_removed": removed, "diff": []}
    if module._diff:
        result["diff"] = [{"before": "", "after": "".join(line.render() + "\n" for line in changed_files[path]),
                           "before_header": "/dev/null", "after_header": path} for path in added]
    if not changed_files or module.check_mode:
        module.exit_json(**result)
    if fingerprint:
        module.run_command(["apt-key", "adv", "--recv-keys", "--no-tty", "--keyserver", _PPA_KEYSERVER,
                            fingerprint], check_rc=True)
    mode = params["mode"] if params["mode"] is not None else "0644"
    for path, lines in changed_files.items():
        _write(module, path, [line.render() for line in lines], mode)
    failure = _update_cache(module) if params["update_cache"] else None
    if failure:     # the sources go back to what they were, as with ansible-core
        for path in changed_files:
            _write(module, path, before.get(path), mode)
        module.fail_json(msg=failure)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
