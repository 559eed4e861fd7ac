"""What a module plugin declares: a name and the Python source that runs on the target."""
from __future__ import annotations

import ast
import dataclasses
import functools
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

#: the kernel's one documentation fragment, ``files`` (``extends_documentation_fragment:
#: files``): the options every module given ``add_file_common_args=True`` accepts, which the
#: kernel's runtime library defines (``corral.module_utils.basic.FILE_COMMON_ARGUMENTS``) and
#: so documents here; a distribution declares its own fragments through the
#: ``corral_module_doc_fragments`` hook (:func:`doc_fragments_in`)
FILES_FRAGMENT: dict[str, Any] = yaml.safe_load("""
options:
  mode:
    description: The permissions the file gets, octal (C(0644), quoted in YAML) or symbolic (C(u=rw,g=r,o=r)).
      Unset, a new file gets the default of the system (umask) and an existing one keeps its mode.
    type: raw
  owner:
    description: The name (or uid) of the user that should own the file.
    type: str
  group:
    description: The name (or gid) of the group that should own the file.
    type: str
  seuser:
    description: The user part of the SELinux context (C(_default) for the policy's default).
    type: str
  serole:
    description: The role part of the SELinux context.
    type: str
  setype:
    description: The type part of the SELinux context.
    type: str
  selevel:
    description: The level part of the SELinux context.
    type: str
  unsafe_writes:
    description: Write in place when an atomic rename is not possible (some bind mounts); off, such a write fails.
    type: bool
    default: false
  attributes:
    description: The file attributes (as C(lsattr) shows them) the file should have.
    type: str
    aliases: [attr]
""")

__all__ = ["FILES_FRAGMENT", "ModuleSpec", "doc_fragments_in", "fragment_options", "modules_in",
           "normalize_module_name", "MODULE_PREFIXES"]

#: collection prefixes under which Ansible users name the standard modules
MODULE_PREFIXES = ("ansible.builtin.", "ansible.legacy.", "corral.builtin.")


def normalize_module_name(name: str) -> str:
    """Map ``ansible.builtin.copy`` (and the other standard prefixes) to ``copy``."""
    for prefix in MODULE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@dataclasses.dataclass(frozen=True)
class ModuleSpec:
    """A module: ``name`` as tasks use it, ``path`` of its self-contained source.

    The source is a Python 3 program that uses ``corral.module_utils`` and runs on
    the target.  Its documentation is read from the module-level string constants
    ``DOCUMENTATION``, ``EXAMPLES`` and ``RETURN`` (YAML), as in Ansible.

    ``python_roots`` are ``(package prefix, directory)`` pairs from which the payload
    takes, recursively, the modules the source imports beyond ``corral.module_utils``
    (:mod:`corral.executor.module_imports`): what a module written for Ansible
    needs of ``ansible.module_utils`` and of its collection's ``module_utils``.
    ``style`` says how it runs: ``"python"`` (default: a Python program run by the
    payload's interpreter, arguments from ``corral.module_utils``), or, as Ansible
    runs modules that are not, ``"want_json"`` (a script given the path of a JSON
    arguments file), ``"old"`` (a script given a file of ``key=value`` arguments),
    ``"binary"`` (an executable given the JSON arguments file).  A script whose
    first line names ``python`` runs with the payload's interpreter.  ``package`` is
    the package a Python module runs in (its ``__package__``), from which its relative
    imports start: ``ansible.modules`` for a module of a ``library/`` folder, as Ansible
    runs them.

    A module without an action declares its traits here (an action's class attributes
    take their place when it has one; see :mod:`corral.plugins.traits`):
    ``free_form_keys`` makes a string argument free-form text from which only these
    option names are taken out (``command``: ``COMMAND_KEYS``), ``requires_args`` makes
    the ad-hoc CLI refuse it without arguments, ``gathers_facts`` marks the host's
    facts as gathered after a success (``setup``).
    """

    name: str
    path: str
    distribution: str = ""
    free_form_keys: frozenset[str] | None = None
    requires_args: bool = False
    gathers_facts: bool = False
    python_roots: tuple[tuple[str, str], ...] = ()
    style: str = "python"
    package: str = ""

    @functools.cached_property
    def doc(self) -> dict[str, Any]:
        """The parsed ``DOCUMENTATION`` (plus ``examples`` and ``returns``), or ``{}``: the
        module's own, with ``extends_documentation_fragment`` as written and the fragments'
        options not merged in (:meth:`documentation` merges them)."""
        if self.style == "binary":
            return {"examples": "", "returns": {}}
        with open(self.path, encoding="utf-8") as handle:
            try:
                tree = ast.parse(handle.read(), self.path)
            except SyntaxError:     # a script in another language
                return {"examples": "", "returns": {}}
        found: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name) \
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                found[node.targets[0].id] = node.value.value
        doc = yaml.safe_load(found.get("DOCUMENTATION", "")) or {}
        doc["examples"] = found.get("EXAMPLES", "").strip()
        doc["returns"] = yaml.safe_load(found.get("RETURN", "")) or {}
        return doc

    def documentation(self, fragment: Callable[[str], Mapping[str, Any]]) -> dict[str, Any]:
        """:attr:`doc` with the options of the fragments it extends merged in, as
        ``corral-doc`` shows it and as Ansible merges them: ``fragment(name)`` gives the
        options of the fragment ``name`` as written (``files``, ``ansible.builtin.files``,
        ``ns.coll.name``; ``{}`` for one nobody declares); an option already documented
        (by the module, or by a fragment listed before) keeps what it says and takes
        from the fragment only the keys it lacks (a module's ``mode: {description: ...}``
        keeps the fragment's ``type``).  ``PluginManager.module_documentation(spec)``
        passes the run's fragments."""
        doc = dict(self.doc)
        wanted = doc.get("extends_documentation_fragment") or []
        options: dict[str, Any] = dict(doc.get("options") or {})
        for name in [wanted] if isinstance(wanted, str) else wanted:
            for option, spec in fragment(str(name)).items():
                known = options.get(option)
                options[option] = {**spec, **known} if isinstance(known, dict) and isinstance(spec, dict) \
                    else spec if known is None else known
        if options:
            doc["options"] = options
        return doc

    @property
    def summary(self) -> str:
        """One line about the module (``short_description``)."""
        return str(self.doc.get("short_description", ""))


def modules_in(directory: str | Path, distribution: str = "") -> list[ModuleSpec]:
    """A module for every ``*.py`` file of ``directory`` (named after the file, in name
    order; files starting with ``_`` are helpers, not modules): what a module
    distribution's ``corral_modules`` usually returns."""
    return [ModuleSpec(path.stem, str(path), distribution)
            for path in sorted(Path(directory).glob("*.py")) if not path.name.startswith("_")]


def fragment_options(fragment: str | Mapping[str, Any]) -> dict[str, Any]:
    """The ``options:`` of a documentation fragment given as YAML text or parsed (Ansible's
    shape, ``options:`` at the top, as a ``ModuleDocFragment.DOCUMENTATION`` is written),
    ``{}`` when it has none."""
    data = yaml.safe_load(fragment) if isinstance(fragment, str) else fragment
    options = data.get("options") if isinstance(data, Mapping) else None
    return dict(options) if isinstance(options, Mapping) else {}


def doc_fragments_in(directory: str | Path) -> dict[str, str]:
    """A documentation fragment for every ``*.yml`` file of ``directory`` (named after the
    file: ``url.yml`` is the fragment ``url``), as YAML text with ``options:`` at the top:
    what a module distribution's ``corral_module_doc_fragments`` usually returns."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(Path(directory).glob("*.yml"))}
