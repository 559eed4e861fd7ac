"""Issue #10 item 1: data from managed hosts is never template source.

A "hostile host" prints Jinja payloads (a template, a bare expression, a block) that
would each create a canary file on the controller if they were ever compiled. The
playbook feeds that output, directly and through variables, facts, filters, slurp,
hostvars and add_host, into every keyword and module argument that corral templates,
then the test checks that no canary exists and that the run's outcome is the one
ansible-core 2.21 gives for the same playbook (recorded below from the oracle).
"""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from .hostile_encoder import ENCODE_RESULTS_WITH_DUMPS

#: the payload shapes a host may print: each creates ``{canary}`` when compiled
PAYLOADS = {
    "tpl": "{{{{ lookup('pipe', 'touch {canary}') }}}}",
    "expr": "lookup('pipe', 'touch {canary}') or true",
    "block": "{{% for x in range(1) %}}{{{{ lookup('pipe', 'touch {canary}') }}}}{{% endfor %}}",
}


def _payloads(canaries: Path) -> dict[str, str]:
    return {kind: text.format(canary=canaries / f"CANARY-{kind}") for kind, text in PAYLOADS.items()}


def _tasks_for(kind: str) -> list[dict]:
    """Tasks that feed payload ``kind`` (``p.<kind>``: parsed from the host's JSON
    output; ``r_<kind>.stdout``: registered as printed) into every templated place."""
    x = f"p.{kind}"
    raw = f"r_{kind}.stdout"
    tasks: list[dict] = [
        # conditionals: a rendered untrusted string is never compiled as an expression
        {"name": f"{kind} when template", "debug": {"msg": "x"}, "when": f"{{{{ {raw} }}}}"},
        {"name": f"{kind} when template via parsed json", "debug": {"msg": "x"}, "when": f"{{{{ {x} }}}}"},
        {"name": f"{kind} when bare", "debug": {"msg": "x"}, "when": raw},
        {"name": f"{kind} when fact", "debug": {"msg": "x"}, "when": f"f_{kind}"},
        {"name": f"{kind} when fact template", "debug": {"msg": "x"}, "when": f"{{{{ f_{kind} }}}}"},
        {"name": f"{kind} when filtered", "debug": {"msg": "x"}, "when": f"{{{{ {raw} | trim }}}}"},
        {"name": f"{kind} when concatenated", "debug": {"msg": "x"}, "when": f"{{{{ '' ~ {raw} }}}}"},
        {"name": f"{kind} when list", "debug": {"msg": "x"}, "when": [f"{{{{ {raw} }}}}"]},
        # a template inside a string constant of an expression renders to a value (ansible-core accepts it)
        {"name": f"{kind} when embedded in a constant", "debug": {"msg": "x"},
         "when": f"{raw} == '{{{{ {raw} }}}}'"},
        {"name": f"{kind} until", "command": "true", "register": "u", "retries": 1, "delay": 0,
         "until": f"{{{{ {raw} }}}}"},
        {"name": f"{kind} failed_when", "command": "true", "failed_when": f"{{{{ {raw} }}}}"},
        {"name": f"{kind} changed_when", "command": "true", "changed_when": f"{{{{ {x} }}}}"},
        {"name": f"{kind} assert template", "assert": {"that": f"{{{{ {raw} }}}}"}},
        {"name": f"{kind} assert bare", "assert": {"that": [f"f_{kind}"]}},
        {"name": f"{kind} assert msg", "assert": {"that": ["false"], "fail_msg": f"{{{{ {x} }}}}"}},
        # values: shown as data, never rendered again
        {"name": f"{kind} debug msg", "debug": {"msg": f"{{{{ {x} }}}} {{{{ f_{kind} }}}}"}},
        {"name": f"{kind} debug var", "debug": {"var": f"f_{kind}"}},
        {"name": f"{kind} debug var template", "debug": {"var": f"{{{{ f_{kind} }}}}"}},
        {"name": f"{kind} task vars", "debug": {"msg": "{{ v }}"}, "vars": {"v": f"{{{{ {x} }}}}"}},
        {"name": f"{kind} loop", "debug": {"msg": "{{ item }}"}, "loop": f"{{{{ [{x}, {raw}] }}}}",
         "loop_control": {"label": f"{{{{ {x} }}}}"}},
        {"name": f"{kind} with_items", "debug": {"msg": "{{ item }}"}, "with_items": f"{{{{ {raw} }}}}"},
        {"name": f"{kind} environment", "command": "printenv V", "environment": {"V": f"{{{{ {x} }}}}"}},
        {"name": f"n {{{{ {x} }}}}", "debug": {"msg": "name"}},
        {"name": f"{kind} command args", "command": f"echo {{{{ {x} }}}}"},
        {"name": f"{kind} copy content", "copy": {"content": f"{{{{ {x} }}}}", "dest": f"{{{{ out }}}}/copy-{kind}"}},
        {"name": f"{kind} template vars", "template": {"src": "{{ tmpl }}", "dest": f"{{{{ out }}}}/tpl-{kind}"},
         "vars": {"tv": f"{{{{ {x} }}}}"}},
        {"name": f"{kind} lookup terms", "debug": {"msg": f"{{{{ lookup('items', [{x}]) }}}} "
                                                         f"{{{{ lookup('env', {x}) }}}}"}},
        {"name": f"{kind} filters", "debug": {"msg": f"{{{{ {x} | trim | upper | lower | replace('x', 'x') }}}}"}},
        {"name": f"{kind} filters from json",
         "set_fact": {f"j_{kind}": f"{{{{ {{'k': {x}}} | to_json | from_json }}}}"}},
        {"name": f"{kind} use json", "debug": {"msg": f"{{{{ j_{kind} }}}} {{{{ j_{kind}.k }}}}"}},
        {"name": f"{kind} hostvars", "debug": {"msg": f"{{{{ hostvars[inventory_hostname].p.{kind} }}}} "
                                                      f"{{{{ hostvars[inventory_hostname].f_{kind} }}}}"}},
        {"name": f"{kind} slurp", "slurp": {"src": f"{{{{ out }}}}/copy-{kind}"}, "register": f"s_{kind}"},
        {"name": f"{kind} slurp decoded", "debug": {"msg": f"{{{{ s_{kind}.content | b64decode }}}}"}},
        {"name": f"{kind} slurp decoded when", "debug": {"msg": "x"},
         "when": f"{{{{ s_{kind}.content | b64decode }}}}"},
        {"name": f"{kind} add_host", "add_host": {"name": f"added-{kind}", "payload": f"{{{{ {x} }}}}"}},
        {"name": f"{kind} add_host hostvars", "debug": {"msg": f"{{{{ hostvars['added-{kind}'].payload }}}}"}},
        {"name": f"{kind} local facts", "debug": {"msg": f"{{{{ ansible_local.hostile.p.{kind} }}}}"}},
        {"name": f"{kind} local facts when", "debug": {"msg": "x"},
         "when": f"{{{{ ansible_local.hostile.p.{kind} }}}}"},
        {"name": f"{kind} delegate_to", "debug": {"msg": "x"}, "delegate_to": f"{{{{ {x} }}}}"},
    ]
    for task in tasks:
        task["ignore_errors"] = True
    # a file name that cannot be included fails the host whatever ignore_errors says: rescue it
    tasks.append({"block": [{"name": f"{kind} include_tasks", "include_tasks": f"{{{{ {x} }}}}.yml"}],
                  "rescue": [{"name": f"{kind} rescued", "debug": {"msg": "rescued"}}]})
    return tasks


def _printed(text: str) -> str:
    """A shell command whose output is ``text`` (so the payload comes from the host)."""
    return f"echo {base64.b64encode(text.encode()).decode()} | base64 -d"


def build_playbook(workdir: Path, out: Path, hosts: str) -> Path:
    """Write the sweep's playbook and template under ``workdir``; the host writes
    its files (facts.d, copies) under ``out``; canaries land in ``workdir/canaries``."""
    canaries = workdir / "canaries"
    canaries.mkdir()
    payloads = _payloads(canaries)
    (workdir / "hostile.json").write_text(json.dumps(payloads))
    (workdir / "t.j2").write_text("{{ tv }}\n")
    setup = [
        {"name": "facts.d", "shell": f"mkdir -p {out}/facts.d && "
                                     f"{_printed(json.dumps({'p': payloads}))} > {out}/facts.d/hostile.fact"},
        {"name": "gather local facts", "setup": {"fact_path": f"{out}/facts.d", "gather_subset": ["!all"]}},
        {"name": "hostile output", "shell": _printed(json.dumps(payloads)), "register": "raw"},
        {"name": "parse it", "set_fact": {"p": "{{ raw.stdout | from_json }}"}},
    ]
    for kind, text in payloads.items():
        setup.append({"name": f"print {kind}", "shell": _printed(text), "register": f"r_{kind}"})
        setup.append({"name": f"fact {kind}", "set_fact": {f"f_{kind}": f"{{{{ r_{kind}.stdout }}}}"}})
    tasks = setup + [t for kind in payloads for t in _tasks_for(kind)]
    play = {"hosts": hosts, "gather_facts": False,
            "vars": {"out": str(out), "tmpl": str(workdir / "t.j2")},
            "tasks": tasks}
    path = workdir / "sweep.yml"
    path.write_text(yaml.safe_dump([play], sort_keys=False, width=1000))
    return path


def _check_no_canary_and_data_kept(workdir: Path, out: Path) -> None:
    assert sorted(p.name for p in (workdir / "canaries").iterdir()) == []
    payloads = json.loads((workdir / "hostile.json").read_text())
    for kind, text in payloads.items():
        # the payload reached the host as it was printed (data, not rendered)
        assert (out / f"copy-{kind}").read_text() == text
        assert (out / f"tpl-{kind}").read_text() == text + "\n"


#: what ansible-core 2.21 reports for each task of one payload kind (the same for
#: every kind), by the task name's suffix: status and a piece of the message; tasks
#: not listed are "ok"
_UNTRUSTED = ("failed", "Encountered untrusted template or expression.")
_NOT_BOOLEAN = ("failed", "Conditionals must have a boolean result.")
ORACLE_STATUS = {
    "when template": _UNTRUSTED, "when template via parsed json": _UNTRUSTED, "when bare": _NOT_BOOLEAN,
    "when fact": _NOT_BOOLEAN, "when fact template": _UNTRUSTED, "when filtered": _UNTRUSTED,
    "when concatenated": _UNTRUSTED, "when list": _UNTRUSTED, "until": _UNTRUSTED, "failed_when": _UNTRUSTED,
    "changed_when": _UNTRUSTED, "assert template": _UNTRUSTED, "assert bare": _NOT_BOOLEAN,
    "assert msg": ("failed", "touch"), "debug var template": _UNTRUSTED, "slurp decoded when": _UNTRUSTED,
    "local facts when": _UNTRUSTED, "include_tasks": ("failed", "Could not find or access"),
}


def _outcomes(stdout: str) -> dict[str, tuple[str, str]]:
    """``task name -> (status, output)`` from the default callback's output."""
    outcomes = {}
    parts = re.split(r"^TASK \[(.*?)\] \**$", stdout.split("PLAY RECAP")[0], flags=re.M)
    for name, body in zip(parts[1::2], parts[2::2]):
        status = "unreachable" if "UNREACHABLE!" in body else \
            "failed" if re.search(r"^(fatal|failed): ", body, re.M) else \
            "ok" if re.search(r"^(ok|changed): ", body, re.M) else \
            "skipped" if re.search(r"^skipping: ", body, re.M) else "none"
        outcomes[name] = (status, body)
    return outcomes


@pytest.fixture
def out_dir():
    """A directory the test user and the ssh test user may both write (the host's files)."""
    path = Path(tempfile.mkdtemp(prefix="corral-sweep-"))
    path.chmod(0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _run_sweep(cli, workdir: Path, out: Path, inventory: Path, hosts: str) -> subprocess.CompletedProcess:
    playbook = build_playbook(workdir, out, hosts)
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook), timeout=300)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    _check_no_canary_and_data_kept(workdir, out)
    outcomes = _outcomes(proc.stdout)
    wrong = []
    for kind, payload in json.loads((workdir / "hostile.json").read_text()).items():
        for task in _tasks_for(kind):
            name = task.get("name") or task["block"][0]["name"]
            if not name.startswith(f"{kind} "):
                continue
            status, fragment = ORACLE_STATUS.get(name[len(kind) + 1:], ("ok", ""))
            got, body = outcomes.get(name, ("missing", ""))
            if got != status or fragment not in body:
                wrong.append((name, got, body[:400]))
        # data is shown as it was printed
        assert json.dumps(payload) in outcomes[f"{kind} debug var"][1]
        assert json.dumps(f"{payload} {payload}") in outcomes[f"{kind} debug msg"][1]
        assert json.dumps(payload) in outcomes[f"{kind} add_host hostvars"][1]
        assert json.dumps(payload) in outcomes[f"{kind} local facts"][1]
        assert json.dumps(payload) in outcomes[f"{kind} slurp decoded"][1]
        assert f"n {payload}" in outcomes  # the task's name shows the data as it was printed
    assert not wrong, "\n".join(map(str, wrong))
    return proc


def test_local_hostile_host_never_runs_code_on_the_controller(cli, tmp_path, out_dir):
    inventory = tmp_path / "inventory.ini"
    inventory.write_text(f"hostile ansible_connection=local ansible_python_interpreter={sys.executable}\n")
    proc = _run_sweep(cli, tmp_path, out_dir, inventory, "hostile")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr


def test_ssh_hostile_host_never_runs_code_on_the_controller(cli, tmp_path, out_dir, corral_ssh_inventory):
    inventory = corral_ssh_inventory(count=1)
    proc = _run_sweep(cli, tmp_path, out_dir, inventory, "host1")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr


#: a compromised host's Python: every module result it prints gains inventory changes,
#: templated facts and facts that would choose how the controller reaches the host
HOSTILE_SITECUSTOMIZE = '''
import json, os
_dumps = json.dumps
_C = os.environ["HOSTILE_CANARIES"]
_P = "{{ lookup('pipe', 'touch %s/CANARY-$K') }}" % _C


def dumps(obj, *args, **kwargs):
    if isinstance(obj, dict) and "changed" in obj:
        obj = dict(obj)
        obj["add_host"] = {"host_name": "planted", "groups": ["planted_group"],
                           "host_vars": {"v": _P.replace("$K", "addhost")}}
        obj["add_group"] = "planted_by_host"
        facts = dict(obj.get("ansible_facts") or {})
        facts.update({"hostile_fact": _P.replace("$K", "fact"),
                      "ansible_python_interpreter": "/bin/sh -c 'touch %s/CANARY-interp' #" % _C,
                      "discovered_interpreter_python": "/bin/sh -c 'touch %s/CANARY-discovered' #" % _C,
                      "ansible_shell_executable": "/bin/sh -c 'touch %s/CANARY-shell' #" % _C,
                      "ansible_connection": "ssh", "ansible_host": "192.0.2.1",
                      "ansible_ssh_common_args": "-o ProxyCommand='touch %s/CANARY-proxy'" % _C,
                      "ansible_runuser_exe": "/bin/sh -c 'touch %s/CANARY-become' #" % _C})
        obj["ansible_facts"] = facts
    return _dumps(obj, *args, **kwargs)


json.dumps = dumps
''' + ENCODE_RESULTS_WITH_DUMPS


def test_hostile_module_results_cannot_change_inventory_or_how_the_host_is_reached(cli, tmp_path):
    evil = tmp_path / "evil"
    evil.mkdir()
    canaries = tmp_path / "canaries"
    canaries.mkdir()
    (evil / "sitecustomize.py").write_text(HOSTILE_SITECUSTOMIZE)
    python = evil / "python"
    python.write_text(f"#!/bin/sh\nHOSTILE_CANARIES={canaries} PYTHONPATH={evil} exec {sys.executable} \"$@\"\n")
    python.chmod(0o755)
    inventory = tmp_path / "inventory.ini"
    inventory.write_text(f"hostile ansible_connection=local ansible_python_interpreter={python}\n")
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "all", "gather_facts": False, "tasks": [
        {"command": "true"},
        {"name": "again, with whatever the host set", "command": "true"},
        {"shell": "echo shell"},
        {"debug": {"msg": "{{ hostile_fact }} {{ groups | dict2items | map(attribute='key') | sort }}"}},
        {"debug": {"msg": "{{ hostvars['planted'] | default('no planted host') }}"}},
    ]}]))
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert sorted(p.name for p in canaries.iterdir()) == []
    assert "Removed restricted key from module data: ansible_python_interpreter" in proc.stdout + proc.stderr
    assert "Removed restricted key from module data: ansible_ssh_common_args" in proc.stdout + proc.stderr
    assert "Removed restricted key from module data: ansible_runuser_exe" in proc.stdout + proc.stderr
    assert "CANARY-fact') }} ['all', 'ungrouped']" in proc.stdout
    assert "no planted host" in proc.stdout
    assert cli.recap(proc.stdout) == {"hostile": {"ok": 5, "changed": 3, "unreachable": 0, "failed": 0,
                                                  "skipped": 0, "rescued": 0, "ignored": 0}}


def test_facts_reloaded_from_the_jsonfile_cache_stay_data(tmp_path):
    canaries = tmp_path / "canaries"
    canaries.mkdir()
    payloads = _payloads(canaries)
    facts_d = tmp_path / "facts.d"
    facts_d.mkdir()
    (facts_d / "hostile.fact").write_text(json.dumps({"p": payloads["tpl"]}))
    inventory = tmp_path / "inventory.ini"
    inventory.write_text(f"hostile ansible_connection=local ansible_python_interpreter={sys.executable}\n")
    first = tmp_path / "first.yml"
    first.write_text(yaml.safe_dump([{"hosts": "all", "gather_facts": False, "tasks": [
        {"setup": {"fact_path": str(facts_d), "gather_subset": ["!all"]}},
        {"shell": _printed(payloads["expr"]), "register": "r"},
        {"set_fact": {"cached_expr": "{{ r.stdout }}", "cacheable": True}},
    ]}]))
    second = tmp_path / "second.yml"
    second.write_text(yaml.safe_dump([{"hosts": "all", "gather_facts": False, "tasks": [
        {"name": "local fact", "debug": {"msg": "{{ ansible_local.hostile.p }}"}},
        {"name": "cached fact", "debug": {"msg": "{{ cached_expr }}"}},
        {"name": "local fact when", "debug": {"msg": "x"}, "when": "{{ ansible_local.hostile.p }}",
         "ignore_errors": True},
        {"name": "cached fact when", "debug": {"msg": "x"}, "when": "{{ cached_expr }}", "ignore_errors": True},
        {"name": "cached fact bare", "debug": {"msg": "x"}, "when": "cached_expr", "ignore_errors": True},
    ]}]))
    env = dict(os.environ, HOME=str(tmp_path), ANSIBLE_NOCOLOR="1", ANSIBLE_CACHE_PLUGIN="jsonfile",
               ANSIBLE_CACHE_PLUGIN_CONNECTION=str(tmp_path / "cache"))
    tool = str(Path(sys.executable).parent / "corral-playbook")
    for playbook in (first, second):
        proc = subprocess.run([tool, "-i", str(inventory), str(playbook)], capture_output=True, text=True,
                              env=env, timeout=120, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert sorted(p.name for p in canaries.iterdir()) == []
    outcomes = _outcomes(proc.stdout)
    assert json.dumps(payloads["tpl"]) in outcomes["local fact"][1]
    assert json.dumps(payloads["expr"]) in outcomes["cached fact"][1]
    assert outcomes["local fact when"][0] == outcomes["cached fact when"][0] == "failed"
    assert "Encountered untrusted template or expression." in outcomes["cached fact when"][1]
    assert "Conditionals must have a boolean result." in outcomes["cached fact bare"][1]


def test_handler_names_from_a_host_are_names_not_templates(cli, tmp_path):
    canaries = tmp_path / "canaries"
    canaries.mkdir()
    payload = _payloads(canaries)["tpl"]
    inventory = tmp_path / "inventory.ini"
    inventory.write_text(f"hostile ansible_connection=local ansible_python_interpreter={sys.executable}\n")
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "all", "gather_facts": False, "tasks": [
        {"shell": _printed(payload), "register": "r"},
        {"command": "true", "notify": "{{ r.stdout }}"},
    ], "handlers": [{"name": "h", "debug": {"msg": "h"}, "listen": "{{ r.stdout }}"}]}]))
    proc = cli("corral-playbook", "-i", str(inventory), str(playbook))
    assert sorted(p.name for p in canaries.iterdir()) == []
    # as ansible-core: the rendered name matches no handler (listen is not templated), the run fails
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr
    assert f"The requested handler '{payload}' was not found" in proc.stdout + proc.stderr


# -- the templar's contract, checked directly (fast; the runs above check it end to end) --------

def _templar(**variables):
    from corral.plugins.manager import PluginManager
    from corral.template import Templar, TemplateEnvironment
    return Templar(None, variables, environment=TemplateEnvironment(PluginManager()))


def test_templar_never_compiles_unsafe_text_and_marks_what_it_renders():
    from corral.errors import CorralTemplateError
    from corral.utils.unsafe import UnsafeText, is_unsafe
    host = UnsafeText("1 == 1")
    t = _templar(host=host, trusted="1 == 1", doc=UnsafeText('{"k": ["{{ 7 * 7 }}"]}'))
    assert t.evaluate_conditional("{{ trusted }}") is True
    assert t.evaluate_conditional("{{ trusted | default('') }}") is True
    for condition in ("{{ host }}", "{{ host | trim }}", "{{ '' ~ trusted }}", host):
        with pytest.raises(CorralTemplateError, match="Encountered untrusted template or expression"):
            t.evaluate_conditional(condition)
    with pytest.raises(CorralTemplateError, match="Conditionals must have a boolean result"):
        t.evaluate_conditional("host")
    with pytest.raises(CorralTemplateError, match="Template delimiters are not supported in expressions"):
        t.evaluate_conditional("{{ trusted }} == 1")
    assert t.evaluate_conditional("host == '{{ host }}'") is True
    parsed = t.template("{{ doc | from_json }}")
    assert parsed == {"k": ["{{ 7 * 7 }}"]} and is_unsafe(parsed["k"][0])
    assert _templar(p=parsed).template("{{ p.k[0] }}") == "{{ 7 * 7 }}"
