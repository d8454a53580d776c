"""Differential testing of keyaccount's CEL against Google's runtime (cel-expr-python, which wraps
cel-cpp): random well-typed expressions over the subset both implement (docs/cel.md), evaluated
by both, compared on checker acceptance, error-or-value, and the value itself.

Used by tests/python/expr/test_cel_differential.py (a bounded, seeded run in scripts/test) and by
`python tests/python/expr/cel_differential.py COUNT [SEED] [--mixed-ordering]` for a longer campaign (its figures are
in docs/reliability.md). Documented divergences (docs/cel.md, "Differences from cel-cpp") are
recognised by `known_divergence` and counted apart; anything else is a finding.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

# The variables every expression may read, with a value and their CEL type name.
VARIABLES: dict[str, tuple[str, Any]] = {
    "x": ("int", 7),
    "n": ("int", -3),
    "big": ("int", 9223372036854775807),
    "y": ("double", 2.5),
    "z": ("double", -0.0),
    "s": ("string", "héllo wörld"),
    "t": ("string", "lo"),
    "xs": ("list(int)", [3, 1, 4, 1, 5]),
    "ws": ("list(string)", ["a", "bc", ""]),
    "m": ("map(string, int)", {"a": 1, "b": 2}),
}

INT_LITERALS = [0, 1, 2, 3, -1, 10, 255, 1000, 2147483647, -2147483648, 9223372036854775807,
                -9223372036854775807, 4611686018427387904]
DOUBLE_LITERALS = ["0.0", "1.5", "-2.25", "1e3", "2.5e-3", ".5", "1e308", "3.0", "0.1", "100.0",
                   "9.2e18", "-9.3e18"]
STRING_LITERALS = ['""', '"a"', '"lo"', '"héllo"', "'x\\ty'", '"12"', '"-7"', '"true"', '"1e3"',
                   '"abc"', '"\\u00e9"', "r'\\d+'", '" 5"', '"5 "', '"9223372036854775808"', '"f"',
                   '"0x1F"', '"+3"', '"1.5"', '"-0"', '"inf"', '"NaN"', '"1e400"', '"\\U0001F600"',
                   '"💡"']
MAP_KEYS = ['"a"', '"b"', '"c"', "s"]
BOOL_TEXTS = ['"true"', '"false"', '"t"', '"0"', '"yes"', '"TRUE"']
PATTERNS = ['"^h"', '"l+"', '"[0-9]"', '"o w"']


@dataclass
class Generator:
    """Random well-typed expressions, at most `depth` levels deep."""

    rng: random.Random
    depth: int = 4
    # Also write int-against-double ordering (`x < 2.5`): keyaccount's checker accepts it (a
    # documented extension), Google's does not, so those run with Google's checker off.
    mixed_ordering: bool = False

    def pick(self, options: list[Callable[[int], str]], d: int) -> str:
        return self.rng.choice(options)(d)

    def int_(self, d: int) -> str:
        leaves: list[Callable[[int], str]] = [
            lambda _: str(self.rng.choice(INT_LITERALS)),
            lambda _: self.rng.choice(["x", "n", "big"]),
            lambda _: f"size({self.rng.choice(['s', 't', 'xs', 'ws', 'm'])})",
        ]
        if d <= 0:
            return self.pick(leaves, d)
        return self.pick(leaves + [
            lambda d: f"({self.int_(d - 1)} {self.rng.choice('+-*/%')} {self.int_(d - 1)})",
            lambda d: f"-{self.int_(d - 1)}",
            lambda d: f"int({self.double(d - 1)})",
            lambda d: f"int({self.rng.choice(STRING_LITERALS)})",
            lambda d: f"size({self.string(d - 1)})",
            lambda d: f"({self.bool_(d - 1)} ? {self.int_(d - 1)} : {self.int_(d - 1)})",
            lambda d: f"{self.int_list(d - 1)}[{self.int_(d - 1)}]",
            lambda d: f"m[{self.rng.choice(MAP_KEYS)}]",
            lambda d: f"size({self.int_list(d - 1)})",
        ], d)

    def double(self, d: int) -> str:
        leaves: list[Callable[[int], str]] = [
            lambda _: self.rng.choice(DOUBLE_LITERALS),
            lambda _: self.rng.choice(["y", "z"]),
        ]
        if d <= 0:
            return self.pick(leaves, d)
        return self.pick(leaves + [
            lambda d: f"({self.double(d - 1)} {self.rng.choice('+-*/')} {self.double(d - 1)})",
            lambda d: f"-{self.double(d - 1)}",
            lambda d: f"double({self.int_(d - 1)})",
            lambda d: f"double({self.rng.choice(STRING_LITERALS)})",
            lambda d: f"({self.bool_(d - 1)} ? {self.double(d - 1)} : {self.double(d - 1)})",
        ], d)

    def string(self, d: int) -> str:
        leaves: list[Callable[[int], str]] = [
            lambda _: self.rng.choice(STRING_LITERALS),
            lambda _: self.rng.choice(["s", "t"]),
            lambda _: f"ws[{self.rng.randrange(-1, 4)}]",
        ]
        if d <= 0:
            return self.pick(leaves, d)
        return self.pick(leaves + [
            lambda d: f"({self.string(d - 1)} + {self.string(d - 1)})",
            lambda d: f"string({self.int_(d - 1)})",
            lambda d: f"string({OPEN}{self.double(d - 1)}{CLOSE})",
            lambda d: f"string({self.bool_(d - 1)})",
            lambda d: f"({self.bool_(d - 1)} ? {self.string(d - 1)} : {self.string(d - 1)})",
        ], d)

    def bool_(self, d: int) -> str:
        leaves: list[Callable[[int], str]] = [
            lambda _: self.rng.choice(["true", "false"]),
            lambda _: f"bool({self.rng.choice(BOOL_TEXTS)})",
        ]
        if d <= 0:
            return self.pick(leaves, d)
        cmp = ["<", "<=", ">", ">=", "==", "!="]
        return self.pick(leaves + [
            lambda d: f"({self.int_(d - 1)} {self.rng.choice(cmp)} {self.int_(d - 1)})",
            lambda d: f"({self.double(d - 1)} {self.rng.choice(cmp)} {self.double(d - 1)})",
            *([lambda d: f"({self.int_(d - 1)} {self.rng.choice(cmp[:4])} {self.double(d - 1)})",
               lambda d: f"({self.double(d - 1)} {self.rng.choice(cmp[:4])} {self.int_(d - 1)})"]
              if self.mixed_ordering else []),
            lambda d: f"({self.string(d - 1)} {self.rng.choice(cmp)} {self.string(d - 1)})",
            lambda d: f"({self.bool_(d - 1)} {self.rng.choice(['&&', '||'])} {self.bool_(d - 1)})",
            lambda d: f"!{self.bool_(d - 1)}",
            lambda d: f"{self.string(d - 1)}.{self.rng.choice(['contains', 'startsWith', 'endsWith'])}"
                      f"({self.string(d - 1)})",
            lambda d: f"({self.int_(d - 1)} in {self.int_list(d - 1)})",
            lambda d: f"({self.rng.choice(MAP_KEYS)} in m)",
            lambda d: f"{self.int_list(d - 1)}.{self.rng.choice(['all', 'exists', 'exists_one'])}"
                      f"(v, {self.int_pred(d - 1)})",
            lambda d: f"({self.int_list(d - 1)} == {self.int_list(d - 1)})",
            lambda d: f"{self.string(d - 1)}.matches({self.rng.choice(PATTERNS)})",
        ], d)

    def int_pred(self, d: int) -> str:
        """A predicate over the comprehension variable `v` (an int)."""
        k = self.int_(max(d - 1, 0))
        return self.rng.choice([f"v > {k}", f"v % 2 == 0", f"v / {k} > 0", f"v == {k}",
                                f"v * {k} < 100"])

    def int_list(self, d: int) -> str:
        leaves: list[Callable[[int], str]] = [
            lambda _: "xs",
            lambda _: "[]",
            lambda _: f"[{', '.join(str(self.rng.choice(INT_LITERALS)) for _ in range(self.rng.randrange(1, 4)))}]",
        ]
        if d <= 0:
            return self.pick(leaves, d)
        return self.pick(leaves + [
            lambda d: f"({self.int_list(d - 1)} + {self.int_list(d - 1)})",
            lambda d: f"{self.int_list(d - 1)}.map(v, v {self.rng.choice('+-*/%')} {self.int_(d - 1)})",
            lambda d: f"{self.int_list(d - 1)}.filter(v, {self.int_pred(d - 1)})",
            lambda d: f"[{self.int_(d - 1)}, {self.int_(d - 1)}]",
        ], d)

    def expression(self) -> str:
        """A random expression, marked (see `plain` and `known_divergence`)."""
        kind = self.rng.choice([self.int_, self.double, self.string, self.bool_, self.int_list])
        return kind(self.rng.randrange(1, self.depth + 1))


@dataclass
class Outcome:
    """What one runtime made of an expression."""

    accepted: bool  # the checker accepted it
    error: bool = False  # it evaluated to an error
    value: Any = None
    message: str = ""


def _google_env():
    from cel_expr_python import cel

    types = {"int": cel.Type.INT, "double": cel.Type.DOUBLE, "string": cel.Type.STRING,
             "list(int)": cel.Type.List(cel.Type.INT),
             "list(string)": cel.Type.List(cel.Type.STRING),
             "map(string, int)": cel.Type.Map(cel.Type.STRING, cel.Type.INT)}
    return cel.NewEnv(variables={k: types[t] for k, (t, _) in VARIABLES.items()})


def run_google(env: Any, expr: str, check: bool = True) -> Outcome:
    try:
        program = env.compile(expr, disable_check=not check)
    except Exception as e:  # noqa: BLE001 - cel-expr-python raises RuntimeError for all of them
        return Outcome(False, message=str(e).splitlines()[0])
    result = program.eval(data={k: v for k, (_, v) in VARIABLES.items()})
    if result.type().name() == "ERROR":
        return Outcome(True, error=True, message=str(result.value()))
    return Outcome(True, value=result.plain_value())


def run_keyaccount(expr: str) -> Outcome:
    import keyaccount
    from keyaccount import cel

    declarations = {k: t for k, (t, _) in VARIABLES.items()}
    try:
        program = cel.compile(expr, declarations)
    except keyaccount.ExpressionError as e:
        return Outcome(False, message=str(e).splitlines()[-1].strip())
    try:
        return Outcome(True, value=program.evaluate({k: v for k, (_, v) in VARIABLES.items()}))
    except keyaccount.EvaluationError as e:
        return Outcome(True, error=True, message=str(e))


def same_value(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    return a == b


def agree(ours: Outcome, theirs: Outcome) -> bool:
    if ours.accepted != theirs.accepted:
        return False
    if not ours.accepted:
        return True
    if ours.error or theirs.error:
        return ours.error == theirs.error
    return same_value(ours.value, theirs.value)


def known_divergence(env: Any, marked: str, ours: Outcome, theirs: Outcome) -> Optional[str]:
    """The name of the documented divergence (docs/cel.md, "Differences from Google's runtime")
    that explains a disagreement, or None when it is unexplained: a finding.

    `marked` is the expression as the generator wrote it (`string(double)` arguments between
    OPEN and CLOSE). A divergence explains a disagreement only when the disagreement disappears
    with the diverging input made neutral, not because the expression merely contains it."""
    neutralisers = {
        # cel-cpp's int()/double() read " 5" and "5 " (surrounding whitespace) and double()
        # reads "0x1F" (hexadecimal); keyaccount refuses both, as cel-go does for whitespace.
        "numeric_text_leniency": (lambda e: _LENIENT_TEXT.search(e) is not None,
                                  lambda e: _LENIENT_TEXT.sub(
                                      lambda m: f'{m.group(1)}("{_NEUTRAL[m.group(2)]}")', e)),
        # string() of a non-finite double is spelt differently by each runtime: replaced by one
        # text both write alike, wherever the string goes next (size(), comparisons...).
        "non_finite_string_spelling": (lambda e: OPEN in e, _without_non_finite_text),
    }
    present = [name for name, (found, _) in neutralisers.items() if found(marked)]
    for size in range(1, len(present) + 1):
        for names in itertools.combinations(present, size):
            neutral = marked
            for name in names:
                neutral = neutralisers[name][1](neutral)
            neutral = plain(neutral)
            if agree(run_keyaccount(neutral), run_google(env, neutral, check=False)):
                return "+".join(names)
    return None


# Around the argument of string(double) in generated text (removed by `plain`).
OPEN, CLOSE = "\x01", "\x02"
_INNERMOST_STRING_OF_DOUBLE = re.compile("string\\(\x01([^\x01\x02]*)\x02\\)")


def plain(marked: str) -> str:
    """The expression as the runtimes read it."""
    return marked.replace(OPEN, "").replace(CLOSE, "")


def _without_non_finite_text(marked: str) -> str:
    """Each string(D) of a double D written so that a non-finite D gives one agreed text."""
    while True:
        rewritten = _INNERMOST_STRING_OF_DOUBLE.sub(
            lambda m: (f'(({m.group(1)}) != ({m.group(1)}) || ({m.group(1)}) == 1.0 / 0.0 || '
                       f'({m.group(1)}) == -1.0 / 0.0 ? "non-finite" : string({m.group(1)}))'),
            marked)
        if rewritten == marked:
            return marked
        marked = rewritten


# The string literals cel-cpp's conversions read and keyaccount's refuse, and what both read.
_LENIENT_TEXT = re.compile(r'(int|double)\("( 5|5 |0x1F)"\)')
_NEUTRAL = {" 5": "5", "5 ": "5", "0x1F": "31"}


@dataclass
class Campaign:
    compared: int = 0
    both_rejected: int = 0
    errors_agreed: int = 0
    values_agreed: int = 0
    divergences: dict[str, int] = field(default_factory=dict)
    findings: list[tuple[str, Outcome, Outcome]] = field(default_factory=list)


def campaign(count: int, seed: int, depth: int = 4, mixed_ordering: bool = False) -> Campaign:
    """Compares `count` expressions; with `mixed_ordering`, also int-against-double ordering,
    evaluated by Google's runtime with its checker off."""
    env = _google_env()
    gen = Generator(random.Random(seed), depth, mixed_ordering)
    out = Campaign()
    for _ in range(count):
        marked = gen.expression()
        expr = plain(marked)
        ours, theirs = run_keyaccount(expr), run_google(env, expr, check=not mixed_ordering)
        out.compared += 1
        if agree(ours, theirs):
            if not ours.accepted:
                out.both_rejected += 1
            elif ours.error:
                out.errors_agreed += 1
            else:
                out.values_agreed += 1
            continue
        name = known_divergence(env, marked, ours, theirs)
        if name:
            out.divergences[name] = out.divergences.get(name, 0) + 1
        else:
            out.findings.append((expr, ours, theirs))
    return out


def main(argv: list[str]) -> int:
    count = int(argv[1]) if len(argv) > 1 else 10000
    seed = int(argv[2]) if len(argv) > 2 else 1
    mixed = "--mixed-ordering" in argv
    result = campaign(count, seed, mixed_ordering=mixed)
    print(f"compared {result.compared} expressions (seed {seed}"
          f"{', int/double ordering, Google checker off' if mixed else ''}): "
          f"{result.values_agreed} equal values, {result.errors_agreed} errors in both, "
          f"{result.both_rejected} rejected by both checkers")
    for name, n in sorted(result.divergences.items()):
        print(f"documented divergence {name}: {n}")
    print(f"unexplained disagreements: {len(result.findings)}")
    for expr, ours, theirs in result.findings[:40]:
        print(f"  {expr}\n    keyaccount: {ours}\n    cel-cpp:    {theirs}")
    return 1 if result.findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
