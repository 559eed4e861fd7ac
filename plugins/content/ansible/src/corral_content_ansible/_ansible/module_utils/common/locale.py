"""``ansible.module_utils.common.locale``: a locale whose command output modules can parse."""
from __future__ import annotations

# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["get_best_parsable_locale"]

_PREFERRED = ["C.utf8", "C.UTF-8", "en_US.utf8", "en_US.UTF-8", "C", "POSIX"]


def get_best_parsable_locale(module: Any, preferences: list[str] | None = None,
                             raise_on_locale: bool = False) -> str:
    """The first of ``preferences`` (default: the C and en_US UTF-8 locales, then
    ``C``) that ``locale -a`` lists on the target; ``'C'`` when none is, or when
    ``locale`` cannot be run (then ``RuntimeWarning`` if ``raise_on_locale``)."""
    wanted = preferences or _PREFERRED
    locale_bin = module.get_bin_path("locale")
    if not locale_bin:
        if raise_on_locale:
            raise RuntimeWarning("Could not find 'locale' tool")
        return "C"
    rc, out, err = module.run_command([locale_bin, "-a"])
    if rc != 0 or not out:
        if raise_on_locale:
            raise RuntimeWarning(f"Unable to get locale information, rc={rc}: {err}")
        return "C"
    available = out.strip().splitlines()
    for name in wanted:
        if name in available:
            return name
    return "C"
