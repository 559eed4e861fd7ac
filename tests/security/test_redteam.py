"""Red-team findings after issue #10: paths by which a hostile managed host (or
data a careless playbook takes from one) reached the controller as code or escaped
a guard, each run end to end against real processes.

Payloads create a canary file on the controller if they are ever compiled as a
template; every test checks that no canary exists and that the outcome is the one
ansible-core 2.21 gives (recorded from the oracle where it matters).
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from .hostile_encoder import ENCODE_RESULTS_WITH_DUMPS


def _payload(canaries: Path, kind: str) -> str:
    return "{{ lookup('pipe', 'touch %s') }}" % (canaries / f"CANARY-{kind}")


def _printed(text: str) -> str:
    """A shell command whose output is ``text`` (so the data comes from the host)."""
    return f"echo {base64.b64encode(text.encode()).decode()} | base64 -d"


def _run(tmp_path: Path, tasks: list[dict] | None = None, *, plays: list[dict] | None = None,
         python: str = sys.executable, extra_env: dict | None = None,
         args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run ``tasks`` in one play (or ``plays``) on a local host ``hostile`` whose
    Python is ``python``."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    inventory = tmp_path / "inventory.ini"
    inventory.write_text(f"hostile ansible_connection=local ansible_python_interpreter={python}\n")
    playbook = tmp_path / "play.yml"
    plays = plays or [{"hosts": "all", "gather_facts": False, "tasks": tasks}]
    playbook.write_text(yaml.safe_dump(plays, sort_keys=False, width=1000))
    env = dict(os.environ, HOME=str(home), ANSIBLE_NOCOLOR="1", CORRAL_NOCOLOR="1", **(extra_env or {}))
    env.pop("SSH_AUTH_SOCK", None)
    tool = str(Path(sys.executable).parent / "corral-playbook")
    proc = subprocess.run([tool, "-i", str(inventory), str(playbook), *args], capture_output=True, text=True,
                          env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout[-3000:] + proc.stderr
    return proc


def _canaries(tmp_path: Path) -> Path:
    path = tmp_path / "canaries"
    path.mkdir(exist_ok=True)
    return path


# -- with_<lookup> loop items ----------------------------------------------------------------

def test_with_lookup_loop_items_are_data_never_templates(tmp_path):
    """``with_lines``/``with_file``/``with_pipe`` items come from a
    lookup (a command's output, a fetched file, a host's value): the loop variable is
    data, as in ansible-core, which prints the payload as text."""
    canaries = _canaries(tmp_path)
    payload = _payload(canaries, "lines")
    evil = tmp_path / "fetched.txt"  # e.g. a file fetched from the host
    evil.write_text(payload + "\n")
    proc = _run(tmp_path, [
        {"name": "lines", "debug": {"msg": "{{ item }}"}, "with_lines": f"cat {evil}"},
        {"name": "file", "debug": {"msg": "{{ item }}"}, "with_file": str(evil)},
        {"name": "pipe", "debug": {"msg": "{{ item }}"}, "with_pipe": f"cat {evil}"},
        {"name": "nested template", "debug": {"msg": "{{ [item] | first }} {{ item | trim }}"},
         "with_lines": f"cat {evil}"},
        # what a lookup passes through keeps its trust (ansible-core: all three ok)
        {"name": "trusted items", "debug": {"msg": "{{ item }}"}, "with_items": ["1 == 1"], "when": "{{ item }}"},
        {"name": "trusted list", "debug": {"msg": "{{ item }}"}, "with_list": ["1 == 1"], "when": "{{ item }}"},
        {"name": "trusted dict", "debug": {"msg": "{{ item.key }}"}, "with_dict": {"k": "1 == 1"},
         "when": "{{ item.value }}"},
    ])
    assert sorted(p.name for p in canaries.iterdir()) == []
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert proc.stdout.count(json.dumps(payload)) == 3
    assert json.dumps(f"{payload} {payload}") in proc.stdout
    assert CorralRecap.of(proc.stdout) == {"ok": 7, "changed": 0, "failed": 0, "ignored": 0}


# -- from_yaml of host output ---------------------------------------------------------------

def test_from_yaml_parses_host_output_and_keeps_it_data(tmp_path):
    """``r.stdout | from_yaml`` is the usual way to read a host's YAML: it parses (it
    failed on host text before) and what it yields stays data."""
    canaries = _canaries(tmp_path)
    payload = _payload(canaries, "yaml")
    document = yaml.safe_dump({"a": 1, "p": payload, "l": [payload]})
    proc = _run(tmp_path, [
        {"shell": _printed(document), "register": "r"},
        {"name": "parsed", "debug": {"msg": "{{ (r.stdout | from_yaml).p }} {{ (r.stdout | from_yaml_all)[0].a }}"}},
        {"set_fact": {"doc": "{{ r.stdout | from_yaml }}"}},
        {"name": "fact", "debug": {"msg": "{{ doc.l[0] }}"}},
        {"name": "when", "debug": {"msg": "x"}, "when": "{{ doc.p }}", "ignore_errors": True},
        {"name": "when compare", "debug": {"msg": "a is one"}, "when": "(r.stdout | from_yaml).a == 1"},
    ])
    assert sorted(p.name for p in canaries.iterdir()) == []
    assert json.dumps(f"{payload} 1") in proc.stdout
    assert json.dumps(payload) in proc.stdout
    assert "Encountered untrusted template or expression." in proc.stdout
    assert '"msg": "a is one"' in proc.stdout
    assert CorralRecap.of(proc.stdout) == {"ok": 6, "changed": 1, "failed": 0, "ignored": 1}  # as ansible-core


class CorralRecap:
    @staticmethod
    def of(stdout: str) -> dict[str, int]:
        """The first host's ok/changed/failed/ignored counts of the PLAY RECAP."""
        import re
        row = re.search(r"^hostile\s+: (.*)$", stdout.split("PLAY RECAP")[-1], re.M)
        assert row, stdout[-2000:]
        counts = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", row.group(1))}
        return {k: counts[k] for k in ("ok", "changed", "failed", "ignored")}


# -- reserved keys in module results ----------------------------------------------------------

#: a compromised host's Python: every module result it prints gains the engine's reserved keys
HOSTILE_RESERVED = '''
import json, os
_dumps = json.dumps


def dumps(obj, *args, **kwargs):
    if isinstance(obj, dict) and "changed" in obj:
        obj = dict(obj, secret="SEKRIT-FROM-HOST", _ansible_no_log=False, _ansible_verbose_always=True,
                   _ansible_verbose_override=False, _ansible_delegated_vars={"ansible_host": "FAKE-DELEGATE"},
                   _ansible_item_label="FAKE-LABEL", _ansible_facts_cacheable=True)
    return _dumps(obj, *args, **kwargs)


json.dumps = dumps
''' + ENCODE_RESULTS_WITH_DUMPS


def _hostile_python(tmp_path: Path, sitecustomize: str) -> str:
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "sitecustomize.py").write_text(sitecustomize)
    python = evil / "python"
    python.write_text(f"#!/bin/sh\nPYTHONPATH={evil} exec {sys.executable} \"$@\"\n")
    python.chmod(0o755)
    return str(python)


def test_module_results_may_not_set_reserved_keys(tmp_path):
    """A module's ``_ansible_*`` keys are removed with Ansible's warning: a host cannot
    force its result onto the screen (``_ansible_verbose_always``), uncensor it,
    fake the delegated host or the loop label."""
    proc = _run(tmp_path, [
        {"name": "plain", "ping": {}},
        {"name": "secret", "ping": {}, "no_log": True},
        {"name": "loop", "ping": {}, "loop": [1]},
    ], python=_hostile_python(tmp_path, HOSTILE_RESERVED))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    output = proc.stdout + proc.stderr
    for key in ("_ansible_no_log", "_ansible_verbose_always", "_ansible_delegated_vars",
                "_ansible_item_label", "_ansible_facts_cacheable"):
        assert f"Removed reserved key '{key}' from module result." in output
    for planted in ("SEKRIT-FROM-HOST", "FAKE-DELEGATE", "FAKE-LABEL"):
        assert planted not in output
    assert "ok: [hostile] => (item=1)" in proc.stdout


# -- the task's own result in until / changed_when / failed_when ------------------------------

def test_a_tasks_own_result_is_data_in_its_conditions(tmp_path):
    """``until``/``changed_when``/``failed_when`` see the task's own result under its
    ``register`` name before it is registered: host data there is never an
    expression (it ran on the controller), as in ansible-core."""
    canaries = _canaries(tmp_path)

    def printing(kind: str) -> str:
        return _printed("lookup('pipe', 'touch %s') or true" % (canaries / f"CANARY-{kind}"))

    tasks = []
    for keyword, loop in (("until", False), ("changed_when", False), ("failed_when", False),
                          ("until", True), ("changed_when", True)):
        task = {"name": f"{keyword} loop={loop}", "shell": printing(f"{keyword}-{loop}"), "register": "own",
                keyword: "{{ own.stdout }}", "ignore_errors": True}
        if keyword == "until":
            task.update(retries=1, delay=0)
        if loop:
            task["loop"] = [1]
        tasks.append(task)
    tasks.append({"name": "bare", "shell": printing("bare"), "register": "own", "until": "own.stdout",
                  "retries": 1, "delay": 0, "ignore_errors": True})
    tasks.append({"name": "list", "shell": printing("list"), "register": "own",
                  "failed_when": ["false", "{{ own.stdout }}"], "ignore_errors": True})
    proc = _run(tmp_path, tasks)
    assert sorted(p.name for p in canaries.iterdir()) == []
    assert proc.stdout.count("Encountered untrusted template or expression.") >= 5
    assert "Conditionals must have a boolean result." in proc.stdout
    # ansible-core 2.21: all but "list" fail (ignored; "list" stops at its "false")
    assert CorralRecap.of(proc.stdout) == {"ok": 7, "changed": 4, "failed": 0, "ignored": 6}


# -- fetch: a path from the host may not climb out of dest ------------------------------------

def test_fetch_keeps_host_paths_inside_dest(tmp_path):
    """``fetch: src={{ path the host reported }}`` (a ``find`` result) with ``..``
    resolves to a real file on the host (``..`` stops at ``/`` there) but climbed out
    of ``dest/HOST/`` on the controller: a host could write any file the controller's
    user may (ansible-core 2.21 too). It fails with Ansible's traversal message."""
    dest = tmp_path / "fetched"
    hostfile = tmp_path / "hostfile"
    hostfile.write_text("planted by the host\n")
    # on the host, ".." beyond "/" stays at "/": both name the real file there
    n = len(tmp_path.parts) - 1
    climbing = f"{tmp_path}/" + "../" * (n + 2) + str(hostfile).lstrip("/")  # lands in tmp_path
    sideways = f"{tmp_path}/" + "../" * (n + 1) + str(hostfile).lstrip("/")  # dest, beside dest/hostile
    proc = _run(tmp_path, [
        {"shell": _printed(f"{climbing}\n{sideways}"), "register": "found"},
        {"name": "fetch", "fetch": {"src": "{{ item }}", "dest": f"{dest}/"}, "loop": "{{ found.stdout_lines }}",
         "ignore_errors": True},
        {"name": "plain", "fetch": {"src": str(hostfile), "dest": f"{dest}/"}},
    ])
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
                     if p.is_file() and "hostfile" in p.name)
    assert written == ["fetched/hostile" + str(hostfile), "hostfile"], written
    assert proc.stdout.count('"msg": "Detected directory traversal, expected to be contained in') == 2


# -- inventory names taken from a host ----------------------------------------------------------

def test_host_and_group_names_from_a_host_are_data(tmp_path):
    """``add_host``/``group_by``/``delegate_to`` with a name a host printed: the name
    reaches ``groups``, ``group_names``, ``inventory_hostname``, the play's host lists
    and the connection's address (``ansible_host`` defaults to the name); it was
    rendered as a template there and ran on the controller."""
    canaries = _canaries(tmp_path)
    payload = _payload(canaries, "NAME")
    proc = _run(tmp_path, plays=[
        {"hosts": "hostile", "gather_facts": False, "tasks": [
            {"shell": _printed(payload), "register": "r"},
            {"add_host": {"name": "{{ r.stdout | replace('NAME', 'host') }}", "groups": "added",
                          "ansible_connection": "local", "ansible_python_interpreter": sys.executable}},
            {"add_host": {"name": "plain", "groups": "{{ r.stdout | replace('NAME', 'group') }}"}},
            {"group_by": {"key": "{{ r.stdout | replace('NAME', 'groupby') }}"}},
            {"name": "groups", "debug": {"msg": "{{ groups | length }} {{ group_names | length }}"}},
            {"name": "delegated", "command": "true",
             "delegate_to": "{{ r.stdout | replace('NAME', 'delegate') }}", "ignore_unreachable": True},
            {"name": "delegated to the added host", "command": "true", "delegate_to": "{{ groups.added[0] }}"},
        ]},
        {"hosts": "added", "gather_facts": False, "tasks": [
            {"name": "command", "command": "true"},
            {"name": "names", "debug": {"msg": "{{ inventory_hostname }}{{ inventory_hostname_short }}"
                                               "{{ ansible_play_hosts }}{{ ansible_play_batch }}"
                                               "{{ ansible_play_hosts_all }}{{ hostvars | length }}"}},
            {"name": "when", "debug": {"msg": "x"}, "when": "{{ inventory_hostname }}", "ignore_errors": True},
            {"name": "fact", "set_fact": {"me": "{{ inventory_hostname }}"}},
            {"name": "use fact", "debug": {"msg": "{{ me }}"}},
        ]},
    ])
    assert sorted(p.name for p in canaries.iterdir()) == []
    assert json.dumps(payload.replace("NAME", "host")) in proc.stdout  # "use fact": the name as it was
    assert "Encountered untrusted template or expression." in proc.stdout  # "when"
    # ansible-core 2.21: an unresolvable name, not a traceback
    assert "Name or service not known" in proc.stdout
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert CorralRecap.of(proc.stdout) == {"ok": 7, "changed": 5, "failed": 0, "ignored": 1}  # as ansible-core


# -- tree callback: host names from a host ------------------------------------------------------

def test_tree_files_stay_in_the_tree_directory(tmp_path):
    """Hosts discovered from a host's output (``add_host`` over ``stdout_lines``)
    named ``../x`` or ``/abs/x``: the ``tree`` callback wrote their results outside
    its directory (ansible-core 2.21 does too); now it warns and writes nothing, and
    never follows a symlink planted at a host's file."""
    tree = tmp_path / "tree"
    tree.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (tree / "linked").symlink_to(outside / "via-link")
    names = ["../escaped-relative", f"{outside}/escaped-absolute", "linked", "fine"]
    proc = _run(tmp_path, plays=[
        {"hosts": "hostile", "gather_facts": False, "tasks": [
            {"shell": _printed("\n".join(names)), "register": "vms"},
            {"add_host": {"name": "{{ item }}", "groups": "vms", "ansible_connection": "local",
                          "ansible_python_interpreter": sys.executable}, "loop": "{{ vms.stdout_lines }}"},
        ]},
        {"hosts": "vms", "gather_facts": False, "tasks": [{"command": "true"}]},
    ], extra_env={"ANSIBLE_CALLBACKS_ENABLED": "tree", "ANSIBLE_CALLBACK_TREE_DIR": str(tree)})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert sorted(p.name for p in outside.iterdir()) == []
    assert not (tmp_path / "escaped-relative").exists()
    assert sorted(p.name for p in tree.iterdir()) == ["fine", "hostile", "linked"]
    assert (tree / "linked").is_symlink()
    assert json.loads((tree / "fine").read_text())["rc"] == 0
    assert (proc.stdout + proc.stderr).count("Unable to write to") >= 3


# -- fact names ------------------------------------------------------------------------------

#: a compromised host's Python: every module result gains facts whose names are templates
HOSTILE_FACT_NAMES = '''
import json, os
_dumps = json.dumps
_C = os.environ["HOSTILE_CANARIES"]


def dumps(obj, *args, **kwargs):
    if isinstance(obj, dict) and "changed" in obj:
        obj = dict(obj, ansible_facts={
            "ansible_{{ lookup('pipe', 'touch %s/CANARY-prefixed') }}" % _C: 1,
            "{{ lookup('pipe', 'touch %s/CANARY-plain') }}" % _C: 2})
    return _dumps(obj, *args, **kwargs)


json.dumps = dumps
''' + ENCODE_RESULTS_WITH_DUMPS


def test_fact_names_are_data(tmp_path):
    """A fact's name is host data too: ``ansible_facts`` shows ``ansible_X`` as ``X``,
    and that shortened name lost its unsafe mark, so a name holding a template was
    rendered whenever ``ansible_facts`` was used."""
    canaries = _canaries(tmp_path)
    python = _hostile_python(tmp_path, HOSTILE_FACT_NAMES.replace(
        'os.environ["HOSTILE_CANARIES"]', repr(str(canaries))))
    proc = _run(tmp_path, [
        {"ping": {}},
        {"name": "facts", "debug": {"msg": "{{ ansible_facts | length }} "
                                           "{{ hostvars[inventory_hostname].ansible_facts | length }}"}},
        {"name": "names", "debug": {"msg": "{{ ansible_facts.keys() | sort }}"}},
    ], python=python)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert sorted(p.name for p in canaries.iterdir()) == []
    assert '"msg": "2 2"' in proc.stdout
    assert "CANARY-prefixed') }}" in proc.stdout


# -- vars[...] indirection -----------------------------------------------------------------------

def test_vars_indirection_with_a_name_from_a_host(tmp_path):
    """``vars[name]`` with a name the host printed picks a variable, and a value from
    the host read that way is still data (``vars`` was undefined in templates)."""
    canaries = _canaries(tmp_path)
    payload = _payload(canaries, "vars")
    proc = _run(tmp_path, [
        {"shell": _printed("chosen"), "register": "name"},
        {"shell": _printed(payload), "register": "r"},
        {"set_fact": {"chosen": "{{ r.stdout }}"}},
        {"name": "indirect", "debug": {"msg": "{{ vars[name.stdout] }} {{ vars['chosen'] }} "
                                              "{{ lookup('vars', name.stdout) }}"}},
    ])
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert sorted(p.name for p in canaries.iterdir()) == []
    assert json.dumps(f"{payload} {payload} {payload}") in proc.stdout
