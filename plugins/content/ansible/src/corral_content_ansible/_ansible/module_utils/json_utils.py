"""``ansible.module_utils.json_utils``: JSON out of command output with noise around it."""
from __future__ import annotations

__all__ = ["_filter_non_json_lines"]


def _filter_non_json_lines(data: str, objects_only: bool = False) -> tuple[str, list[str]]:
    """``(json_text, warnings)``: the lines of ``data`` from the first that starts a
    JSON object (or array, unless ``objects_only``) to the last that ends it; the
    text dropped after it is named in a warning.  Raises ``ValueError`` when
    there is no JSON start."""
    lines = data.splitlines()
    starts = ("{",) if objects_only else ("{", "[")
    for start, line in enumerate(lines):
        if line.strip().startswith(starts):
            opener = line.strip()[0]
            break
    else:
        raise ValueError("No start of json char found")
    closer = "}" if opener == "{" else "]"
    lines = lines[start:]
    for end in range(len(lines) - 1, -1, -1):
        if lines[end].strip().endswith(closer):
            break
    else:
        raise ValueError("No end of json char found")
    warnings = []
    if end < len(lines) - 1:
        trailing = "\n".join(lines[end + 1:])
        warnings.append(f"Module invocation had junk after the JSON data: {trailing}")
    return "\n".join(lines[:end + 1]), warnings
