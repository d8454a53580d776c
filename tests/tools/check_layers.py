#!/usr/bin/env python3
"""Checks that every #include of the library goes down its layers, never up, and that no
Python binding file but the command's entry point includes the CLI (issue 15).

The library is layered (README, "Layout"): core → expr → policy → classify / org → workflow
→ loading → io → care, and the CLI and bindings on top. A file may include its own layer and the
layers its row below allows; anything else is reported as FILE:LINE with both layers, and the
exit status is 1. Run by ctest (`layers`); `python3 tests/tools/check_layers.py [ROOT]` by hand.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Which layers each layer may include (besides itself). Keep in step with the README's "Layout".
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "expr": {"core"},
    "policy": {"core", "expr"},
    "classify": {"core", "expr", "policy"},
    "org": {"core", "policy"},
    "workflow": {"core", "expr", "policy", "org"},
    # Loading and validating a policy file plays its workflows (workflow_may_deadlock), so it
    # sits above the workflow engine, which itself needs only the policy model.
    "loading": {"core", "expr", "policy", "org", "workflow"},
    "io": {"core", "expr", "policy", "classify"},
    "care": {"core", "expr", "policy", "classify", "org", "workflow", "loading", "io"},
}

# Files of the policy folders that belong to the loading layer, not to the model.
LOADING = {"policy/loader.hpp", "policy/default_policy.hpp", "policy/loader.cpp",
           "policy/validator.cpp", "policy/default_policy.cpp", "policy/with_parameters.cpp",
           "policy/amend.hpp", "policy/amend.cpp", "policy/detail/load_context.hpp",
           "policy/detail/load_context.cpp", "policy/detail/validator.hpp",
           "policy/detail/check_steps.hpp"}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path: str) -> str | None:
    """The layer of a library path relative to include/keyaccount/ or src/ ("expr/value.hpp",
    "classify.hpp", "policy/detail/load_context.hpp"); None for a path outside the library."""
    if path in LOADING:
        return "loading"
    top = path.split("/", 1)[0]
    top = top[:-len(".hpp")] if top.endswith(".hpp") else top
    if top in ("core", "json", "version"):
        return "core"
    return top if top in ALLOWED else None


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
    found = []
    sources = [(p, p.relative_to(root / "include" / "keyaccount").as_posix())
               for p in (root / "include" / "keyaccount").rglob("*.hpp")]
    sources += [(p, p.relative_to(root / "src").as_posix())
                for p in (root / "src").rglob("*") if p.suffix in (".hpp", ".cpp")]
    for path, rel in sorted(sources):
        own = layer_of(rel)
        if own is None:
            if rel.startswith("cli/"):  # the CLI may include anything
                continue
            # A new folder must be placed in the order before it can be checked.
            found.append(f"{path.relative_to(root)}: in no layer: add its folder to ALLOWED")
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = library_path(m.group(1), path, root)
            other = layer_of(target) if target else None
            if other is None or other == own or other in ALLOWED[own]:
                continue
            found.append(f"{path.relative_to(root)}:{number}: {own} includes {m.group(1)} "
                         f"({other}): a layer may include only {sorted(ALLOWED[own]) or 'itself'}")
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
