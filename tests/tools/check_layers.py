#!/usr/bin/env python3
"""Checks that every #include of the library goes down its layers, never up, and that no
Python binding file but the command's entry point includes the CLI (issue 15).

The library is layered (README, "Layout"; src/layers.json): core → json → expr → policy →
classify / org → workflow → loading → io → care, and the CLI and bindings on top. A file may
include its own layer and the layers its entry in src/layers.json lists; anything else is
reported as FILE:LINE with both layers, and the exit status is 1. (The build checks calls the
same way: a layer's objects linked alone with the layers below it; cmake/keyaccountLayers.cmake.)
Run by ctest (`layers`); `python3 tests/tools/check_layers.py [ROOT]` by hand.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def read_layers(root: Path) -> tuple[dict[str, set[str]], dict[str, str], dict[str, str]]:
    """src/layers.json, the one list of the layers, which the build reads too (one CMake target
    per layer, cmake/keyaccountLayers.cmake): which layers each layer may include (besides
    itself), the layer of each area (first path component) and of each file placed apart (the
    policy folder's loading files: loading and validating a policy file plays its workflows, so
    it sits above the workflow engine, which needs only the policy model)."""
    layers = json.loads((root / "src" / "layers.json").read_text(encoding="utf-8"))["layers"]
    allowed = {layer["name"]: set(layer["includes"]) for layer in layers}
    areas = {area: layer["name"] for layer in layers for area in layer["areas"]}
    files = {file: layer["name"] for layer in layers for file in layer["files"]}
    return allowed, areas, files


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path: str, areas: dict[str, str], files: dict[str, str]) -> str | None:
    """The layer of a library path relative to include/keyaccount/ or src/ ("expr/value.hpp",
    "classify.hpp", "policy/detail/load_context.hpp"); None for a path outside the library.
    The build places sources the same way (keyaccount_layer_of in cmake/keyaccountLayers.cmake)."""
    if path in files:
        return files[path]
    top = path.split("/", 1)[0]
    top = top[:-len(".hpp")] if top.endswith(".hpp") else top
    return areas.get(top)


def library_path(include: str, including: Path, root: Path) -> str | None:
    """The included file as a library path, or None for a header outside the library."""
    if include.startswith("keyaccount/"):
        return include[len("keyaccount/"):]
    # src/ is on the include path ("classify/compiled_policy.hpp"), and so is the file's folder.
    for base in (root / "src", including.parent):
        candidate = base / include
        if candidate.is_file():
            try:
                return candidate.resolve().relative_to((root / "src").resolve()).as_posix()
            except ValueError:
                return None
    return None


def violations(root: Path) -> list[str]:
    allowed, areas, files = read_layers(root)
    found = []
    sources = [(p, p.relative_to(root / "include" / "keyaccount").as_posix())
               for p in (root / "include" / "keyaccount").rglob("*.hpp")]
    sources += [(p, p.relative_to(root / "src").as_posix())
                for p in (root / "src").rglob("*") if p.suffix in (".hpp", ".cpp")]
    for path, rel in sorted(sources):
        own = layer_of(rel, areas, files)
        if own is None:
            if rel.startswith("cli/"):  # the CLI may include anything
                continue
            # A new folder must be placed in the order before it can be checked.
            found.append(f"{path.relative_to(root)}: in no layer: "
                         "add its folder to src/layers.json")
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = library_path(m.group(1), path, root)
            other = layer_of(target, areas, files) if target else None
            if other is None or other == own or other in allowed[own]:
                continue
            found.append(f"{path.relative_to(root)}:{number}: {own} includes {m.group(1)} "
                         f"({other}): a layer may include only {sorted(allowed[own]) or 'itself'}")
    return found


# The one binding file that may include the CLI: it runs the `keyaccount` command itself.
COMMAND_ENTRY_POINT = "bind_cli.cpp"


def binding_violations(root: Path) -> list[str]:
    """The Python binding's library functions use the library, never the CLI's code."""
    found = []
    cli = root / "src" / "cli"
    for path in sorted((root / "bindings" / "python").glob("*.cpp")):
        if path.name == COMMAND_ENTRY_POINT:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if m and not m.group(1).startswith("keyaccount/") and (cli / m.group(1)).is_file() \
                    and not (path.parent / m.group(1)).is_file():
                found.append(f"{path.relative_to(root)}:{number}: a binding includes the CLI's "
                             f"{m.group(1)} (only {COMMAND_ENTRY_POINT} may)")
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[2]
    found = violations(root) + binding_violations(root)
    for v in found:
        print(v)
    checked = sum(1 for _ in (root / "src").rglob("*.cpp"))
    print(f"layers: {len(found)} problem(s) with the layer order, {checked} sources checked")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
