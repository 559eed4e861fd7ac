"""Templating with Jinja2 under Ansible's rules.

- A string that is one ``{{ expression }}`` renders to the expression's native value
  (``"{{ 1 + 1 }}"`` is the integer 2); any other template renders to a string.
- Variables are resolved lazily: a variable whose value is itself a template is
  rendered when a template uses it (cycles are an error naming the variable).
- Values marked unsafe (:mod:`corral.utils.unsafe`: facts, registered results,
  ``!unsafe``) are never rendered.
- Using an undefined variable is an error naming it; ``default`` and
  ``is defined`` work on undefined values, also through attribute chains.
- Filters, tests and lookups come from template plugins through the hooks.

One :class:`TemplateEnvironment` is built per run and shared by every
:class:`Templar` of that run (compiled templates are cached there); a ``Templar``
is a cheap pairing of that environment with a set of variables.
"""
from __future__ import annotations

import datetime
import functools
import re
import threading
from collections.abc import ItemsView, KeysView, Mapping, ValuesView
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from corral.errors import CorralError, CorralTemplateError, CorralUndefinedVariable
from corral.parsing.vault import is_vault_value
from corral.template.file_options import TEMPLATE_FILE_OPTIONS, pad_trailing_newlines, split_header
from corral.utils.unsafe import is_unsafe, wrap_unsafe
from corral.utils.vars_view import VarsView

if TYPE_CHECKING:
    import jinja2

    from corral.template.jinja_env import CorralUndefined

__all__ = ["Templar", "TemplateEnvironment", "CorralUndefined", "OMIT_TOKEN", "UNTRUSTED_MESSAGE", "is_template",
           "is_whole_template", "type_name"]

#: the value of ``omit``: module arguments equal to it are dropped
OMIT_TOKEN = "__omit_place_holder__33a55f4399c08964caf049d3eaa48c42a2a0ccf8"   # + sha1(b"corral-omit")

_MARKERS = ("{{", "{%", "{#")
_COMPILED_CACHE_SIZE = 4096


#: Ansible's words when host data (or other untrusted text) would become code
UNTRUSTED_MESSAGE = "Encountered untrusted template or expression."

#: a template that only names a variable (``{{ x }}``, ``{{ x.y['z'][0] }}``)
_VARIABLE_REFERENCE = re.compile(
    r"""^\{\{\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[(?:\d+|'[^']*'|"[^"]*")\])*\s*\}\}$""")


def is_whole_template(text: str) -> bool:
    """Whether ``text`` is one template from start to end (``{{ ... }}`` or
    ``{% ... %}``), the deprecated way of writing a condition."""
    return is_template(text) and text.startswith(("{{", "{%")) and text.endswith(("}}", "%}"))


def is_template(value: Any) -> bool:
    """Whether ``value`` is a string that contains Jinja2 markers."""
    return isinstance(value, str) and "{" in value and any(m in value for m in _MARKERS) \
        and not is_unsafe(value)


def type_name(value: Any) -> str:
    """Ansible's name for a value's type in messages (plain Python names, corral's
    wrapper types shown as what they wrap)."""
    for base in (dict, list, str, int, float, bool):
        if isinstance(value, base):
            return base.__name__
    return type(value).__name__


def _native_concat(values: Iterator[Any]) -> Any:
    head = list(islice(values, 2))
    if not head:
        return None
    if len(head) == 1:
        return head[0]
    return "".join(_text(v) for v in chain(head, values))


def _text(value: Any) -> str:
    """A value's text where a template joins it with other text: ``None`` is
    nothing (``"a{{ none }}b"`` is ``"ab"``), as in Ansible."""
    return "" if value is None else str(value)


def _native_concat_final_newline(values: Iterator[Any]) -> Any:
    """The value of a template that ends with a newline, as ansible-core gives it: the
    final newline is left out while rendering and given back to a string result, so
    ``"{{ [1] }}\n"`` (a YAML folded block) is the list ``[1]``, ``"{{ 'x' }}\n"`` is
    ``"x\n"``."""
    parts = list(values)
    if not (parts and isinstance(parts[-1], str) and parts[-1].endswith("\n")):
        return _native_concat(iter(parts))
    last = parts[-1][:-1]
    value = _native_concat(iter(parts[:-1] + ([last] if last else [])))
    return value + "\n" if isinstance(value, str) else value


def _materialized(value: Any) -> Any:
    """``value`` as a list when it is a one-shot iterator (a generator, a
    ``reversed`` iterator) or a view of a mapping (``.items()``), else as it is."""
    if isinstance(value, (Iterator, KeysView, ValuesView, ItemsView)):
        return list(value)
    return value


def _filter_input(value: Any) -> Any:
    """The value a filter is given: iterators as lists (:func:`_materialized`), an
    inline vault value as its plaintext (``vaulted | from_yaml``, ``| to_json``)."""
    if is_vault_value(value):
        return str(value)
    return _materialized(value)


def _list_results(func: Any, name: str) -> Any:
    """The filter ``func`` with iterator input and output made lists, as Ansible's
    templar does: ``select``/``map``/``reverse`` give lists, so ``default(x, true)``
    sees an empty result as empty and ``type_debug`` says ``list``; a vault value
    is filtered as its plaintext.  An unexpected exception of the filter names it
    (``The filter plugin 'ansible.builtin.int' failed: ...``; ``name`` is its short
    or full name).  Jinja2's markers on ``func`` (``pass_context``...) are kept."""
    import jinja2
    fqcn = name if "." in name else f"ansible.builtin.{name}"
    if not callable(func) or getattr(func, "_corral_lists", False):
        return func
    passed = getattr(func, "jinja_pass_arg", None)

    @functools.wraps(func)
    def listing(*args: Any, **kwargs: Any) -> Any:
        if args:
            at = 1 if passed is not None else 0   # the value comes after a context/environment
            if len(args) > at:
                args = (*args[:at], _filter_input(args[at]), *args[at + 1:])
        try:
            return _materialized(func(*args, **kwargs))
        except (CorralError, jinja2.UndefinedError):
            raise
        except Exception as exc:  # noqa: BLE001 - a filter may raise anything
            raise CorralTemplateError(f"The filter plugin '{fqcn}' failed: {exc}", orig_exc=exc) from exc

    listing._corral_lists = True  # type: ignore[attr-defined]
    return listing


class _ContentNames(dict):
    """Jinja2's and the installed plugins' filters, tests or lookups by name, after
    the run's content (``PluginManager.find_content``): each name is asked of the
    content once (per content version), the first time it is used, and what the content has
    (``community.general.random_string``, a filter of a ``filter_plugins/`` folder)
    wins over an installed one of the same name, as Ansible's plugin folders do.
    Jinja2 asks ``get`` when compiling and ``[]`` when rendering: both see content."""

    def __init__(self, plugins: Any, kind: str, known: Mapping[str, Any]) -> None:
        self._wrap: Any = _list_results if kind == "filter" else (lambda found, _name: found)
        super().__init__({name: self._wrap(func, name) for name, func in known.items()})
        self._plugins = plugins
        self._kind = kind
        self._asked: set[tuple[str, int]] = set()

    def __getitem__(self, name: str) -> Any:
        asked = (name, self._plugins.content.version)     # asked again when roles add plugin folders
        if asked not in self._asked:
            self._asked.add(asked)
            found = self._plugins.find_content(self._kind, name)
            if found is not None:
                self[name] = self._wrap(found, name)
        return super().__getitem__(name)

    def __missing__(self, name: str) -> Any:
        found = self._plugins.find_content(self._kind, name)
        if found is None and "." in name:
            found = self.get(name.rsplit(".", 1)[1]) if name.startswith(("ansible.builtin.", "ansible.legacy.")) \
                else None
        if found is None:
            raise KeyError(name)
        self[name] = found = self._wrap(found, name)
        return found

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None


def __getattr__(name: str) -> Any:
    """:class:`CorralUndefined` is Jinja2's type: it is imported on first use."""
    if name == "CorralUndefined":
        from corral.template.jinja_env import CorralUndefined
        return CorralUndefined
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class TemplateEnvironment:
    """The Jinja2 environments of one run: native (for variables and arguments)
    and text (for template files), with the plugins' filters, tests and lookups.

    ``plugins`` is a :class:`corral.plugins.manager.PluginManager` or ``None``
    (then only Jinja2's built-ins are available).
    """

    def __init__(self, plugins: Any = None) -> None:
        self._plugins = plugins
        self._built: tuple[Any, jinja2.Environment, dict[str, Any]] | None = None
        self._compiled: dict[tuple[Any, ...], jinja2.Template] = {}
        self._overlays: dict[tuple[Any, ...], jinja2.Environment] = {}
        self._lock = threading.Lock()

    def _environments(self) -> tuple[Any, jinja2.Environment, dict[str, Any]]:
        """The native and text environments and the lookups, built on first use
        (Jinja2 and the template plugins are loaded then, not before: a run whose
        values hold no template never needs them)."""
        built = self._built
        if built is None:
            from corral.template.jinja_env import new_environments
            with self._lock:
                if self._built is None:
                    native, text = new_environments()
                    lookups: dict[str, Any] = {}
                    plugins = self._plugins
                    if plugins is not None:
                        filters, tests = plugins.template_filters(), plugins.template_tests()
                        lookups = _ContentNames(plugins, "lookup", plugins.template_lookups())
                        for env in (native, text):
                            env.filters = _ContentNames(plugins, "filter", {**env.filters, **filters})
                            env.tests = _ContentNames(plugins, "test", {**env.tests, **tests})
                    self._built = (native, text, lookups)
                built = self._built
        return built

    @property
    def native(self) -> Any:
        """The native environment (values: ``{{ 1 + 1 }}`` is the integer 2)."""
        return self._environments()[0]

    @property
    def text(self) -> jinja2.Environment:
        """The text environment (template files)."""
        return self._environments()[1]

    @property
    def lookups(self) -> dict[str, Any]:
        """The lookups by name (installed, and the run's content's)."""
        return self._environments()[2]

    def _with_loader(self, searchpath: tuple[str, ...] | None,
                     settings: tuple[tuple[str, Any], ...] = ()) -> jinja2.Environment:
        """The text environment with a file loader over ``searchpath`` (for
        ``{% include %}``/``{% import %}`` in template files) and Jinja2's
        ``settings`` (:mod:`corral.template.file_options`), made once per pair."""
        key = (searchpath, settings)
        env = self._overlays.get(key)
        if env is None:
            import jinja2
            options = dict(settings)
            if searchpath:
                options["loader"] = jinja2.FileSystemLoader(list(searchpath))
            env = self.text.overlay(**options)
            with self._lock:
                self._overlays[key] = env
        return env

    def compile_value(self, source: str) -> jinja2.Template:
        """Compile ``source``, a templated value (a variable, an argument), for the
        native environment: backslashes in its expressions' string literals are
        taken as written (:func:`_doubled_backslashes`)."""
        return self.compile(_doubled_backslashes(self.native, source))

    def compile(self, source: str, native: bool = True, searchpath: tuple[str, ...] | None = None,
                settings: tuple[tuple[str, Any], ...] = ()) -> jinja2.Template:
        """Compile ``source`` once; later calls return the cached template.
        ``searchpath`` (text templates only) is where included templates are found;
        ``settings`` (text templates only) are Jinja2 environment settings."""
        key = (native, source, searchpath, settings)
        template = self._compiled.get(key)
        if template is None:
            if searchpath or settings:
                env = self._with_loader(searchpath, settings)
            else:
                env = self.native if native else self.text
            template = env.from_string(source)
            with self._lock:
                if len(self._compiled) >= _COMPILED_CACHE_SIZE:
                    self._compiled.clear()
                self._compiled[key] = template
        return template


def _doubled_backslashes(env: jinja2.Environment, source: str) -> str:
    """``source`` with the string literals inside ``{{ }}`` escaped so that Jinja2
    reads each as the text between its quotes, as written: in a value
    (a variable, a task argument) ``regex_replace('^v(\\d+)', '\\1')`` means a
    backslash and a ``1``, not the character 1, and ``join('\\n')`` joins with a
    backslash and an ``n``, as in Ansible.  ``{% %}`` blocks, template files and
    conditions keep Jinja2's escapes."""
    if "\\" not in source or "{{" not in source:
        return source
    parts: list[str] = []
    in_expression = False
    for _line, kind, text in env.lex(env.preprocess(source)):
        if kind == "variable_begin":
            in_expression = True
        elif kind == "variable_end":
            in_expression = False
        elif in_expression and kind == "string":
            quote, content = text[0], text[1:-1]
            text = quote + content.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote
        parts.append(text)
    return "".join(parts)


class _LazyVars(Mapping):
    """The variables as Jinja2 sees them: values rendered on first use."""

    def __init__(self, templar: "Templar", variables: Mapping[str, Any], extra: Mapping[str, Any],
                 trusted_reads: list[str] | None = None) -> None:
        self._templar = templar
        self._vars = variables
        self._extra = extra
        self._done: dict[str, Any] = {}
        #: when a list: each trusted string value handed to the template is added to it
        self._trusted_reads = trusted_reads

    def __contains__(self, key: object) -> bool:
        # "vars" is always there (``vars['x']`` indirection), as __getitem__ answers it
        return key in self._extra or key in self._vars or key == "vars" or key in self._templar.globals \
            or key in self._templar._env.native.globals

    def __getitem__(self, key: str) -> Any:
        if key in self._extra:
            return self._extra[key]
        if key in self._done:
            return self._done[key]
        if key in self._vars:
            value = self._vars[key]
            if key == "vars" and (value is None or isinstance(value, VarsView)):
                value = self
            elif not is_unsafe(value) and not isinstance(value, (int, float, bool)) and value is not None:
                value = self._templar._render_variable(key, value)
            self._done[key] = value
            if self._trusted_reads is not None and isinstance(value, str) and not is_unsafe(value):
                self._trusted_reads.append(value)
            return value
        if key == "vars":
            return self
        if key in self._templar.globals:
            return self._templar.globals[key]
        return self._templar._env.native.globals[key]

    def __iter__(self) -> Iterator[str]:
        # the variables' own order (the ``varnames`` lookup lists names in it)
        return iter(dict.fromkeys(chain(self._vars, self._extra)))

    def __len__(self) -> int:
        return len(dict.fromkeys(chain(self._vars, self._extra)))



@functools.lru_cache(maxsize=4096)
def expression_syntax_error(expression: str) -> str | None:
    """What is wrong with ``expression`` as a Jinja2 expression on its own, worded as
    Jinja2 (and so ansible-core) words it (``unexpected 'end of template'``, ``chunk
    after expression``); ``None`` when it parses."""
    import jinja2.parser

    from corral.template.jinja_env import syntax_environment
    parser = jinja2.parser.Parser(syntax_environment(), expression, state="variable")
    try:
        parser.parse_expression()
    except jinja2.TemplateSyntaxError as exc:
        return exc.message
    return None if parser.stream.eos else "chunk after expression"

class Templar:
    """Renders values against a set of variables.

    ``loader`` is the run's DataLoader (lookups use it), ``variables`` a mapping
    of variable names to (possibly templated) values.  Pass ``environment`` to
    share a run's compiled templates and plugins; otherwise one is built from
    ``plugins`` (a PluginManager).
    """

    def __init__(self, loader: Any = None, variables: Mapping[str, Any] | None = None,
                 plugins: Any = None, environment: TemplateEnvironment | None = None) -> None:
        self._loader = loader
        self._env = environment or TemplateEnvironment(plugins)
        self._variables: Mapping[str, Any] = variables if variables is not None else {}
        self._resolving: list[str] = []
        self.globals: dict[str, Any] = {
            "lookup": self._lookup, "query": self._query, "q": self._query,
            "omit": OMIT_TOKEN, "undef": self._undef, "now": _now,
        }

    # -- variables -------------------------------------------------------------

    @property
    def available_variables(self) -> Mapping[str, Any]:
        return self._variables

    @available_variables.setter
    def available_variables(self, variables: Mapping[str, Any]) -> None:
        self._variables = variables

    @property
    def environment(self) -> jinja2.Environment:
        """The native Jinja2 environment (filters, tests)."""
        return self._env.native

    @property
    def template_environment(self) -> TemplateEnvironment:
        return self._env

    def copy_with_new_vars(self, variables: Mapping[str, Any]) -> "Templar":
        """A templar over other variables, sharing this one's environment."""
        return Templar(self._loader, variables, environment=self._env)

    def _render_variable(self, name: str, value: Any) -> Any:
        if name in self._resolving:
            chain_text = " -> ".join(self._resolving + [name])  # kept on the error for debugging
            raise CorralTemplateError("Recursive loop detected in template: maximum recursion depth exceeded",
                                      obj=chain_text)
        self._resolving.append(name)
        try:
            return self.template(value)
        finally:
            self._resolving.pop()

    # -- rendering -----------------------------------------------------------------

    def is_template(self, value: Any) -> bool:
        return is_template(value)

    def template(self, value: Any, fail_on_undefined: bool = True,
                 extra_vars: Mapping[str, Any] | None = None) -> Any:
        """Render ``value``: strings are rendered, lists/dicts recursively (keys too)
        into new containers, anything else (numbers, other mappings such as
        ``hostvars``) is returned as it is.  A container referenced several times
        (YAML aliases) is rendered once and stays shared: the work is linear in the
        distinct objects, never in the size of the expanded tree."""
        return self._template(value, fail_on_undefined, extra_vars or {}, {})

    def _template(self, value: Any, fail_on_undefined: bool, extra: Mapping[str, Any],
                  memo: dict[int, Any]) -> Any:
        if isinstance(value, str):
            if not is_template(value):
                return value
            return self._render_string(value, fail_on_undefined, extra, native=True, value_source=True)
        if isinstance(value, (dict, list, tuple)) and not is_unsafe(value):
            key = id(value)
            if key in memo:
                return memo[key]
            result: Any
            if isinstance(value, dict):
                result = memo[key] = {}
                for k, v in value.items():
                    result[self._template(k, fail_on_undefined, extra, memo)] = \
                        self._template(v, fail_on_undefined, extra, memo)
            else:
                result = memo[key] = []
                result.extend(self._template(v, fail_on_undefined, extra, memo) for v in value)
            return result
        if value is None or isinstance(value, (bool, int, float)):
            return value
        # an inline vault value stays one (``set_fact: x: !vault ...`` keeps ``x is
        # vault_encrypted``); it behaves as its plaintext wherever it is used
        return value

    def template_text(self, text: str, extra_vars: Mapping[str, Any] | None = None,
                      searchpath: Iterable[str] | None = None, source_name: str | None = None,
                      settings: Mapping[str, Any] | None = None) -> str:
        """Render a whole text (a template file) to a string; ``searchpath`` lists
        the directories where ``{% include %}``/``{% import %}`` find templates.
        ``settings`` change Jinja2's (names of
        :data:`corral.template.file_options.TEMPLATE_FILE_OPTIONS`); a
        ``#jinja2:`` first line changes them again, and the result ends with at
        least as many newlines as ``text`` (see :mod:`corral.template.file_options`).
        Errors name ``source_name`` (the file) and the line, never the text itself
        (it may be a decrypted vault file)."""
        path = tuple(str(p) for p in searchpath) if searchpath else None
        body, header = split_header(text)
        chosen = {**(settings or {}), **header}
        unknown = sorted(set(chosen) - set(TEMPLATE_FILE_OPTIONS))
        if unknown:
            raise CorralTemplateError(f"Unknown template settings: {', '.join(unknown)}")
        frozen = tuple(sorted((k, v) for k, v in chosen.items() if v != TEMPLATE_FILE_OPTIONS[k]))
        rendered = str(self._render_string(body, True, extra_vars or {}, native=False, searchpath=path,
                                           source_name=source_name or "<template>", settings=frozen))
        return pad_trailing_newlines(text, rendered, chosen.get("newline_sequence", "\n"))

    def _render_string(self, source: str, fail_on_undefined: bool, extra: Mapping[str, Any],
                       native: bool, searchpath: tuple[str, ...] | None = None, keep_trust: bool = False,
                       source_name: str | None = None, trusted_reads: list[str] | None = None,
                       compiled: jinja2.Template | None = None, value_source: bool = False,
                       settings: tuple[tuple[str, Any], ...] = ()) -> Any:
        """Compile and render ``source`` (or render ``compiled``, built from it); the
        result is marked unsafe unless ``keep_trust`` (then the caller decides what
        the result may be trusted for).  With ``source_name`` (a template file) errors
        name it instead of quoting ``source``; ``trusted_reads`` collects the trusted
        strings the template read from variables; ``value_source``: ``source`` is a
        templated value (:meth:`TemplateEnvironment.compile_value`)."""
        import jinja2
        try:
            if compiled is not None:
                template = compiled
            elif value_source:
                template = self._env.compile_value(source)
            else:
                template = self._env.compile(source, native=native, searchpath=searchpath, settings=settings)
            # Jinja2 only reads the variables as a mapping (its context's parent), so
            # lazy ones work; its annotation asks for a dict
            lazy = _LazyVars(self, self._variables, extra, trusted_reads)
            context = template.new_context(lazy, shared=True)  # type: ignore[arg-type]
            parts = template.root_render_func(context)
            if not native:
                result = "".join(str(p) for p in parts)
            elif source.endswith("\n"):
                result = _native_concat_final_newline(parts)
            else:
                result = _native_concat(parts)
            if isinstance(result, jinja2.Undefined):
                result._fail_with_undefined_error()
            if not keep_trust:
                # what a template produced is data, never a template again (no injection
                # through set_fact, registered values, filters or lookups), as in ansible-core 2.19
                result = wrap_unsafe(result)
            return result
        except jinja2.UndefinedError as exc:
            if not fail_on_undefined:
                return source
            raise CorralUndefinedVariable(str(exc), orig_exc=exc) from exc
        except jinja2.TemplateSyntaxError as exc:
            if source_name is not None:
                where = exc.filename or exc.name or source_name
                raise CorralTemplateError(
                    f"Syntax error in template: {exc.message} (template {where}, line {exc.lineno})",
                    orig_exc=exc) from exc
            raise CorralTemplateError(f"Syntax error in template: {exc.message}", orig_exc=exc) from exc
        except CorralError:
            raise
        except RecursionError as exc:  # a chain of variables or data nested too deep
            raise CorralTemplateError("Recursive loop detected in template: maximum recursion depth exceeded",
                                      orig_exc=exc) from exc
        except Exception as exc:  # noqa: BLE001 - filters may raise anything
            where = f" ({source_name})" if source_name else ""
            raise CorralTemplateError(f"Error rendering template{where}: {exc}", orig_exc=exc) from exc

    def evaluate_conditional(self, conditional: Any) -> bool:
        """Evaluate one ``when``-style condition (an expression, a bool, or a
        template) to a boolean under Ansible 2.19+ rules: the result must be a
        boolean (or None/0/1-like scalars Ansible accepts); a string, list or dict
        result is an error naming where the value came from.

        A condition that is a whole template (``"{{ x }}"``) is rendered first; a
        string it renders to is evaluated as an expression only when it is the value
        of a trusted variable, never when it came from a host or was computed."""
        if isinstance(conditional, bool):
            return conditional
        if conditional is None:
            return False
        if isinstance(conditional, (int, float)):
            return self._as_bool(conditional, conditional)
        if is_unsafe(conditional):
            raise CorralTemplateError(UNTRUSTED_MESSAGE)
        text = str(conditional).strip()
        if is_whole_template(text):
            value = self.template_expression(text)
            if not isinstance(value, str):
                return self._as_bool(value, conditional)
            text = value.strip()
        if text in ("", "False", "false"):
            return False
        if text in ("True", "true"):
            return True
        try:
            value = self.evaluate_expression(text)
        except CorralUndefinedVariable as exc:
            raise CorralUndefinedVariable(f"Error while evaluating conditional: {exc.message}",
                                          orig_exc=exc) from exc
        return self._as_bool(value, conditional, text)

    def evaluate_expression(self, expression: str) -> Any:
        """The native value of a trusted Jinja2 ``expression`` (a condition, a
        ``debug: var=`` name); template delimiters outside string constants are a
        syntax error.  A string constant holding a template (``x == '{{ y }}'``,
        which Ansible still accepts) is rendered first and stays a constant: what it
        renders to is a value, never part of the expression."""
        import jinja2.nodes
        if is_unsafe(expression):
            raise CorralTemplateError(UNTRUSTED_MESSAGE)
        source = "{{ (" + expression + ") }}"
        has_markers = any(m in expression for m in _MARKERS)
        if not has_markers:
            error = expression_syntax_error(expression)
            if error is not None:       # the expression alone, not as wrapped here (``x ) or (y``)
                raise CorralTemplateError(f"Syntax error in expression: {error}")
        try:
            if not has_markers:
                return self._render_string(source, True, {}, native=True, keep_trust=True,
                                           compiled=self._env.compile(source))
            tree = self._env.native.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            detail = ". Template delimiters are not supported in expressions: " if has_markers else ": "
            raise CorralTemplateError(f"Syntax error in expression{detail}"
                                      f"{expression_syntax_error(expression) or exc.message}", orig_exc=exc) from exc
        for node in tree.find_all(jinja2.nodes.Const):
            if is_template(node.value):
                node.value = self.template(node.value)
        return self._render_string(source, True, {}, native=True, keep_trust=True,
                                   compiled=self._env.native.from_string(tree))

    def template_expression(self, text: str) -> Any:
        """Render ``text``, a whole template standing where an expression is
        expected (``when: "{{ x }}"``, ``debug: var="{{ x }}"``).  A string result
        is returned, for the caller to evaluate as an expression, only when it is
        the value of a trusted variable: the template names one (``{{ x }}``,
        ``{{ x.y }}``) or passes one through unchanged (``{{ x | default('') }}``).
        Any other string (host data, or a string a template computed) is refused:
        it must never become code."""
        reads: list[str] = []
        value = self._render_string(text, True, {}, native=True, keep_trust=True, trusted_reads=reads)
        if isinstance(value, str):
            trusted = not is_unsafe(value) and (_VARIABLE_REFERENCE.match(text) is not None
                                                or any(value is read for read in reads))
            if not trusted:
                raise CorralTemplateError(UNTRUSTED_MESSAGE)
        return value

    def _as_bool(self, value: Any, conditional: Any, expression: str | None = None) -> bool:
        if isinstance(value, bool):
            return value
        if value is None:
            return False
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        origin = self._origin_of(expression, value) or str(conditional)
        raise CorralTemplateError(
            f"Conditional result ({bool(value)}) was derived from value of type '{type_name(value)}' "
            f"at '{origin}'. Conditionals must have a boolean result.")

    def _origin_of(self, expression: str | None, value: Any) -> str | None:
        """``file:line:col`` of the variable a bare-name condition refers to."""
        pos = getattr(value, "ansible_pos", None)
        if pos is None and expression and expression.isidentifier() and expression in self._variables:
            pos = getattr(self._variables[expression], "ansible_pos", None)
        return f"{pos[0]}:{pos[1]}:{pos[2]}" if pos else None

    # -- lookups -------------------------------------------------------------------

    def _undef(self, hint: str | None = None) -> jinja2.Undefined:
        from corral.template.jinja_env import CorralUndefined
        return CorralUndefined(hint=hint)

    def run_lookup(self, name: str, terms: Any, /, wantlist: bool = True, **kwargs: Any) -> Any:
        """Run lookup ``name`` on ``terms``; a list with ``wantlist``, else Ansible's
        comma-joined string (or the single value).  What a lookup makes is data (file
        contents, command output, a URL's body...): it is marked unsafe here, so
        ``with_<lookup>`` loop items are never rendered again either.  Strings of
        ``terms`` that the lookup passes through (``with_items``, ``with_list``...)
        keep their trust, as in ansible-core."""
        terms_list = terms if isinstance(terms, list) else [terms]
        return wrap_unsafe(self._run_lookup(name, terms_list, wantlist, **kwargs), keep=_string_ids(terms_list))

    def _run_lookup(self, name: str, terms: list[Any], wantlist: bool, /, **kwargs: Any) -> Any:
        cls = self._env.lookups.get(name)
        if cls is None:
            known = ", ".join(sorted(self._env.lookups)) or "none"
            raise CorralTemplateError(f"lookup plugin ({name}) not found (installed lookups: {known})")
        errors = kwargs.pop("errors", "strict")
        try:
            result = cls(loader=self._loader, templar=self).run(
                terms, variables=_LazyVars(self, self._variables, {}), **kwargs)
        except Exception as exc:  # noqa: BLE001 - lookups may raise anything
            if errors == "ignore":
                return [] if wantlist else None
            if errors == "warn":
                return [] if wantlist else None
            if isinstance(exc, CorralUndefinedVariable):
                raise
            if isinstance(exc, CorralError):
                # Ansible names the lookup that failed (once: an adapted Ansible lookup may have
                # named it already); the error keeps its class
                prefix = f"The lookup plugin '{name}' failed: "
                if not exc.message.startswith(prefix):
                    exc.message = prefix + exc.message
                    exc.args = (str(exc),)
                raise
            raise CorralTemplateError(f"An unhandled exception occurred while running the lookup plugin "
                                      f"'{name}'. Error was a {type(exc).__name__}, original message: {exc}",
                                      orig_exc=exc) from exc
        if wantlist:
            return list(result) if result is not None else []
        if isinstance(result, list) and not result:
            return result
        if isinstance(result, list) and len(result) == 1:
            return result[0]
        if isinstance(result, list) and all(isinstance(r, str) for r in result):
            return ",".join(result)
        return result

    # the lookup's name is positional-only: ``lookup('vars', name='x')`` hands
    # ``name`` to the lookup as one of its options, as in Ansible
    def _lookup(self, plugin_name: str, /, *terms: Any, **kwargs: Any) -> Any:
        wantlist = kwargs.pop("wantlist", False)
        return self.run_lookup(plugin_name, list(terms), wantlist=wantlist, **kwargs)

    def _query(self, plugin_name: str, /, *terms: Any, **kwargs: Any) -> Any:
        kwargs.pop("wantlist", None)
        return self.run_lookup(plugin_name, list(terms), wantlist=True, **kwargs)


def _now(utc: bool = False, fmt: str | None = None) -> Any:
    """The ``now()`` of templates: the current local time (``utc=True``: UTC) as a
    naive ``datetime``, or as text formatted by ``fmt`` (``strftime``)."""
    moment = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) if utc \
        else datetime.datetime.now()
    return moment.strftime(fmt) if fmt is not None else moment


def _string_ids(value: Any) -> set[int]:
    """The ``id`` of every string inside ``value`` (lists, tuples, dicts), without recursion."""
    ids: set[int] = set()
    pending, seen = [value], set()
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            ids.add(id(item))
        elif isinstance(item, (list, tuple, dict)) and id(item) not in seen:
            seen.add(id(item))
            pending.extend([*item.keys(), *item.values()] if isinstance(item, dict) else item)
    return ids


def remove_omitted(args: Any) -> Any:
    """Drop mapping entries (recursively) whose value is the ``omit`` token."""
    if isinstance(args, dict):
        return {k: remove_omitted(v) for k, v in args.items() if v != OMIT_TOKEN}
    if isinstance(args, list):
        return [remove_omitted(v) for v in args if v != OMIT_TOKEN]
    return args

