"""Art. 7.1–7.2: the demand and supply watch (``keyaccount.care.supply_watch``), the same C++
core as ``keyaccount supply``: the policy's demand rule per key customer, cumulative demand
against stock and incoming supply, notices to Sales before a shortage, peak-season months
(Art. 7.3) flagged, located errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import keyaccount
from keyaccount import care

ROOT = Path(__file__).resolve().parents[3]
CLI = [sys.executable, "-m", "keyaccount"]


def customer(cid, months, category="large_enterprise", **extra):
    return {"id": cid, "name": f"Customer {cid}", "category": category,
            "first_order": "2020-01-15", "monthly_shipments": months,
            "cumulative_amount": 900, **extra}


CUSTOMERS = [customer("C1", [30] * 6), customer("C2", [40] * 6),
             customer("R1", [500] * 6, category="other")]   # regular: not watched
STOCK = [{"product": "cable", "spec": "3x2.5", "quantity": 60},
         {"product": "switch", "quantity": 40},
         {"product": "cable", "spec": "3x2.5", "quantity": 50, "arrives_on": "2026-08-15"}]


def test_art_7_2_a_notice_to_sales_names_the_customers_the_shortfall_and_the_article():
    df = care.supply_watch(CUSTOMERS, STOCK, "2026-06-10")
    assert list(df["month"]) == ["2026-07", "2026-08", "2026-09"]
    assert list(df["cumulative_demand"]) == [70.0, 140.0, 210.0]
    assert list(df["available"]) == [100.0, 150.0, 150.0]   # August's arrival counted from August
    assert list(df["shortfall"]) == [0.0, 0.0, 60.0]
    [notice] = df.attrs["notices"]
    assert notice["to"] == "sales_staff" and notice["from"] == "cr_specialist"
    assert notice["article"] == "art-7.2"
    assert notice["month"] == "2026-09" and notice["due"] == "2026-08-18"   # before the shortage
    assert notice["customers"] == ["C2", "C1"]
    assert notice["shortfall"] == 60.0
    assert [c["customer"] for c in df.attrs["customers"]] == ["C1", "C2"]
    assert df.attrs["article"] == "art-7.1"


def test_art_7_1_demand_is_the_last_3_months_mean_growth_adjusted():
    df = care.supply_watch([customer("G", [10, 10, 10, 20, 20, 20]),
                            customer("F", [30] * 6)], [{"product": "x", "quantity": 1000}],
                           "2026-06-10")
    assert {c["customer"]: c["monthly"] for c in df.attrs["customers"]} == {"F": 30.0, "G": 40.0}
    assert df.attrs["notices"] == []


def test_art_7_3_peak_season_months_are_flagged():
    df = care.supply_watch([customer("C1", [30] * 6)], [{"product": "x", "quantity": 20}],
                           "2026-10-25")
    assert list(df["peak_season"]) == [True, True, True]
    assert set(df["period"]) == {"11-01..01-31"}
    [notice] = df.attrs["notices"]
    assert notice["late"] and notice["due"] == "2026-10-25"
    assert notice["peak_months"] == ["2026-11", "2026-12", "2027-01"]


def test_art_7_1_the_cli_and_python_give_the_same_report(tmp_path):
    customers = tmp_path / "customers.jsonl"
    customers.write_text("".join(json.dumps(c) + "\n" for c in CUSTOMERS))
    stock = tmp_path / "stock.csv"
    stock.write_text("product,spec,quantity,arrives_on\ncable,3x2.5,60,\nswitch,,40,\n"
                     "cable,3x2.5,50,2026-08-15\n")
    r = subprocess.run([*CLI, "supply", "--as-of", "2026-06-10", "--customers", str(customers),
                        "--stock", str(stock), "--format", "json"],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 1, r.stderr   # a notice: exit 1, like compliance's findings
    from_cli = json.loads(r.stdout)
    df = care.supply_watch(customers, stock, "2026-06-10")
    assert from_cli["notices"] == df.attrs["notices"]
    assert from_cli["months"] == json.loads(df.to_json(orient="records"))


def test_art_7_1_bad_input_is_refused_where_it_is(tmp_path):
    with pytest.raises(keyaccount.InputError, match=r"stock\[1\]\.quantity: must not be negative"):
        care.supply_watch(CUSTOMERS, [STOCK[0], {"product": "cable", "quantity": -1}],
                          "2026-06-10")
    bad = tmp_path / "stock.csv"
    bad.write_text("product,spec,quantity\ncable,,60\ncable,,lots\n")
    with pytest.raises(keyaccount.InputError, match=r"stock\.csv:3: quantity: expected a number"):
        care.supply_watch(CUSTOMERS, bad, "2026-06-10")
    with pytest.raises(keyaccount.InputError, match=r"arrives_on: expected a date"):
        care.supply_watch(CUSTOMERS, [{"product": "x", "quantity": 1, "arrives_on": "soon"}],
                          "2026-06-10")
    with pytest.raises(keyaccount.InputError, match=r"stock of \"cable/3x2.5 on hand\" is given "
                                                    r"twice"):
        care.supply_watch(CUSTOMERS, [STOCK[0], STOCK[0]], "2026-06-10")


def test_art_7_1_describe_prints_the_watch():
    r = subprocess.run([*CLI, "describe"], capture_output=True, text=True, check=True)
    assert "Demand and supply watch [art-7.1, art-7.2]:" in r.stdout
    assert "notified by cr_specialist to sales_staff 14 days before" in r.stdout
