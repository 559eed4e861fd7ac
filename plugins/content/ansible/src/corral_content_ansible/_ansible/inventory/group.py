"""``ansible.inventory.group``: corral's ``Group``, which has the API of Ansible's, and
``to_safe_group_name`` as the run's ``TRANSFORM_INVALID_GROUP_CHARS`` says."""
from __future__ import annotations

from corral.inventory.group import Group
from corral.inventory.group_names import check_group_name, group_name_mode

from corral_content_ansible import run_state

__all__ = ["Group", "to_safe_group_name"]


def to_safe_group_name(name: str, replacer: str = "_", force: bool = False, silent: bool = False) -> str:
    """``name`` as an inventory would name the group: invalid characters replaced by
    ``replacer`` when the run's ``TRANSFORM_INVALID_GROUP_CHARS`` says so (or ``force``),
    with the warning (and ``-vvvv`` detail) that setting calls for, unless ``silent``."""
    config = run_state.config()
    mode = group_name_mode(config.get("transform_invalid_group_chars")) if config is not None else "never"
    checked = check_group_name(name, mode, force=force, silent=silent, replacer=replacer)
    display = run_state.display()
    if checked.detail is not None:
        display.vvvv(checked.detail)
    if checked.warning is not None:
        display.warning(checked.warning)
    return checked.name
