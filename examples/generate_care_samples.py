"""Generates the maintenance samples (deterministic): examples/accounts.jsonl (activity log of
the customers in examples/customers.jsonl), examples/complaints.jsonl, examples/stock.csv,
examples/orders.csv, examples/symposium.jsonl (the yearly symposium's records, Art. 10) and
examples/visits.jsonl (the senior-management visit plan, Art. 9) and examples/supply_stock.csv
(stock on hand and arriving, for the supply watch, Art. 7.1-7.2). Run from the repository root: python3 examples/generate_care_samples.py"""
import csv
import datetime as dt
import json
import random

rng = random.Random(6)
as_of = dt.date(2026, 6, 30)
customers = [json.loads(line) for line in open("examples/customers.jsonl", encoding="utf-8")]


def before(lo, hi):
    return (as_of - dt.timedelta(days=rng.randint(lo, hi))).isoformat()


with open("examples/accounts.jsonl", "w", encoding="utf-8") as out:
    for c in customers:
        rec = {"id": c["id"], "tier": "regular", "last_done": {
            "regular_visit": before(0, 45),
            "profile_review": before(0, 120),
            "executive_visit": before(20, 200),
            "proposal_campaign": before(0, 100),
            "holiday_gift@spring_festival": "2026-02-03"},
            "gift_amount": rng.choice([500, 800, 1200])}
        if rng.random() < 0.1:
            del rec["last_done"]["regular_visit"]  # never visited
        out.write(json.dumps(rec) + "\n")

categories = ["product_appearance", "production", "transport", "after_sales", "other"]
with open("examples/complaints.jsonl", "w", encoding="utf-8") as out:
    for i in range(12):
        c = rng.choice(customers)
        raised = as_of - dt.timedelta(days=rng.randint(0, 30))
        rec = {"id": f"K{i + 1:03d}", "customer": c["id"], "category": rng.choice(categories),
               "recorder": c.get("owner", ""), "raised_on": raised.isoformat(),
               "recorded_on": raised.isoformat()}
        # What happened after as_of is not known on as_of: a report or resolution that would
        # fall later is left out (a report "as of" a day ignores later facts with a warning).
        if rng.random() < 0.5 and raised + dt.timedelta(days=1) <= as_of:
            rec["reported_on"] = (raised + dt.timedelta(days=1)).isoformat()
        if rng.random() < 0.3 and raised + dt.timedelta(days=5) <= as_of:
            rec["resolved_on"] = (raised + dt.timedelta(days=5)).isoformat()
        out.write(json.dumps(rec) + "\n")

with open("examples/stock.csv", "w", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["product", "spec", "quantity"])
    for product, spec, qty in [("cable", "3x2.5", 1200), ("cable", "3x4", 400), ("switch", "16A", 250)]:
        w.writerow([product, spec, qty])

with open("examples/orders.csv", "w", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "customer", "tier", "product", "spec", "quantity", "ordered_at"])
    for i in range(40):
        c = rng.choice(customers)
        product, spec = rng.choice([("cable", "3x2.5"), ("cable", "3x4"), ("switch", "16A")])
        when = dt.datetime(2026, 11, 1) + dt.timedelta(hours=rng.randint(0, 24 * 20))
        w.writerow([f"L{i + 1:03d}", c["id"], rng.choice(["key", "key", "regular"]), product, spec,
                    rng.randint(1, 12) * 10, when.isoformat(timespec="minutes")])

# The symposium (Art. 10), one record a year: 2025's held on 12-12 (before the policy took
# effect: history only), 2026's planned for 12-10 with the first invitations sent in June to
# the largest government and large-enterprise customers shipping in each of the last 12 months
# (Art. 4: key customers on 2026-06-30).
largest = sorted((c for c in customers if c.get("owner")
                  and c["category"] in ("government", "large_enterprise")
                  and all(x > 0 for x in c["monthly_shipments"][-12:])),
                 key=lambda c: -c["cumulative_amount"])[:4]
with open("examples/symposium.jsonl", "w", encoding="utf-8") as out:
    invited_2025 = {c["id"]: "2025-11-05" for c in largest[:3]}
    out.write(json.dumps({"date": "2025-12-12", "held": True, "invited": invited_2025,
                          "attended": sorted(invited_2025)[:2]}) + "\n")
    out.write(json.dumps({"date": "2026-12-10",
                          "invited": {c["id"]: "2026-06-22" for c in largest}}) + "\n")

# The visit plan (Art. 9: senior-management visits by plan, at no fixed interval): visits of
# two thirds of the likely key customers (Art. 4) by the General Manager or the Customer Service
# Manager over the next half year; two visits already past, one done and one not. A random
# generator of its own, so that the files above stay as they were.
vrng = random.Random(9)


def months_since(first: str) -> int:
    d = dt.date.fromisoformat(first)
    return (as_of.year - d.year) * 12 + as_of.month - d.month - (as_of.day < d.day)


def key_on_as_of(c) -> bool:
    """The default policy's Art. 4-5 rules (README), to pick key customers without the library."""
    s = c["monthly_shipments"]
    art4 = c["category"] in ("government", "large_enterprise", "monopoly") and s and \
        all(x > 0 for x in s[-12:])
    last3 = s[-3:] if len(s) >= 3 else []
    art5 = c["cumulative_amount"] > 500 or (last3 and all(x > 50 for x in last3)) or \
        (months_since(c["first_order"]) < 12 and last3 and all(x > 30 for x in last3))
    return bool(art4 and art5)


likely_key = [c for c in customers if c.get("owner") and key_on_as_of(c)]
with open("examples/visits.jsonl", "w", encoding="utf-8") as out:
    for i, c in enumerate(likely_key[: len(likely_key) * 2 // 3]):
        rec = {"customer": c["id"], "executive": vrng.choice(["gm-1", "csm-1"])}
        if i == 0:
            rec.update(date="2026-06-10", done_on="2026-06-10", briefed_on="2026-06-02")
        elif i == 1:
            rec["date"] = "2026-06-24"  # past and not done: compliance reports it
        else:
            rec["date"] = (as_of + dt.timedelta(days=vrng.randint(3, 170))).isoformat()
            if vrng.random() < 0.3:
                rec["briefed_on"] = as_of.isoformat()
        out.write(json.dumps(rec) + "\n")

# The supply watch's stock (Art. 7.1-7.2): on hand and arriving, valued in 万元 as the default
# policy's demand rule reads the customers' monthly shipments. About 5,100 万元 a month of key
# customers' demand against 9,000 on hand and 4,500 arriving: short in September 2026.
with open("examples/supply_stock.csv", "w", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["product", "spec", "quantity", "arrives_on"])
    for row in [("cable", "3x2.5", 4200, ""), ("cable", "3x4", 2800, ""), ("switch", "16A", 2000, ""),
                ("cable", "3x2.5", 3000, "2026-08-12"), ("switch", "16A", 1500, "2026-09-20")]:
        w.writerow(row)
