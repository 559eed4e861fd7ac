"""Modules written for Ansible run on the target with corral's ``ansible.module_utils``.

Real modules run on localhost through :func:`corral.api.run_playbook`: handwritten
Ansible-style modules that exercise the API, and modules of the collections of the
``ansible`` package from PyPI (``pypi_packages.ansible_package``).  A throwaway content plugin names
each module's file and the payload's roots (corral's ``ansible`` tree first, then the
collections), as the resolver does.  Expected values that are Ansible's were
observed with ansible-core 2.21 running the same module.
"""
from __future__ import annotations

import hashlib
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pypi_packages import ansible_package

from corral.api import run_playbook
from corral.plugins import hookimpl
from corral.plugins.content import ContentContext
from corral.plugins.manager import PluginManager
from corral.plugins.module import ModuleSpec
from corral_content_ansible.importer import SHIM_DIR

PLAY = {"hosts": "localhost", "gather_facts": False}


class Modules:
    """Resolves a short name from ``library`` and ``ns.coll.name`` from ``ansible_package()``."""

    def __init__(self, library: Path) -> None:
        self.library = library
        self.roots = (("ansible", SHIM_DIR), ("", str(ansible_package())))

    @hookimpl
    def corral_resolve_content(self, kind: str, name: str, collections: tuple[str, ...],
                               context: ContentContext) -> Any:
        if kind != "module":
            return None
        parts = name.split(".")
        if len(parts) == 3:
            path = ansible_package() / "ansible_collections" / parts[0] / parts[1] / "plugins" / "modules" / f"{parts[2]}.py"
        else:
            path = self.library / f"{name}.py"
        return ModuleSpec(name, str(path), python_roots=self.roots) if path.is_file() else None


def run(tmp_path: Path, tasks: list[dict[str, Any]], modules: dict[str, str] | None = None,
        **play: Any) -> list[dict[str, Any]]:
    """Run ``tasks`` on localhost with ``modules`` (name -> source) in a library folder;
    the task results in order."""
    library = tmp_path / "library"
    library.mkdir(exist_ok=True)
    for name, source in (modules or {}).items():
        (library / f"{name}.py").write_text(textwrap.dedent(source))
    plugins = PluginManager()
    plugins.register(Modules(library))
    result = run_playbook([{**PLAY, **play, "tasks": tasks}], plugins=plugins)
    return [r.result for r in result.hosts["localhost"].results]


PROBE = """\
    #!/usr/bin/python
    from ansible.module_utils.basic import AnsibleModule, env_fallback
    from ansible.module_utils.common.warnings import warn, deprecate

    def main():
        m = AnsibleModule(argument_spec=dict(
            name=dict(type='str', aliases=['nm'],
                      deprecated_aliases=[dict(name='nm', version='9.0.0', collection_name='acme.x')]),
            secret=dict(type='str', no_log=True),
            token=dict(type='str', fallback=(env_fallback, ['PROBE_TOKEN'])),
            password=dict(type='str'),
            old=dict(type='str', removed_in_version='3.0.0', removed_from_collection='acme.x'),
            sub=dict(type='dict', options=dict(a=dict(type='int', default=1), b=dict(type='str')),
                     apply_defaults=True),
            items=dict(type='list', elements='int'),
        ), supports_check_mode=True)
        m.warn("w1")
        warn("w2")
        m.deprecate("d1", version="2.0.0", collection_name="acme.x")
        deprecate("d2", date="2030-01-01")
        m.exit_json(changed=False, params=m.params, msg="secret is %s" % m.params['secret'])

    main()
"""


def test_argument_spec_features_warnings_deprecations_and_censoring(tmp_path: Path) -> None:
    [result] = run(tmp_path, [{"probe": {"nm": "hello", "secret": "s3cr3t", "password": "pw", "old": "x",
                                         "items": ["1", 2]}}], {"probe": PROBE},
                   vars={"ansible_inject_invocation": True})     # results carry invocation only when asked
    assert result["params"] == {"name": "hello", "nm": "hello", "secret": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER",
                                "password": "pw", "old": "x", "items": [1, 2], "sub": {"a": 1, "b": None},
                                "token": None}
    assert result["msg"] == "secret is ********"
    assert result["warnings"] == ["Module did not set no_log for password", "w1", "w2"]
    assert [(d["msg"], d.get("version"), d.get("date")) for d in result["deprecations"]] == [
        ("Alias 'nm' is deprecated. See the module docs for more information", "9.0.0", None),
        ("Param 'old' is deprecated. See the module docs for more information", "3.0.0", None),
        ("d1", "2.0.0", None), ("d2", None, "2030-01-01")]
    assert result["invocation"]["module_args"]["secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_fallback_from_the_environment(tmp_path: Path) -> None:
    [result] = run(tmp_path, [{"probe": {}, "environment": {"PROBE_TOKEN": "from-env"}}], {"probe": PROBE})
    assert result["params"]["token"] == "from-env"


CHECKED = """\
    from ansible.module_utils.basic import AnsibleModule
    m = AnsibleModule(argument_spec=dict(
        name=dict(required=True, aliases=['n']), state=dict(choices=['a', 'b'], default='a'),
        opts=dict(type='list', elements='dict', options=dict(k=dict(required=True), v=dict(type='int'))),
        sub=dict(type='dict', options=dict(inner=dict(type='dict', options=dict(z=dict(type='int', required=True)))))),
        required_if=[('state', 'b', ['opts'])])
    m.exit_json(changed=True)
"""


@pytest.mark.parametrize("args, msg", [
    ({}, "missing required arguments: name"),
    ({"name": "x", "bogus": 1, "other": 2},
     "Unsupported parameters for (checked) module: bogus, other. Supported parameters include: name, opts, state, "
     "sub (n)."),
    ({"name": "x", "state": "b"}, "state is b but all of the following are missing: opts"),
    ({"name": "x", "opts": [{"v": 1}]}, "missing required arguments: k found in opts"),
    ({"name": "x", "opts": [{"k": "a", "v": "zz"}]},
     "argument 'v' is of type str found in 'opts'. and we were unable to convert to int: "
     "\"'zz'\" cannot be converted to an int"),
    ({"name": "x", "sub": {"inner": {}}}, "missing required arguments: z found in sub -> inner"),
    ({"name": "x", "opts": [{"k": 1, "bad": 2}]},
     "Unsupported parameters for (checked) module: opts.bad. Supported parameters include: k, v."),
    ({"name": "x", "state": "c"}, "value of state must be one of: a, b, got: c"),
])
def test_failures_say_what_ansible_says(tmp_path: Path, args: dict[str, Any], msg: str) -> None:
    [result] = run(tmp_path, [{"checked": args, "ignore_errors": True}], {"checked": CHECKED})
    assert result["failed"] is True
    assert result["msg"] == msg


def test_check_mode_is_refused_by_a_module_that_does_not_support_it(tmp_path: Path) -> None:
    [result] = run(tmp_path, [{"checked": {"name": "x"}, "check_mode": True}], {"checked": CHECKED})
    assert result["skipped"] is True
    assert result["msg"] == "remote module (checked) does not support check mode"


HELPERS = """\
    import os
    from ansible.module_utils.basic import AnsibleModule
    from ansible.module_utils.common.text.converters import to_text
    from ansible.module_utils.common.locale import get_best_parsable_locale
    from corral.module_utils.basic import AnsibleModule as CorralModule

    m = AnsibleModule(argument_spec=dict(path=dict(type='path', required=True)), add_file_common_args=True)
    path = m.params['path']
    rc, out, err = m.run_command(['cat'], data='fed on stdin', cwd='/', environ_update={'PROBE_VAR': 'v'})
    _, shell_out, _ = m.run_command('echo "$PROBE_VAR" | tr a-z A-Z', use_unsafe_shell=True,
                                    environ_update={'PROBE_VAR': 'abc'})
    _, raw, _ = m.run_command(['printf', 'bytes'], encoding=None)
    tmp = os.path.join(m.tmpdir, 'new')
    with open(tmp, 'w') as handle:
        handle.write('new content\\n')
    backup = m.backup_local(path)
    m.atomic_move(tmp, path)
    file_args = m.load_file_common_arguments(m.params)
    changed = m.set_fs_attributes_if_different(file_args, False)
    m.exit_json(changed=changed, path=path, out=out, shell_out=shell_out, raw_is_bytes=isinstance(raw, bytes),
                backup=backup, sha1=m.sha1(path), sha256=m.sha256(path), same_class=CorralModule is AnsibleModule,
                bin=m.get_bin_path('sh'), locale=get_best_parsable_locale(m), boolean=m.boolean('yes'),
                from_json=m.from_json('{"a": 1}'), check_mode=m.check_mode, diff=m._diff, name=m._name,
                verbosity=m._verbosity, selinux=m.selinux_enabled())
"""


def test_module_helpers_and_path_info(tmp_path: Path) -> None:
    target = tmp_path / "data.txt"
    target.write_text("old content\n")
    [result] = run(tmp_path, [{"helpers": {"path": str(target), "mode": "0600"}}], {"helpers": HELPERS},
                   diff=True)
    assert target.read_text() == "new content\n"
    assert Path(result["backup"]).read_text() == "old content\n"
    assert result["changed"] is True and result["mode"] == "0600" and result["state"] == "file"
    assert result["size"] == len("new content\n") and result["uid"] == os.getuid()
    assert result["out"] == "fed on stdin\n" and result["shell_out"] == "ABC\n" and result["raw_is_bytes"] is True
    assert result["sha1"] == hashlib.sha1(b"new content\n").hexdigest()
    assert result["sha256"] == hashlib.sha256(b"new content\n").hexdigest()
    assert result["same_class"] is True
    assert result["bin"].endswith("/sh") and result["boolean"] is True and result["from_json"] == {"a": 1}
    assert (result["check_mode"], result["diff"], result["name"], result["selinux"]) == (False, True, "helpers",
                                                                                            False)
    assert result["locale"] in ("C.utf8", "C.UTF-8", "en_US.utf8", "en_US.UTF-8", "C", "POSIX")


RESPAWN = """\
    import sys
    from ansible.module_utils.basic import AnsibleModule
    from ansible.module_utils.common import respawn

    m = AnsibleModule(argument_spec=dict(to=dict(type='path')))
    if not respawn.has_respawned():
        found = respawn.probe_interpreters_for_module([m.params['to'], '/nonexistent/python'], 'json')
        respawn.respawn_module(found)
    m.exit_json(changed=False, executable=sys.executable, respawned=respawn.has_respawned())
"""


def test_respawn_runs_the_module_again_under_another_python(tmp_path: Path) -> None:
    venv_python = tmp_path / "python3"
    venv_python.symlink_to(os.path.realpath("/usr/bin/python3"))
    [result] = run(tmp_path, [{"respawner": {"to": str(venv_python)}}], {"respawner": RESPAWN})
    assert result["respawned"] is True
    assert result["executable"] == str(venv_python)


# -- real collection modules ------------------------------------------------------------------------------


def test_community_general_ini_file_is_idempotent_and_reports_the_path(tmp_path: Path) -> None:
    ini = tmp_path / "x.ini"
    task = {"community.general.ini_file": {"path": str(ini), "section": "s", "option": "k", "value": "v"}}
    first, second = run(tmp_path, [task, task])
    assert ini.read_text() == "\n[s]\nk = v\n"     # byte for byte what ansible-core 2.21 writes
    assert (first["changed"], first["msg"]) == (True, "section and option added")
    assert (second["changed"], second["msg"]) == (False, "OK")
    # ansible-core adds the file's facts to a result that names a path
    assert second["state"] == "file" and second["size"] == 11


def test_ansible_posix_authorized_key_writes_the_given_path(tmp_path: Path) -> None:
    keys = tmp_path / "authorized_keys"
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestingOnly00000000000000000000 t@x"
    task = {"ansible.posix.authorized_key": {"user": os.environ.get("USER") or "root", "key": key,
                                             "path": str(keys), "manage_dir": False}}
    first, second = run(tmp_path, [task, task])
    assert keys.read_text() == key + "\n"
    assert first["changed"] is True and second["changed"] is False
    assert first["keyfile"] == str(keys) and first["mode"] == "0600"


def test_community_crypto_openssl_privatekey_uses_cryptography_on_the_target(tmp_path: Path) -> None:
    pem = tmp_path / "key.pem"
    task = {"community.crypto.openssl_privatekey": {"path": str(pem), "size": 2048}}
    first, second = run(tmp_path, [task, task])
    assert first["changed"] is True and second["changed"] is False
    assert pem.read_text().startswith("-----BEGIN")
    assert first["type"] == "RSA" and first["size"] == 2048


def test_playbook_library_and_module_utils_through_the_resolver(tmp_path: Path) -> None:
    """The resolver routes a playbook's library/ module; its own module_utils (as
    ``ansible.module_utils.<name>``) and corral's travel in the payload together."""
    (tmp_path / "library").mkdir()
    (tmp_path / "module_utils").mkdir()
    (tmp_path / "module_utils" / "acme_helper.py").write_text(textwrap.dedent("""\
        from ansible.module_utils.common.dict_transformations import snake_dict_to_camel_dict

        def camel(data):
            return snake_dict_to_camel_dict(data)
    """))
    (tmp_path / "library" / "acme_mod.py").write_text(textwrap.dedent("""\
        from ansible.module_utils.basic import AnsibleModule
        from ansible.module_utils.acme_helper import camel

        m = AnsibleModule(argument_spec=dict(data=dict(type='dict', required=True)), supports_check_mode=True)
        m.exit_json(changed=False, camel=camel(m.params['data']))
    """))
    site = tmp_path / "site.yml"
    site.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n"
                    "    - acme_mod: {data: {some_key: 1}}\n      register: out\n")
    result = run_playbook(str(site))
    [task] = result.hosts["localhost"].results
    assert task.result["camel"] == {"someKey": 1}


def test_a_module_with_relative_imports_runs_in_its_package(tmp_path: Path) -> None:
    """A module written ``from ..module_utils.x import y`` runs as ``ansible.modules.<name>``
    (a collection's as ``ansible_collections.<ns>.<coll>.plugins.modules.<name>``)."""
    (tmp_path / "library").mkdir()
    (tmp_path / "module_utils").mkdir()
    (tmp_path / "module_utils" / "answer.py").write_text("def forty_two():\n    return 42\n")
    (tmp_path / "library" / "relative.py").write_text(textwrap.dedent("""\
        from ..module_utils.basic import AnsibleModule
        from ..module_utils.answer import forty_two

        AnsibleModule(argument_spec={}).exit_json(answer=forty_two(), package=__package__)
    """))
    site = tmp_path / "site.yml"
    site.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n    - relative: {}\n")
    [task] = run_playbook(str(site)).hosts["localhost"].results
    assert (task.result["answer"], task.result["package"]) == (42, "ansible.modules")
