"""``ansible.module_utils.facts.utils``: reading small system files and mount sizes."""
from __future__ import annotations

import os
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["get_file_content", "get_file_lines", "get_mount_size"]


def get_file_content(path: str, default: Any = None, strip: bool = True) -> Any:
    """The text of ``path`` (stripped), or ``default`` when it cannot be read or is empty."""
    if not os.access(path, os.R_OK):
        return default
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            data = handle.read()
    except OSError:
        return default
    if strip:
        data = data.strip()
    return data if data else default


def get_file_lines(path: str, strip: bool = True, line_sep: str | None = None) -> list[str]:
    """The lines of ``path`` (split on ``line_sep`` if given); ``[]`` when unreadable."""
    data = get_file_content(path, strip=strip)
    if not data:
        return []
    if line_sep is None:
        return data.splitlines()
    lines = data.split(line_sep)
    return lines[:-1] if len(line_sep) == 1 and lines and not lines[-1] else lines


def get_mount_size(mountpoint: str) -> dict[str, int]:
    """Size and use of the filesystem at ``mountpoint`` (``size_total``, ``size_available``,
    ``block_size``, ``block_total``, ``block_available``, ``block_used``, ``inode_*``)."""
    try:
        st = os.statvfs(mountpoint)
    except OSError:
        return {}
    return {
        "size_total": st.f_frsize * st.f_blocks, "size_available": st.f_frsize * st.f_bavail,
        "block_size": st.f_bsize, "block_total": st.f_blocks, "block_available": st.f_bavail,
        "block_used": st.f_blocks - st.f_bfree, "inode_total": st.f_files, "inode_available": st.f_favail,
        "inode_used": st.f_files - st.f_ffree,
    }
