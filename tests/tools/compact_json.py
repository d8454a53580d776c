"""Pretty-prints JSON the way the default policy is written: a container on one line when it
fits in `width` columns, otherwise one member per line. Used for the format examples."""
from __future__ import annotations

import json


def dumps(value, width: int = 100, indent: str = "  ", level: int = 0) -> str:
    flat = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if isinstance(value, dict) and value:
        flat = "{ " + flat[1:-1] + " }"
    pad = indent * level
    if not isinstance(value, (dict, list)) or not value or len(pad) + len(flat) <= width:
        return flat
    inner = indent * (level + 1)
    if isinstance(value, list):
        items = [inner + dumps(v, width, indent, level + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    items = [inner + json.dumps(k, ensure_ascii=False) + ": " +
             dumps(v, width, indent, level + 1).lstrip() for k, v in value.items()]
    return "{\n" + ",\n".join(items) + "\n" + pad + "}"
