"""``ansible.errors``: Ansible's exception family, each a subclass of the matching
:mod:`corral.errors` class, so that the kernel reports an error raised by a plugin
written for Ansible exactly as it reports its own (a filter's
``AnsibleFilterError`` is a template error, a connection's
``AnsibleConnectionFailure`` makes the host unreachable...).

The constructor takes Ansible's arguments: ``message``, ``obj`` (the loaded data
the error is about), ``show_content``, ``suppress_extended_error``, ``orig_exc``.
"""
from __future__ import annotations

from typing import Any

from corral.errors import (CorralAuthenticationFailure, CorralConnectionFailure, CorralError,
                           CorralFileNotFound, CorralOptionsError, CorralParserError, CorralPluginError,
                           CorralTemplateError, CorralUndefinedVariable)

__all__ = [
    "AnsibleError", "AnsibleAssertionError", "AnsibleOptionsError", "AnsibleRequiredOptionError",
    "AnsibleParserError", "AnsibleInternalError", "AnsibleRuntimeError", "AnsibleModuleError",
    "AnsibleConnectionFailure", "AnsibleAuthenticationFailure", "AnsibleCallbackError",
    "AnsibleTemplateError", "AnsibleTemplateSyntaxError", "AnsibleUndefinedVariable",
    "AnsibleFilterError", "AnsibleFilterTypeError", "AnsibleLookupError", "AnsibleTypeError",
    "AnsibleValueOmittedError", "AnsibleFileNotFound", "AnsiblePluginError", "AnsiblePluginRemovedError",
    "AnsiblePluginCircularRedirect", "AnsibleCollectionUnsupportedVersionError", "AnsibleAction",
    "AnsibleActionSkip", "AnsibleActionFail", "AnsiblePromptInterrupt", "AnsiblePromptNoninteractive",
    "AnsibleUndefinedConfigEntry", "AnsibleVariableTypeError", "AnsibleConditionalError",
]


class AnsibleError(CorralError):
    """The base of Ansible's errors (a :class:`corral.errors.CorralError`)."""

    def __init__(self, message: str = "", obj: Any = None, show_content: bool = True,
                 suppress_extended_error: Any = False, orig_exc: BaseException | None = None,
                 help_text: str | None = None) -> None:
        self._show_content = show_content
        self._suppress_extended_error = suppress_extended_error
        self._help_text = help_text
        super().__init__(str(message), obj=obj, orig_exc=orig_exc)

    @property
    def _message(self) -> str:
        return self.message


class AnsibleAssertionError(AnsibleError, AssertionError):
    """An invalid assertion (an internal error, shown as an error)."""


class AnsibleOptionsError(AnsibleError, CorralOptionsError):
    """Bad or incomplete options."""


class AnsibleRequiredOptionError(AnsibleOptionsError):
    """A required option is missing."""


class AnsibleParserError(AnsibleError, CorralParserError):
    """Something was malformed (a playbook, an inventory source...)."""


class AnsibleInternalError(AnsibleError):
    """An internal error."""


class AnsibleRuntimeError(AnsibleError):
    """A failure while running."""


class AnsibleModuleError(AnsibleRuntimeError):
    """A module failed."""


class AnsibleConnectionFailure(AnsibleRuntimeError, CorralConnectionFailure):
    """The host could not be reached: the task's host is unreachable."""


class AnsibleAuthenticationFailure(AnsibleConnectionFailure, CorralAuthenticationFailure):
    """The host refused the credentials."""


class AnsibleCallbackError(AnsibleRuntimeError):
    """A callback failed."""


class AnsibleTemplateError(AnsibleRuntimeError, CorralTemplateError):
    """A template could not be rendered."""


class AnsibleTemplateSyntaxError(AnsibleTemplateError):
    """A template has a syntax error."""


class AnsibleConditionalError(AnsibleTemplateError):
    """A conditional could not be evaluated."""


class AnsibleUndefinedVariable(AnsibleTemplateError, CorralUndefinedVariable):
    """A template used an undefined variable."""


class AnsibleFilterError(AnsibleTemplateError):
    """A filter failed (a template error of the task)."""


class AnsibleLookupError(AnsibleTemplateError):
    """A lookup failed (a template error of the task)."""


class AnsibleTypeError(AnsibleTemplateError, TypeError):
    """A value of the wrong type reached a template plugin."""


class AnsibleFilterTypeError(AnsibleTemplateError, TypeError):
    """A filter received a value of the wrong type."""


class AnsibleVariableTypeError(AnsibleRuntimeError):
    """A variable holds a type Ansible does not allow."""


class AnsibleValueOmittedError(AnsibleTemplateError):
    """A template resolved to ``omit`` where a value is required."""


class AnsibleFileNotFound(AnsibleRuntimeError, CorralFileNotFound):
    """A file was not found; ``paths`` are the places searched."""

    def __init__(self, message: str = "", obj: Any = None, show_content: bool = True,
                 suppress_extended_error: Any = False, orig_exc: BaseException | None = None,
                 paths: list[str] | None = None, file_name: str | None = None) -> None:
        self.file_name = file_name
        self.paths = paths
        text = message or "Could not find or access"
        if file_name:
            text += f" '{file_name}'"
        if paths:
            text += "\nSearched in:\n\t" + "\n\t".join(paths)
        super().__init__(text, obj, show_content, suppress_extended_error, orig_exc)


class AnsiblePluginError(AnsibleError, CorralPluginError):
    """A plugin is missing, failed to load or misbehaved; ``plugin_load_context``
    says where it was looked for, when known."""

    def __init__(self, message: str = "", plugin_load_context: Any = None, **kwargs: Any) -> None:
        self.plugin_load_context = plugin_load_context
        super().__init__(message, **kwargs)


class AnsiblePluginRemovedError(AnsiblePluginError):
    """The plugin was removed (``meta/runtime.yml`` tombstone)."""


class AnsiblePluginCircularRedirect(AnsiblePluginError):
    """Plugin redirections form a loop."""


class AnsibleCollectionUnsupportedVersionError(AnsiblePluginError):
    """The collection does not support this Ansible version."""


class AnsiblePromptInterrupt(AnsibleError):
    """A prompt was interrupted."""


class AnsiblePromptNoninteractive(AnsibleError):
    """A prompt was needed without a terminal."""


class AnsibleUndefinedConfigEntry(AnsibleError):
    """A configuration entry that does not exist was asked for."""


class AnsibleAction(AnsibleRuntimeError):
    """Raised inside an action plugin's ``run`` to end it with ``result``."""

    def __init__(self, message: str = "", obj: Any = None, show_content: bool = True,
                 suppress_extended_error: Any = False, orig_exc: BaseException | None = None,
                 result: dict[str, Any] | None = None) -> None:
        super().__init__(message, obj, show_content, suppress_extended_error, orig_exc)
        self.result: dict[str, Any] = dict(result or {})
        if message and "msg" not in self.result:
            self.result["msg"] = self.message


class AnsibleActionSkip(AnsibleAction):
    """Ends an action plugin's ``run`` with a skipped result."""

    def __init__(self, message: str = "", obj: Any = None, show_content: bool = True,
                 suppress_extended_error: Any = False, orig_exc: BaseException | None = None,
                 result: dict[str, Any] | None = None) -> None:
        super().__init__(message, obj, show_content, suppress_extended_error, orig_exc, result)
        self.result.update({"skipped": True, "skip_reason": self.message})


class AnsibleActionFail(AnsibleAction):
    """Ends an action plugin's ``run`` with a failed result."""

    def __init__(self, message: str = "", obj: Any = None, show_content: bool = True,
                 suppress_extended_error: Any = False, orig_exc: BaseException | None = None,
                 result: dict[str, Any] | None = None) -> None:
        super().__init__(message, obj, show_content, suppress_extended_error, orig_exc, result)
        self.result.update({"failed": True, "msg": self.message})
