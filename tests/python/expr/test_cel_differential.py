"""Issue 21 item 4: keyaccount's CEL against Google's runtime (cel-expr-python, wrapping cel-cpp)
on seeded random well-typed expressions. Every disagreement is a keyaccount bug or a divergence
documented in docs/cel.md; this bounded run keeps it so. A longer campaign:
`python tests/python/expr/cel_differential.py 200000 SEED` (figures in docs/reliability.md)."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("cel_expr_python")  # a test dependency (pyproject.toml, extra "test")

from cel_differential import (  # noqa: E402  (pytest puts this folder on sys.path)
    CLOSE, OPEN, Generator, Outcome, _google_env, agree, campaign, known_divergence, plain,
    run_google, run_keyaccount)


@pytest.fixture(scope="module")
def env():
    return _google_env()


@pytest.mark.parametrize("seed, mixed_ordering", [(11, False), (12, False), (13, True)])
def test_random_expressions_agree_or_diverge_as_documented(seed, mixed_ordering):
    result = campaign(2500, seed, mixed_ordering=mixed_ordering)
    shown = "\n".join(f"{e}\n  keyaccount: {o}\n  cel-cpp:    {t}" for e, o, t in result.findings[:10])
    assert not result.findings, f"{len(result.findings)} unexplained disagreements:\n{shown}"
    # The run compared real work: most expressions give values, many give errors in both.
    assert result.values_agreed > 1500 and result.errors_agreed > 200


def test_the_generator_writes_expressions_both_checkers_accept(env):
    gen = Generator(random.Random(5))
    for _ in range(300):
        expr = plain(gen.expression())
        assert run_keyaccount(expr).accepted, expr
        assert run_google(env, expr).accepted, expr


@pytest.mark.parametrize("expr, expected", [
    ('string(double(2147483647))', "2.147483647e+09"),  # was "2147483647" before this campaign
    ('string(1234567.0)', "1.234567e+06"),
    ('string(123456.0)', "123456"),
    ('string(1e-5)', "1e-05"),
    ('string(0.1 + 0.2)', "0.30000000000000004"),
    ('string(-0.0)', "-0"),
])
def test_string_of_a_double_is_written_as_google_writes_it(env, expr, expected):
    ours, theirs = run_keyaccount(expr), run_google(env, expr)
    assert ours.value == expected
    assert agree(ours, theirs)


def test_a_disagreement_is_a_finding_unless_its_divergence_explains_it(env):
    # The comparison can fail: a different value, an error against a value, int against double.
    assert not agree(Outcome(True, value=1), Outcome(True, value=1.0))
    assert not agree(Outcome(True, error=True), Outcome(True, value=0))
    assert not agree(Outcome(True, value=[1, 2]), Outcome(True, value=[1, 3]))
    # A documented divergence explains only the disagreement it causes.
    lenient = 'int(" 5")'
    assert not agree(run_keyaccount(lenient), run_google(env, lenient))
    assert known_divergence(env, lenient, run_keyaccount(lenient),
                            run_google(env, lenient)) == "numeric_text_leniency"
    other = Outcome(True, value=6)
    assert known_divergence(env, "x - 1", Outcome(True, value=7), other) is None
    # A non-finite double's text, also when it goes on into size() or a comparison.
    for marked in (f"string({OPEN}1.0 / 0.0{CLOSE})", f"size(string({OPEN}-1.0 / 0.0{CLOSE}))",
                   f'string({OPEN}0.0 / 0.0{CLOSE}) > "M"'):
        ours, theirs = run_keyaccount(plain(marked)), run_google(env, plain(marked))
        assert not agree(ours, theirs), marked
        assert known_divergence(env, marked, ours, theirs) == "non_finite_string_spelling"
    # Both at once are recognised together.
    both = f'size(string({OPEN}double(" 5") / 0.0{CLOSE}))'
    ours, theirs = run_keyaccount(plain(both)), run_google(env, plain(both))
    assert known_divergence(env, both, ours, theirs) == \
        "numeric_text_leniency+non_finite_string_spelling"
