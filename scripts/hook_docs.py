#!/usr/bin/env python3
"""Generate ``docs/plugin-hooks.md`` from ``corral.hookspecs`` and the tested examples.

    .venv/bin/python scripts/hook_docs.py           # write docs/plugin-hooks.md
    .venv/bin/python scripts/hook_docs.py --check   # exit 1 when it is out of date

One section per hook, in the order and families of ``hookspecs.py``: the full
signature, whether the first answer wins, the docstring (when the hook is called,
what it is for), each parameter and the return value (the docstring's ``:param
NAME:`` and ``:returns:`` fields), and the example ``example_<hook>`` of
``tests/kernel/hook_examples.py``, which ``tests/kernel/test_plugin_hooks.py`` runs.
"""
from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import inspect
import re
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Callable

from corral import hookspecs

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "plugin-hooks.md"
EXAMPLES = REPO / "tests" / "kernel" / "hook_examples.py"
_FIELD = re.compile(r"^:(param (\w+)|returns):\s*(.*)$")
_SECTION = re.compile(r"^# -{10,}\n# (.+)\n", re.M)
_ROLE = re.compile(r":\w+:`~?([\w.]+)`")


@dataclasses.dataclass
class Hook:
    """One hook specification as the docs show it."""

    name: str
    family: str
    function: Callable[..., object]
    firstresult: bool
    text: str                      #: the docstring without its fields
    params: dict[str, str]         #: parameter -> description (``:param:`` fields)
    returns: str | None            #: the ``:returns:`` field

    @property
    def signature(self) -> str:
        sig = inspect.signature(self.function)
        params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
        return f"{self.name}({params}) -> {sig.return_annotation}"

    @property
    def parameters(self) -> list[tuple[str, str]]:
        return [(p.name, str(p.annotation)) for p in inspect.signature(self.function).parameters.values()]


def parse_docstring(doc: str) -> tuple[str, dict[str, str], str | None]:
    """Split a hookspec docstring into its text, ``:param:`` fields and ``:returns:``."""
    text: list[str] = []
    params: dict[str, str] = {}
    returns: str | None = None
    current: list[str] | None = None
    fields: list[tuple[str | None, list[str]]] = []
    for line in inspect.cleandoc(doc).splitlines():
        match = _FIELD.match(line)
        if match:
            current = [match.group(3)]
            fields.append((match.group(2), current))
        elif current is not None and line.startswith(" "):
            current.append(line.strip())
        else:
            current = None
            text.append(line)
    for name, lines in fields:
        if name is None:
            returns = " ".join(lines)
        else:
            params[name] = " ".join(lines)
    return "\n".join(text).strip(), params, returns


def hooks() -> list[Hook]:
    """Every hook specification, in source order, with its family (the ``# ---``
    comment heading above it)."""
    source = inspect.getsource(hookspecs)
    headings = [(m.start(), m.group(1).strip()) for m in _SECTION.finditer(source)]
    found = []
    for name, function in vars(hookspecs).items():
        opts = getattr(function, f"{hookspecs.PROJECT}_spec", None)
        if not inspect.isfunction(function) or opts is None:
            continue
        position = source.index(f"\ndef {name}(")
        family = ([title for start, title in headings if start < position] or ["other"])[-1]
        text, params, returns = parse_docstring(function.__doc__ or "")
        found.append(Hook(name, family, function, bool(opts.get("firstresult")), text, params, returns))
    return sorted(found, key=lambda hook: source.index(f"\ndef {hook.name}("))


def load_examples(path: Path = EXAMPLES) -> ModuleType:
    """Import the examples module from its file (it is test data, not a package)."""
    spec = importlib.util.spec_from_file_location("corral_hook_examples", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def example_source(examples: ModuleType, hook: str) -> str | None:
    """The source of ``example_<hook>``, followed by the module's private helpers it calls."""
    function = getattr(examples, f"example_{hook}", None)
    if function is None:
        return None
    parts = [inspect.getsource(function)]
    for helper in sorted(set(re.findall(r"\b(_\w+)\(", parts[0]))):
        if inspect.isfunction(getattr(examples, helper, None)):
            parts.append(inspect.getsource(getattr(examples, helper)))
    return "\n\n".join(part.strip("\n") for part in parts)


def _markdown(text: str) -> str:
    """reStructuredText inline markup of the docstrings, as Markdown."""
    return _ROLE.sub(r"`\1`", text).replace("``", "`")


def render() -> str:
    """The whole of ``docs/plugin-hooks.md``."""
    examples = load_examples()
    all_hooks = hooks()
    out = [
        "# Plugin hooks",
        "",
        "<!-- Generated by scripts/hook_docs.py from core/src/corral/hookspecs.py and",
        "     tests/kernel/hook_examples.py: edit those, then run the script. -->",
        "",
        "Every hook a corral plugin may implement, with its signature, when the kernel",
        "calls it, its parameters, what it returns and a tested example (each example is",
        "run by `tests/kernel/test_plugin_hooks.py`). Implement a hook as a function or",
        "method of the same name marked `@corral.plugins.hookimpl`; a callback object's",
        "`v2_*` methods are its implementations of the events. `docs/plugin-authors.md`",
        "explains how plugins are packaged and loaded.",
        "",
    ]
    families: list[str] = []
    for hook in all_hooks:
        if hook.family not in families:
            families.append(hook.family)
    for family in families:
        out.append(f"- {family.capitalize()}: " + ", ".join(
            f"[`{hook.name}`](#{hook.name})" for hook in all_hooks if hook.family == family))
    for family in families:
        out += ["", f"## {family.capitalize()}"]
        for hook in (h for h in all_hooks if h.family == family):
            out += ["", f'<a id="{hook.name}"></a>', "", f"### `{hook.signature}`", ""]
            if hook.firstresult:
                out.append("*firstresult*: the kernel uses the first answer that is not `None`.")
            elif hook.returns is None:
                out.append("Every implementation is called.")
            else:
                out.append("Every implementation is called; the kernel merges their answers.")
            out += ["", _markdown(hook.text), ""]
            if hook.parameters:
                out.append("Parameters:")
                out += [f"- `{name}` (`{annotation}`): {_markdown(hook.params.get(name, ''))}"
                        for name, annotation in hook.parameters]
            else:
                out.append("Parameters: none.")
            returns = hook.returns or "nothing; the return value is ignored."
            out += ["", f"Returns (`{inspect.signature(hook.function).return_annotation}`): {_markdown(returns)}", ""]
            source = example_source(examples, hook.name)
            if source is not None:
                out += ["Example:", "", "```python", textwrap.dedent(source), "```"]
            else:
                out.append("Example: none yet.")
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/plugin-hooks.md is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = DOCS.read_text() if DOCS.exists() else ""
        if current != text:
            print(f"{DOCS} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    DOCS.write_text(text)
    print(f"wrote {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
