#!/usr/bin/env python3
"""Reads `keyaccount classify --explain` JSON Lines on stdin; prints the key customers with the
criteria that made them key (observed against target) and a count per tier.

    keyaccount classify --as-of 2026-06-30 --explain examples/customers.jsonl \\
        | python3 examples/print_key_customers.py
"""

import collections
import json
import sys


def reason(c: dict) -> str:
    observed, target, unit = c.get("observed"), c.get("target"), c.get("unit_zh", "")
    if target is None:
        return f"{c['id']} {c['name_zh']}: {observed}"
    op = ">" if c.get("strict") else "≥"
    return f"{c['id']} {c['name_zh']}: {observed:g} {op} {target:g} {unit}".rstrip()


def main() -> None:
    tiers: collections.Counter = collections.Counter()
    for line in sys.stdin:
        row = json.loads(line)
        tiers[row["tier"]] += 1
        if row["tier"] != "key":
            continue
        leaves = [c for c in row["criteria"] if c["id"] in row["deciding"] and "observed" in c
                  and c["id"].count(".") == 1]
        print(f"{row['id']}  {row['tier_name_zh']} ({row['tier']}): " + "; ".join(map(reason, leaves)))
    print("tiers: " + ", ".join(f"{t} {n}" for t, n in tiers.most_common()))


if __name__ == "__main__":
    main()
