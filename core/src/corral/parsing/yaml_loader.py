"""YAML loading with positions, ``!unsafe`` and ``!vault``.

Mappings, sequences and strings come back as :mod:`corral.parsing.yaml_objects`
types carrying ``ansible_pos``; a syntax error becomes a
:class:`corral.errors.CorralParserError` naming the file, line and column.  A key
repeated in one mapping keeps its last value and, as in Ansible, is reported to ``warn``
("Found duplicate mapping key 'k'." with the file, line and column of the repeat); with
``duplicate_keys="error"`` it is a parse error instead, with ``"ignore"`` it is silent
(Ansible's ``DUPLICATE_YAML_DICT_KEY``).
"""
from __future__ import annotations

import re

from typing import Any, Callable

import yaml

from corral.errors import CorralError, CorralParserError
from corral.parsing.yaml_objects import AnsibleMapping, AnsibleSequence, AnsibleUnicode
from corral.utils.unsafe import UnsafeText

__all__ = ["load_yaml", "load_yaml_all", "duplicate_key_warning", "DUPLICATE_KEY_POLICIES"]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: the values of Ansible's DUPLICATE_YAML_DICT_KEY setting
DUPLICATE_KEY_POLICIES = ("warn", "error", "ignore")


def duplicate_key_warning(key: Any, position: tuple[str, int, int]) -> str:
    """Ansible's warning for a repeated mapping key (the excerpt shows the repeat)."""
    where = CorralError(f"Found duplicate mapping key {str(key)!r}.", position=position)
    return f"{where}\nUsing last defined value only."


def _make_loader(file_name: str, vault_factory: Callable[[str], Any] | None,
                 warn: Callable[[str], None] | None = None, duplicate_keys: str = "warn", source: str = "") -> type:
    class Loader(_BaseLoader):  # type: ignore[misc, valid-type]
        def _pos(self, node: yaml.Node) -> tuple[str, int, int]:
            return (file_name, node.start_mark.line + 1, node.start_mark.column + 1)

        def construct_yaml_map(self, node: yaml.MappingNode):
            data = AnsibleMapping()
            data.ansible_pos = self._pos(node)
            yield data
            self.flatten_mapping(node)
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError as exc:
                    if _unquoted_template(source, node):
                        raise CorralParserError(f"YAML parsing failed: {_TEMPLATE_HINT}", position=self._pos(node),
                                                help_text=_TEMPLATE_EXAMPLE) from exc
                    raise CorralParserError(f"Syntax error in YAML: unhashable key {key!r}",
                                            position=self._pos(key_node)) from exc
                if key in data and duplicate_keys == "error":
                    raise CorralParserError(f"YAML parsing failed: Found duplicate mapping key {str(key)!r}.",
                                            position=self._pos(key_node))
                if key in data and duplicate_keys == "warn" and warn is not None:
                    warn(duplicate_key_warning(key, self._pos(key_node)))
                # not deep: nested containers are filled by the constructor's own loop,
                # so nesting depth costs no Python recursion (as in PyYAML's SafeLoader)
                data[key] = self.construct_object(value_node, deep=False)

        def construct_yaml_seq(self, node: yaml.SequenceNode):
            data = AnsibleSequence()
            data.ansible_pos = self._pos(node)
            yield data
            data.extend(self.construct_sequence(node, deep=False))

        def construct_yaml_str(self, node: yaml.ScalarNode) -> str:
            value = AnsibleUnicode(self.construct_scalar(node))
            value.ansible_pos = self._pos(node)
            return value

        def construct_unsafe(self, node: yaml.Node) -> Any:
            if isinstance(node, yaml.ScalarNode):
                return UnsafeText(self.construct_scalar(node))
            raise CorralParserError("!unsafe applies to strings", position=self._pos(node))

        def construct_vault(self, node: yaml.Node) -> Any:
            ciphertext = self.construct_scalar(node)
            if vault_factory is None:
                raise CorralParserError("Found a !vault value but vault support is not available",
                                        position=self._pos(node))
            value = vault_factory(ciphertext)
            try:
                value.ansible_pos = self._pos(node)
            except AttributeError:
                pass
            return value

    Loader.add_constructor("tag:yaml.org,2002:map", Loader.construct_yaml_map)
    Loader.add_constructor("tag:yaml.org,2002:omap", Loader.construct_yaml_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", Loader.construct_yaml_seq)
    Loader.add_constructor("tag:yaml.org,2002:str", Loader.construct_yaml_str)
    Loader.add_constructor("!unsafe", Loader.construct_unsafe)
    Loader.add_constructor("!vault", Loader.construct_vault)
    Loader.add_constructor("!vault-encrypted", Loader.construct_vault)
    return Loader


#: ansible-core's advice for a template that starts an unquoted value (``msg: {{ x }}``)
_TEMPLATE_HINT = "This may be an issue with missing quotes around a template block."
_TEMPLATE_EXAMPLE = '\nFor example:\n\n    raw: {{ some_var }}\n\nShould be:\n\n    raw: "{{ some_var }}"'
#: and for a colon followed by a space inside an unquoted value (``msg: a: b``)
_COLON_HINT = "Colons in unquoted values must be followed by a non-space character."
_COLON_EXAMPLE = "\nFor example:\n\n    raw: echo 'name: ansible'\n\nShould be:\n\n    raw: \"echo 'name: ansible'\""


def _source_line(source: str, mark: Any) -> str:
    """Line ``mark`` of ``source`` (``""`` past its end)."""
    lines = source.split("\n")
    return lines[mark.line] if 0 <= mark.line < len(lines) else ""


def _unquoted_template(source: str, node: yaml.Node) -> bool:
    """Whether ``node`` is a flow mapping that YAML read from an unquoted ``{{``."""
    mark = node.start_mark
    return _source_line(source, mark)[mark.column:mark.column + 2] == "{{"


#: a ``key: {{`` line: the value is an unquoted template
_TEMPLATE_VALUE = re.compile(r"^(\s*(?:-\s+)?[^\s'\"#][^:]*:\s+)\{\{")


def _template_column(source: str, mark: Any) -> int | None:
    """The column of an unquoted template starting a value on ``mark``'s line, or None."""
    match = _TEMPLATE_VALUE.match(_source_line(source, mark))
    return len(match.group(1)) + 1 if match else None


def _syntax_error(exc: yaml.YAMLError, file_name: str, source: str) -> CorralParserError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context} {problem}" if context else problem
    position = (file_name or "<string>", mark.line + 1, mark.column + 1) if mark else None
    column = _template_column(source, mark) if mark is not None else None
    if position is not None and column is not None:
        return CorralParserError(f"YAML parsing failed: {_TEMPLATE_HINT}", position=(position[0], position[1], column),
                                 orig_exc=exc, help_text=_TEMPLATE_EXAMPLE)
    if problem.startswith("mapping values are not allowed"):
        return CorralParserError(f"YAML parsing failed: {_COLON_HINT}", position=position, orig_exc=exc,
                                 help_text=_COLON_EXAMPLE)
    return CorralParserError(f"YAML parsing failed: {text[:1].upper()}{text[1:]}.", position=position,
                             orig_exc=exc)


def _plain(text: str) -> str:
    """``text`` as an exact ``str``: libyaml's parser refuses ``str`` subclasses, and
    host output (``UnsafeText``) is one (``r.stdout | from_yaml``)."""
    return text if type(text) is str else str(text)


def load_yaml(text: str, file_name: str = "<string>",
              vault_factory: Callable[[str], Any] | None = None,
              warn: Callable[[str], None] | None = None, duplicate_keys: str = "warn") -> Any:
    """Parse one YAML document; ``vault_factory(ciphertext)`` builds ``!vault`` values,
    ``warn(message)`` receives the duplicate key warnings (see the module docstring)."""
    try:
        loader = _make_loader(file_name, vault_factory, warn, duplicate_keys, text)
        return yaml.load(_plain(text), Loader=loader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, file_name, text) from exc


def load_yaml_all(text: str, file_name: str = "<string>",
                  vault_factory: Callable[[str], Any] | None = None,
                  warn: Callable[[str], None] | None = None, duplicate_keys: str = "warn") -> list[Any]:
    """Parse every document of a YAML stream (``warn``, ``duplicate_keys`` as for :func:`load_yaml`)."""
    try:
        loader = _make_loader(file_name, vault_factory, warn, duplicate_keys, text)
        return list(yaml.load_all(_plain(text), Loader=loader))  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, file_name, text) from exc
