"""Generates the maintenance samples (deterministic): examples/accounts.jsonl (activity log of
the customers in examples/customers.jsonl), examples/complaints.jsonl, examples/stock.csv,
examples/orders.csv and examples/symposium.jsonl (the yearly symposium's records, Art. 10). Run from the repository root: python3 examples/generate_care_samples.py"""
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
