#!/usr/bin/env python3
"""Deterministic generator of sample customers for the default policy.

    python3 examples/generate_customers.py > examples/customers.jsonl        # 300 customers
    python3 examples/generate_customers.py --count 100000 --seed 7 > big.jsonl

Every path of the default policy's classification is covered on purpose (key through Art. 5.1,
5.2 or 5.3; regular through the category, a month without shipments, exactly 500 万元, a customer
just past its first year, a series shorter than 3 months), the rest is random. Evaluation date
of the sample: AS_OF. Importable: ``generate(count, seed)`` returns the records as dicts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys

AS_OF = dt.date(2026, 6, 30)
CATEGORIES = ["government", "large_enterprise", "monopoly", "other"]
CITIES = ["Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu", "Wuhan", "Xi'an", "Nanjing"]
KINDS = ["Steel", "Power Grid", "Logistics", "Telecom", "Municipal Water", "Foods", "Machinery"]


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(y, m + 1, min(day.day, 28))


def _series(rng: random.Random, n: int, level: float) -> list[float]:
    return [round(max(0.0, rng.gauss(level, level * 0.25)), 1) for _ in range(n)]


def _profile(rng: random.Random, i: int) -> dict | None:
    roll = rng.random()
    if roll < 0.15:
        return None
    card: dict = {"updated_on": (AS_OF - dt.timedelta(days=rng.randint(0, 400))).isoformat()}
    if rng.random() < 0.85:
        card["address"] = f"{rng.randint(1, 999)} {rng.choice(CITIES)} Road"
    if rng.random() < 0.8:
        card["contacts"] = [f"contact-{i}-{k}" for k in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        card["industry"] = rng.choice(KINDS)
    return card


def _customer(rng: random.Random, i: int, shape: str) -> dict:
    months = 36
    first_order = _months_before(AS_OF, rng.randint(13, 120))
    category = rng.choice(CATEGORIES[:3])
    level = rng.uniform(5, 45)
    series: list[float]
    cumulative = None
    if shape == "cumulative":          # Art. 5.1
        series = _series(rng, months, level)
        cumulative = round(rng.uniform(520, 3000), 1)
    elif shape == "shipments":         # Art. 5.2
        series = _series(rng, months - 3, level) + [round(rng.uniform(51, 120), 1) for _ in range(3)]
    elif shape == "new":               # Art. 5.3: first order under 12 months ago
        age = rng.randint(3, 11)
        first_order = _months_before(AS_OF, age)
        series = [round(rng.uniform(31, 49), 1) for _ in range(age)]
        months = age
    elif shape == "other":             # Art. 4.1 fails
        category = "other"
        series = _series(rng, months, rng.uniform(40, 120))
        cumulative = round(rng.uniform(100, 3000), 1)
    elif shape == "gap":               # Art. 4.2 fails: a month at zero in the last 12
        series = _series(rng, months, rng.uniform(55, 120))
        series[rng.randint(months - 12, months - 1)] = 0.0
        cumulative = round(rng.uniform(600, 3000), 1)
    elif shape == "exactly500":        # Art. 5.1 boundary
        series = _series(rng, months, 10)
        cumulative = 500.0
    elif shape == "twelve":            # first order exactly 12 months ago: no longer new
        first_order = _months_before(AS_OF, 12).replace(day=AS_OF.day)
        series = [round(rng.uniform(31, 49), 1) for _ in range(12)]
    elif shape == "short":             # a series shorter than 3 months
        first_order = _months_before(AS_OF, 2)
        series = [round(rng.uniform(60, 90), 1) for _ in range(rng.randint(0, 2))]
        months = len(series)
    else:                              # random
        category = rng.choice(CATEGORIES)
        months = rng.randint(0, 36)
        series = _series(rng, months, rng.uniform(5, 90))
        if months and rng.random() < 0.2:
            series[rng.randrange(months)] = 0.0
    if cumulative is None:
        cumulative = round(min(sum(series), rng.uniform(50, 499)), 1)
    record = {
        "id": f"C{i:05d}",
        "name": f"{rng.choice(CITIES)} {rng.choice(KINDS)} Co. #{i}",
        "category": category,
        "first_order": first_order.isoformat(),
        "monthly_shipments": series,
        "cumulative_amount": cumulative,
    }
    if rng.random() < 0.7:
        record["owner"] = f"specialist-{rng.randint(1, 12)}"
    profile = _profile(rng, i)
    if profile is not None:
        record["profile"] = profile
    return record


SHAPES = ["cumulative", "shipments", "new", "other", "gap", "exactly500", "twelve", "short"]


def generate(count: int = 300, seed: int = 2026) -> list[dict]:
    """``count`` customers; the first len(SHAPES) * 3 cover every path, the rest are random."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        shape = SHAPES[i % len(SHAPES)] if i < len(SHAPES) * 3 or rng.random() < 0.4 else "random"
        out.append(_customer(rng, i + 1, shape))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    for record in generate(args.count, args.seed):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
