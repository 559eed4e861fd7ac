"""Flags of corral's CLIs that act, each exercised end to end (the flag table,
``scripts/cli-flags``, names these tests as the proofs): help and version of every
CLI, ``corral-doc``'s snippets and module folders, ``corral-inventory``'s vault
handling, and the run-type CLIs' connection, become and vault options."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
#: every corral CLI and subcommand the flag table compares with ansible-core's
COMMANDS = [("corral-playbook",), ("corral",), ("corral-inventory",), ("corral-doc",), ("corral-vault",),
            *[("corral-vault", sub) for sub in ("create", "decrypt", "edit", "view", "encrypt", "encrypt_string",
                                                "rekey")],
            ("corral-config",), *[("corral-config", sub) for sub in ("list", "dump", "view", "init", "validate")]]
LOCAL = 'h1 ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"\n'


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CORRAL_"))}
    env.update(ANSIBLE_NOCOLOR="1", **extra)
    return env


def _run(*argv: str, cwd: Path | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / argv[0]), *argv[1:]], cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=120, **kwargs)  # type: ignore[call-overload]


def _options_without_help(text: str) -> list[str]:
    """The options of an argparse ``--help`` text that have no help text."""
    lines = text.splitlines()
    bare = []
    for index, line in enumerate(lines):
        match = re.match(r"^  (-\S.*?)(\s{2,}\S.*)?$", line)
        if not match or match.group(2):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not re.match(r"^\s{6,}\S", following):
            bare.append(match.group(1))
    return bare


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_help_lists_every_option_with_help_text(argv: tuple[str, ...]) -> None:
    proc = _run(*argv, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: ")
    assert _options_without_help(proc.stdout) == []


@pytest.mark.parametrize("program", ["corral-playbook", "corral", "corral-inventory", "corral-doc",
                                     "corral-vault", "corral-config"])
def test_version(program: str) -> None:
    proc = _run(program, "--version")
    assert proc.returncode == 0, proc.stderr
    assert program in proc.stdout and "corral" in proc.stdout


def test_playbook_verbose_shows_the_config_file_and_results(tmp_path: Path) -> None:
    (tmp_path / "hosts").write_text(LOCAL)
    (tmp_path / "site.yml").write_text("- hosts: all\n  gather_facts: false\n  tasks:\n    - command: echo hi\n")
    quiet = _run("corral-playbook", "-i", "hosts", "site.yml", cwd=tmp_path)
    loud = _run("corral-playbook", "-i", "hosts", "-v", "site.yml", cwd=tmp_path)
    assert "No config file found; using defaults" in loud.stdout and "No config file" not in quiet.stdout
    assert '"stdout": "hi"' in loud.stdout and '"stdout": "hi"' not in quiet.stdout


def test_doc_snippet_of_a_module_in_a_plugin_folder(tmp_path: Path) -> None:
    """``-s`` of a module found through ``--playbook-dir`` and ``-M``: the text
    ansible-doc 2.21 prints for it (recorded below)."""
    library = tmp_path / "library"
    library.mkdir()
    (library / "mymod.py").write_text(
        "DOCUMENTATION = r'''\nmodule: mymod\nshort_description: A test module\ndescription: Does a thing.\n"
        "options:\n  name:\n    description: The name of the thing that this module manages on the target host.\n"
        "    required: true\n    type: str\n  size:\n    description: [How big., Second paragraph.]\n"
        "    type: int\n'''\n")
    expected = ("- name: A test module\n  mymod:\n"
                "      name:                  # (required) The name of the thing that this module\n"
                "                             # manages on the\n"
                "                             # target host.\n"
                "      size:                  # How big. Second paragraph.\n")
    by_dir = _run("corral-doc", "-s", "mymod", "--playbook-dir", str(tmp_path), cwd=tmp_path)
    by_path = _run("corral-doc", "--snippet", "mymod", "-M", str(library), cwd=tmp_path)
    assert by_dir.stdout == expected, by_dir.stderr
    assert by_path.stdout == expected, by_path.stderr


def test_doc_shows_the_options_of_controller_actions() -> None:
    proc = _run("corral-doc", "-j", "debug", "include_vars", "add_host")
    docs = json.loads(proc.stdout)
    assert sorted(docs["debug"]["doc"]["options"]) == ["msg", "var", "verbosity"]
    assert docs["add_host"]["doc"]["options"]["name"]["aliases"] == ["host", "hostname"]
    assert "hash_behaviour" in docs["include_vars"]["doc"]["options"]
    listed = _run("corral-doc", "--list_files")
    assert re.search(r"^debug\s+\(action ", listed.stdout, re.M)


def test_doc_verbose_documents_as_without() -> None:
    assert _run("corral-doc", "-v", "fail").stdout == _run("corral-doc", "fail").stdout != ""


def test_inventory_graph_vars_needs_the_vault_secret(tmp_path: Path) -> None:
    """``--graph --vars`` decrypts vaulted values: without a secret it is an error (exit 1)."""
    fixtures = Path(__file__).resolve().parents[1] / "inventory" / "fixtures" / "vault"
    proc = _run("corral-inventory", "-i", str(fixtures / "hosts.ini"), "--graph", "--vars", cwd=tmp_path)
    assert proc.returncode == 1 and "no vault secrets" in proc.stderr
    asked = _run("corral-inventory", "-i", str(fixtures / "hosts.ini"), "--graph", "--vars", "-J", cwd=tmp_path,
                 input="secret\n")
    assert asked.returncode == 0, asked.stderr
    assert "{sec = hush}" in asked.stdout


def test_inventory_verbose_says_which_config_file_it_reads(tmp_path: Path) -> None:
    """``-v``: ansible-inventory's first line, before the result, on standard output."""
    (tmp_path / "hosts").write_text(LOCAL)
    quiet = _run("corral-inventory", "-i", "hosts", "--list", cwd=tmp_path)
    loud = _run("corral-inventory", "-i", "hosts", "--list", "-v", cwd=tmp_path)
    assert loud.stdout == "No config file found; using defaults\n" + quiet.stdout


def test_inventory_flush_cache_clears_the_fact_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (tmp_path / "ansible.cfg").write_text(f"[defaults]\nfact_caching = jsonfile\nfact_caching_connection = {cache}\n")
    (tmp_path / "hosts").write_text(LOCAL)
    (tmp_path / "site.yml").write_text("- hosts: all\n  gather_facts: false\n  tasks:\n"
                                       "    - set_fact: {kept: 1, cacheable: true}\n")
    assert _run("corral-playbook", "-i", "hosts", "site.yml", cwd=tmp_path).returncode == 0
    assert list(cache.iterdir())
    proc = _run("corral-inventory", "-i", "hosts", "--list", "--flush-cache", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert list(cache.iterdir()) == []


def test_playbook_vault_id_and_ask_vault_pass(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "inventory" / "fixtures" / "vault"
    (tmp_path / "hosts").write_text(LOCAL)
    (tmp_path / "site.yml").write_text((fixtures / "host_vars" / "h1.yml").read_text().replace("plain: 1\n", "")
                                       .replace("sec: ", "- hosts: all\n  gather_facts: false\n  vars:\n    sec: ", 1)
                                       .replace("\n          ", "\n            ")
                                       + "  tasks:\n    - debug: var=sec\n")
    by_id = _run("corral-playbook", "-i", "hosts", "--vault-id", f"dev@{fixtures / 'password'}", "site.yml",
                 cwd=tmp_path)
    asked = _run("corral-playbook", "-i", "hosts", "--ask-vault-pass", "site.yml", cwd=tmp_path, input="secret\n")
    assert '"sec": "hush"' in by_id.stdout, by_id.stdout + by_id.stderr
    assert '"sec": "hush"' in asked.stdout, asked.stdout + asked.stderr


def test_playbook_force_handlers_runs_notified_handlers_after_a_failure(tmp_path: Path) -> None:
    (tmp_path / "hosts").write_text(LOCAL)
    (tmp_path / "site.yml").write_text(
        "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: echo hi\n      notify: h\n"
        "    - fail: {msg: boom}\n  handlers:\n    - name: h\n      debug: {msg: handler ran}\n")
    without = _run("corral-playbook", "-i", "hosts", "site.yml", cwd=tmp_path)
    forced = _run("corral-playbook", "-i", "hosts", "--force-handlers", "site.yml", cwd=tmp_path)
    assert "handler ran" not in without.stdout and "handler ran" in forced.stdout
    assert forced.returncode == 2


def test_adhoc_verbose_shows_the_config_file_and_results(tmp_path: Path) -> None:
    (tmp_path / "hosts").write_text(LOCAL)
    quiet = _run("corral", "all", "-i", "hosts", "-a", "echo hi", cwd=tmp_path)
    loud = _run("corral", "all", "-i", "hosts", "-a", "echo hi", "-v", cwd=tmp_path)
    assert quiet.returncode == loud.returncode == 0, loud.stderr
    assert "No config file found; using defaults" in loud.stdout and "No config file" not in quiet.stdout


def test_adhoc_check_and_diff(tmp_path: Path) -> None:
    (tmp_path / "hosts").write_text(LOCAL)
    target = tmp_path / "made.txt"
    args = f"content=new\\n dest={target}"
    checked = _run("corral", "all", "-i", "hosts", "-m", "copy", "-a", args, "--check", "--diff", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not target.exists()
    assert "+new" in checked.stdout and "CHANGED" in checked.stdout
    done = _run("corral", "all", "-i", "hosts", "-m", "copy", "-a", args, "-C", cwd=tmp_path)
    assert "+new" not in done.stdout and not target.exists()


def test_adhoc_background_and_poll(tmp_path: Path) -> None:
    (tmp_path / "hosts").write_text(LOCAL)
    started = _run("corral", "all", "-i", "hosts", "-a", "sleep 1", "--background", "10", "--poll", "0",
                   cwd=tmp_path)
    assert started.returncode == 0, started.stdout + started.stderr
    assert '"ansible_job_id"' in started.stdout and '"started": true' in started.stdout
    assert "reserved key" not in started.stderr     # the job's start is reported without warnings
    waited = _run("corral", "all", "-i", "hosts", "-a", "echo done", "-B", "10", "-P", "1", cwd=tmp_path)
    assert waited.returncode == 0 and '"stdout": "done"' in waited.stdout, waited.stdout + waited.stderr


@pytest.mark.parametrize("secret", ["--vault-id", "--vault-password-file", "--ask-vault-pass"])
def test_adhoc_vault_secrets_decrypt_host_variables(tmp_path: Path, secret: str) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "inventory" / "fixtures" / "vault"
    args = [secret] if secret == "--ask-vault-pass" else [secret, str(fixtures / "password")]
    proc = _run("corral", "h1", "-i", str(fixtures / "hosts.ini"), "-c", "local", "-m", "debug", "-a", "var=sec",
                *args, cwd=tmp_path, input="secret\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"sec": "hush"' in proc.stdout


def test_adhoc_playbook_dir_finds_group_vars_beside_it(tmp_path: Path) -> None:
    (tmp_path / "hosts").write_text(LOCAL)
    project = tmp_path / "project"
    (project / "group_vars").mkdir(parents=True)
    (project / "group_vars" / "all.yml").write_text("where: beside the playbook dir\n")
    without = _run("corral", "all", "-i", "hosts", "-m", "debug", "-a", "var=where", cwd=tmp_path)
    beside = _run("corral", "all", "-i", "hosts", "-m", "debug", "-a", "var=where", "--playbook-dir", str(project),
                  cwd=tmp_path)
    assert '"where": "beside the playbook dir"' in beside.stdout, beside.stdout + beside.stderr
    assert "beside the playbook dir" not in without.stdout


def test_module_path_finds_modules_for_playbooks_and_ad_hoc(tmp_path: Path) -> None:
    """``-M``: the directories are searched for modules before the configured library."""
    (tmp_path / "hosts").write_text(LOCAL)
    mods = tmp_path / "mods"
    mods.mkdir()
    (mods / "hello_mod.py").write_text(
        "#!/usr/bin/python\nfrom ansible.module_utils.basic import AnsibleModule\n"
        "m = AnsibleModule(argument_spec=dict(who=dict(type='str')))\n"
        "m.exit_json(changed=False, greeting='hello ' + m.params['who'])\n")
    (tmp_path / "site.yml").write_text("- hosts: all\n  gather_facts: false\n  tasks:\n    - hello_mod: {who: you}\n"
                                       "      register: r\n    - debug: var=r.greeting\n")
    unknown = _run("corral-playbook", "-i", "hosts", "site.yml", cwd=tmp_path)
    played = _run("corral-playbook", "-i", "hosts", "-M", str(mods), "site.yml", cwd=tmp_path)
    adhoc = _run("corral", "h1", "-i", "hosts", "-m", "hello_mod", "-a", "who=adhoc", "--module-path", str(mods),
                 cwd=tmp_path)
    assert unknown.returncode != 0 and "couldn't resolve module/action 'hello_mod'" in unknown.stderr
    assert '"r.greeting": "hello you"' in played.stdout, played.stdout + played.stderr
    assert '"greeting": "hello adhoc"' in adhoc.stdout, adhoc.stdout + adhoc.stderr


def test_adhoc_task_timeout_fails_the_task_as_ansible_does(tmp_path: Path) -> None:
    """``--task-timeout`` is the ad-hoc task's ``timeout`` keyword: the task fails after
    that many seconds, with the output ansible-core 2.21 prints (recorded from it)."""
    (tmp_path / "hosts").write_text(LOCAL)
    proc = _run("corral", "all", "-i", "hosts", "-a", "sleep 30", "--task-timeout", "1", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ("[ERROR]: Task failed: Timed out after 1 second(s).\nOrigin: <adhoc 'command' task>\n\n"
                           "{'action': 'command', 'args': {'_raw_params': 'sleep 30'}, 'timeout': 1, "
                           "'async_val': 0, 'poll': 15}\n\n"
                           "h1 | FAILED | rc=-1 >>\nTask failed: Timed out after 1 second(s).\n")
    untimed = _run("corral", "all", "-i", "hosts", "-a", "sleep 2", cwd=tmp_path)
    assert untimed.returncode == 0, untimed.stdout + untimed.stderr


def test_inventory_playbook_dir_finds_group_vars_beside_it(tmp_path: Path) -> None:
    (tmp_path / "hosts").write_text(LOCAL)
    project = tmp_path / "project"
    (project / "group_vars").mkdir(parents=True)
    (project / "group_vars" / "all.yml").write_text("where: beside the playbook dir\n")
    without = _run("corral-inventory", "-i", "hosts", "--host", "h1", cwd=tmp_path)
    beside = _run("corral-inventory", "-i", "hosts", "--host", "h1", "--playbook-dir", str(project), cwd=tmp_path)
    assert beside.returncode == without.returncode == 0, beside.stderr
    assert json.loads(beside.stdout)["where"] == "beside the playbook dir"
    assert "where" not in json.loads(without.stdout)


ORACLE_DOC = Path(__file__).resolve().parents[2] / ".oracle" / "bin" / "ansible-doc"
_ROLE_SPECS = {
    "myrole": """argument_specs:
  main:
    short_description: The main entry point of myrole
    description: [Sets up the thing., Second paragraph.]
    author: Some One
    options:
      name: {type: str, required: true, description: The name to use.}
      count: {type: int, default: 3, description: How many.}
      mode: {type: str, choices: [fast, slow], default: fast, description: The mode.}
  other:
    short_description: Another entry point
    options:
      flag: {type: bool, description: A flag.}
""",
    "long": """argument_specs:
  main:
    short_description: Long one
    description: A single string description that is quite long and should wrap around the terminal width.
    author: [A One, B Two]
    version_added: "1.0"
    options:
      a_very_long_option_name:
        type: list
        elements: str
        aliases: [lon]
        description: [A list description that is quite long and should wrap around the terminal width for sure.]
      sub:
        type: dict
        required: true
        description: Has suboptions.
        options:
          inner: {type: str, default: x, description: Inner one.}
          longer_inner_name: {required: true, description: A long inner description that wraps over the line end.}
""",
}


def _roles_folder(tmp_path: Path) -> Path:
    roles = tmp_path / "roles"
    for name, spec in _ROLE_SPECS.items():
        (roles / name / "meta").mkdir(parents=True)
        (roles / name / "meta" / "argument_specs.yml").write_text(spec)
    (roles / "plain" / "tasks").mkdir(parents=True)
    (roles / "plain" / "tasks" / "main.yml").write_text("- debug: msg=x\n")
    return roles


@pytest.mark.parametrize("args", [["myrole"], ["long"], ["--entry-point", "other", "myrole"], ["-l"],
                                  ["-l", "-j"], ["-j", "-e", "main", "long", "myrole"], ["myrole", "long"],
                                  ["plain"], ["-e", "nope", "myrole"], ["-l", "-e", "main"]],
                         ids=lambda args: " ".join(args))
def test_doc_roles_from_their_argument_specs_as_ansible_doc(tmp_path: Path, args: list[str]) -> None:
    """``-t role`` with ``--roles-path`` (and ``--entry-point``): the text, JSON and
    listing ansible-doc 2.21 prints for the same roles, and its exit codes."""
    roles = _roles_folder(tmp_path)
    env = dict(_env(), COLUMNS="80")
    ours = subprocess.run([str(BIN / "corral-doc"), "-t", "role", "--roles-path", str(roles), *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    theirs = subprocess.run([str(ORACLE_DOC), "-t", "role", "--roles-path", str(roles), *args], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)
    assert ours.returncode == theirs.returncode, ours.stderr
    if len(args) == 2 and not args[0].startswith("-"):
        # ansible-doc shows several roles in no fixed order (corral: by name)
        assert ours.stdout.startswith("> ROLE: *long*")
        assert sorted(ours.stdout.split("> ROLE: ")) == sorted(theirs.stdout.split("> ROLE: "))
    else:
        assert ours.stdout == theirs.stdout


def test_doc_roles_path_beside_the_playbook_dir(tmp_path: Path) -> None:
    _roles_folder(tmp_path)
    found = _run("corral-doc", "-t", "role", "--playbook-dir", str(tmp_path), "-j", "myrole", cwd=tmp_path)
    assert json.loads(found.stdout)["myrole"]["path"] == str(tmp_path / "roles" / "myrole")
    assert json.loads(_run("corral-doc", "-t", "role", "-j", "myrole", cwd=tmp_path).stdout) == {}


def test_doc_metadata_dump_of_modules_plugins_and_roles(tmp_path: Path) -> None:
    """``--metadata-dump``: one JSON document of every module, plugin and role; a
    module whose documentation does not parse fails it, unless ``--no-fail-on-errors``
    keeps its error as its entry.  Roles and a plugin folder's module are documented
    as ansible-doc 2.21 documents them."""
    roles = _roles_folder(tmp_path)
    library = tmp_path / "lib"
    library.mkdir()
    (library / "good.py").write_text('#!/usr/bin/python\nDOCUMENTATION = """\nmodule: good\nshort_description: Good '
                                     'one\ndescription: ok\noptions:\n  x:\n    description: X.\n"""\n'
                                     'EXAMPLES = "- good: {x: 1}"\nRETURN = ""\n')
    argv = ["--metadata-dump", "-M", str(library), "--roles-path", str(roles)]
    ours = _run("corral-doc", *argv, cwd=tmp_path)
    assert ours.returncode == 0, ours.stderr
    dump = json.loads(ours.stdout)["all"]
    theirs = json.loads(subprocess.run([str(ORACLE_DOC), *argv], cwd=tmp_path, env=_env(), capture_output=True,
                                       text=True, timeout=300).stdout)["all"]
    assert dump["role"] == theirs["role"] and sorted(dump["role"]) == ["long", "myrole"]
    good = theirs["module"]["ansible.legacy.good"]
    del good["doc"]["collection"]   # ansible-core's collection name of a plugin folder's module
    assert dump["module"]["good"] == good
    assert {"ping", "copy", "debug"} <= set(dump["module"]) and "ssh" in dump["connection"]
    assert dump["connection"]["ssh"]["doc"]["options"]["reconnection_retries"]["default"] == 0
    (library / "broken.py").write_text('#!/usr/bin/python\nDOCUMENTATION = """\nmodule: broken\n'
                                       'short_description: [unclosed\n"""\n')
    failed = _run("corral-doc", *argv, cwd=tmp_path)
    assert failed.returncode == 1 and "module broken has invalid documentation" in failed.stderr
    kept = _run("corral-doc", *argv, "--no-fail-on-errors", cwd=tmp_path)
    assert kept.returncode == 0, kept.stderr
    entries = json.loads(kept.stdout)["all"]["module"]
    assert entries["broken"]["error"].startswith("module broken has invalid documentation")
    assert entries["good"] == dump["module"]["good"]
