"""setup/make_demo_year.py: a small year (20 customers, 3 months) on a
database made as setup/run makes the demo's (a Hong Kong company: HKD, Hong
Kong's chart of accounts; the addons with their demo data) gives every
analytic screen figures a manager can read, and a second run loads
nothing."""

import json
import os

import pytest
from conftest import ADDON_NAMES
from conftest import LATE_BRIDGES
from conftest import ROOT
from conftest import drop_db
from conftest import install_quietly
from conftest import log_problems
from conftest import run_odoo

SCRIPT = ROOT / "setup" / "make_demo_year.py"

# what a manager opens, read through the ORM as the screens do
CHECK = r"""
import json
from datetime import timedelta
import pytz
from odoo import fields
Seg = env["crm.segment.analysis.report"]
segments = Seg._read_group([], ["segment_id"], ["customer_count:sum", "revenue:sum"])
eff = env["crm.call.effectiveness"].search([], order="id desc", limit=1)
prog = env["crm.relationship.programme"].search([("name", "=", "Harbour Circle Appreciation")])
months = lambda model, field: sorted(
    str(m) for m, in env[model]._read_group([], [field + ":month"], []))
tickets = env["helpdesk.ticket"]._read_group([], ["sla_status"], ["__count"])
leads = env["crm.lead"].with_context(active_test=False).search([("type", "=", "opportunity")])
calls = env["crm.call"].search([("state", "=", "done")])
review = env["crm.customer.review"].search([("state", "=", "approved")], limit=1)
def liability():
    # the points liability: roll-forward closing, sub-ledger, general ledger
    if "crm.loyalty.account.config" not in env:
        return None
    config = env["crm.loyalty.account.config"].search([], limit=1)
    rows = env["crm.loyalty.account.report"]._read_group(
        [("is_last", "=", True)], [], ["closing_amount:sum"])
    entries = env["crm.loyalty.account.entry"]._read_group([], [], ["amount:sum", "__count"])
    env.flush_all()
    env.cr.execute("SELECT coalesce(sum(balance), 0) FROM account_move_line"
                   " WHERE account_id = %s AND parent_state = 'posted'",
                   [config.liability_account_id.id])
    ledger = -env.cr.fetchone()[0]  # before the next query reuses the cursor
    months = len(env["crm.loyalty.account.report"]._read_group([], ["date:month"], []))
    return [round(rows[0][0] or 0.0, 2), round(entries[0][0] or 0.0, 2), round(ledger, 2),
            entries[0][1], months]


def months_of(model, field, domain=()):
    if model not in env:
        return None
    return sorted(str(m) for m, in env[model]._read_group(list(domain), [field + ":month"], []))


def planned_load():
    # the next four weeks: calls per caller and day against the caller's
    # capacity, and the busiest day's share of the calls falling due in
    # the horizon (the overdue ones, due by the plan's first day, are the
    # first day's catch-up: the addons' own demo accounts were never called)
    calls = env["crm.call"].search([("state", "=", "planned"),
                                    ("planned_date", ">=", fields.Datetime.now())])
    first = min(filter(None, calls.mapped("due_date")), default=None)
    per_caller, per_day = {}, {}
    for call in calls:
        # the caller's own day, as the planner counts it
        tz = pytz.timezone(call.caller_id.tz or call.caller_id.resource_calendar_id.tz or "UTC")
        day = pytz.utc.localize(call.planned_date).astimezone(tz).date()
        per_caller[call.caller_id, day] = per_caller.get((call.caller_id, day), 0) + 1
        if call.due_date and call.due_date > first:
            per_day[day] = per_day.get(day, 0) + 1
    over = [f"{c.name} {d}: {n} > {c.daily_capacity}" for (c, d), n in per_caller.items()
            if n > c.daily_capacity]
    # Hong Kong's general holidays (company-wide leaves): no call planned
    holidays = {(leave.date_from + timedelta(hours=8)).date()
                for leave in env["resource.calendar.leaves"].search([("resource_id", "=", False)])}
    planned_days = {call.planned_date.date() for call in calls}
    return {"calls": len(calls), "ahead": sum(per_day.values()), "days": len(per_day),
            "busiest": max(per_day.values(), default=0), "over_capacity": over,
            "holidays": len(holidays),
            "per_day": {str(day): n for day, n in sorted(per_day.items())},
            "on_holidays": sorted(str(day) for day in planned_days if day in holidays)}


def badges():
    # a customer's "Active" / "At Risk" is its lifecycle stage: the customer
    # form and the segment analysis show the same, and no RFM class badge
    # names a stage
    stage = env["res.partner"]._fields["lifecycle_stage"]
    labels = {label.lower() for _key, label in stage._description_selection(env)}
    rows = env["crm.segment.analysis.report"].search([])
    return {
        "rfm_classes_named_as_a_stage": sorted(
            name for name in env["crm.customer.rfm.class"].search([]).mapped("name")
            if name.lower() in labels),
        "analysis_disagrees": len(rows.filtered(
            lambda r: r.lifecycle_stage != r.partner_id.lifecycle_stage)),
        "customers": len(rows),
    }


ours = env["res.partner"].search([("phone", "=like", "+852%")])
orders = env["sale.order"].search([("partner_id", "in", ours.ids)])
invoices = env["account.move"].search([("partner_id", "in", ours.ids),
                                       ("move_type", "in", ("out_invoice", "out_refund"))])
ivy = env["loyalty.card"].search(
    [("partner_id", "=", env.ref("crm_loyalty.partner_member_individual").id)])


facts = {
    "segments_with_customers": sum(1 for s, n, r in segments if s and n),
    "segments_with_revenue": sum(1 for s, n, r in segments if s and r > 0),
    "effectiveness_n": max([0] + [max(l.corr_health_n, l.corr_satisfaction_n)
                                  for l in eff.line_ids]),
    "programme": [prog.member_count, prog.holdout_count, prog.revenue_significance,
                  prog.revenue_ci_low, prog.revenue_ci_high, prog.nps_before, prog.nps_after],
    "health_months": months("crm.customer.health.history", "date"),
    "rfm_months": months("crm.customer.rfm", "period"),
    "sla": {status: n for status, n in tickets},
    "won": len(leads.filtered(lambda l: l.won_status == "won")),
    "lost_with_reason": len(leads.filtered("lost_reason_id")),
    "agency_calls": len(calls.filtered("agency_id")),
    "inhouse_calls": len(calls.filtered(lambda c: not c.agency_id)),
    "answered_checklists": len(calls.answer_ids.filtered("is_answered")),
    "planned_ahead": env["crm.call"].search_count([("state", "=", "planned"),
                                                  ("planned_date", ">=", fields.Datetime.now())]),
    "owed_cards": env["loyalty.card"].search_count([("crm_points_owed", ">", 0)]),
    "tiers": env["loyalty.card"].search_count([("crm_tier_id", "!=", False)]),
    "review_actions": sorted(review.action_ids.mapped("state")),
    "partners": env["res.partner"].search_count([]),
    "hk_duplicates": env["crm.data.quality.issue"].search_count(
        [("check_type", "=", "duplicate"), ("partner_id.country_id.code", "=", "HK")]),
    "hk_customers": env["res.partner"].search_count([("phone", "=like", "+852%")]),
    "zh_hk": env["res.partner"].search_count([("lang", "=", "zh_HK")]),
    "liability": liability(),
    # when the year's records say they happened (not all today)
    "dated_months": {
        "segment history": months_of("crm.customer.segment.history", "date"),
        "tier history": months_of("crm.loyalty.tier.history", "date"),
        "card statements": months_of("loyalty.history", "create_date",
                                     [("card_id.partner_id", "in", ours.ids)]),
        "points postings": months_of("crm.loyalty.posting", "date",
                                     [("partner_id", "in", ours.ids)]),
        "calls held": months_of("crm.call", "date_done", [("state", "=", "done")]),
    },
    "plan": planned_load(),
    "currency": {
        "company": env.company.currency_id.name,
        "orders": sorted(set(orders.currency_id.mapped("name"))),
        "invoices": sorted(set(invoices.currency_id.mapped("name"))),
        "symbol": env.company.currency_id.symbol,
    },
    "badges": badges(),
    "ivy_expiring": [
        ivy.crm_points_expiring, sum(ivy._loyalty_expiring_lots().mapped("remaining"))
    ],
}
print("FACTS " + json.dumps(facts, default=str))
"""


@pytest.fixture
def demo_db(odoo_bin, test_db):
    """The demo's database as setup/run makes it: ``db init --country hk``,
    Hong Kong's chart (setup/hong_kong.py), then every addon with its demo
    (a few minutes: the tested database is a US company in USD, whose books
    Odoo refuses to move to HKD)."""
    db = f"{test_db}_demo_year"
    drop_db(db)
    try:
        init = run_odoo(odoo_bin, "db", "init", db, "--with-demo", "--country", "hk")
        assert init.returncode == 0 and not log_problems(init.stderr), init.stderr[-3000:]
        install_quietly(odoo_bin, db, "account,l10n_hk")
        hong_kong = run_odoo(
            odoo_bin, "shell", "-d", db, "--no-http", "--log-level=warn",
            stdin=(ROOT / "setup" / "hong_kong.py").read_text(encoding="utf-8"),
        )  # fmt: skip
        assert " hk HKD" in hong_kong.stdout, hong_kong.stdout[-1000:] + hong_kong.stderr[-3000:]
        modules = [name for name in ADDON_NAMES if name not in LATE_BRIDGES]
        install_quietly(odoo_bin, db, ",".join(modules), "--with-demo")
        yield db
    finally:
        if not os.environ.get("CCARE_KEEP_DEMO_DB"):  # to look at it after a failure
            drop_db(db)


def _facts(output):
    lines = [line for line in output.splitlines() if line.startswith("FACTS ")]
    assert lines, output[-3000:]
    return json.loads(lines[-1][len("FACTS ") :])


def test_demo_year_fills_the_analytic_screens(odoo_bin, demo_db):
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    first = subprocess.run(
        [sys.executable, str(SCRIPT), "-d", demo_db, "--customers", "20", "--months", "3",
         "--seed", "7", "--odoo-bin", odoo_bin[-1]],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-3000:]
    assert "loaded in" in first.stdout, first.stdout[-2000:] + first.stderr[-3000:]
    assert not log_problems(first.stderr), log_problems(first.stderr)

    # a second run (same process as the checks) loads nothing
    again = run_odoo(
        odoo_bin, "shell", "-d", demo_db, "--no-http", "--log-level=warn",
        stdin="before = env['res.partner'].search_count([])\n"
        + SCRIPT.read_text(encoding="utf-8")
        + "\nassert env['res.partner'].search_count([]) == before\n" + CHECK,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr[-3000:]
    assert "already loaded" in again.stdout, again.stdout[-2000:]
    facts = _facts(again.stdout)

    assert facts["segments_with_customers"] >= 3, facts
    assert facts["segments_with_revenue"] >= 3, facts
    assert facts["effectiveness_n"] > 1, facts
    members, holdout, significance, low, high, nps_before, nps_after = facts["programme"]
    assert members > 1 and holdout > 1, facts
    assert significance != "undefined" and low < high, facts
    assert nps_after > nps_before, facts
    assert len(facts["health_months"]) >= 3, facts
    assert len(facts["rfm_months"]) >= 3, facts
    assert facts["sla"].get("met") and facts["sla"].get("missed"), facts
    assert facts["won"] and facts["lost_with_reason"], facts
    assert facts["agency_calls"] and facts["inhouse_calls"], facts
    assert facts["answered_checklists"] >= facts["agency_calls"], facts
    assert facts["planned_ahead"] > 0, facts
    # 3: the year's histories are dated over the months they represent
    for name, months in facts["dated_months"].items():
        if months is not None:
            assert len(months) >= 2, (name, facts["dated_months"])
    assert len(facts["dated_months"]["points postings"]) >= 3, facts["dated_months"]
    # 4: the next four weeks fit each caller's day, spread over the days
    plan = facts["plan"]
    assert not plan["over_capacity"], plan
    assert plan["ahead"] and plan["days"] >= 2 and plan["busiest"] <= plan["ahead"] / 2, str(plan)
    # ... and no call on Hong Kong's general holidays (company-wide leaves)
    assert plan["holidays"] >= 30 and not plan["on_holidays"], plan
    # 6: a Hong Kong company: every amount in HKD (HK$)
    currency = facts["currency"]
    assert currency["company"] == "HKD" and currency["symbol"] == "HK$", currency
    assert currency["orders"] == ["HKD"] and currency["invoices"] == ["HKD"], currency
    # 5: one definition of Active / At Risk (the lifecycle stage)
    badges = facts["badges"]
    assert not badges["rfm_classes_named_as_a_stage"], badges
    assert badges["customers"] and not badges["analysis_disagrees"], badges
    # 7: the addons' demo story is left as it is (crm_loyalty's
    # TestDemoPointsExpiringCrossScreen): Ivy's 60 points expire soon
    assert facts["ivy_expiring"] == [60, 60], facts["ivy_expiring"]
    assert facts["owed_cards"] >= 1 and facts["tiers"] >= 1, facts
    assert "done" in facts["review_actions"] and "open" in facts["review_actions"], facts
    assert facts["hk_customers"] >= 20 and facts["zh_hk"] >= 1, facts
    assert facts["hk_duplicates"] >= 2, facts  # each twin of a pair is flagged
    if facts["liability"] is not None:  # crm_loyalty_account: the month-end postings
        closing, subledger, ledger, entries, months = facts["liability"]
        assert closing > 0 and closing == subledger == ledger, facts
        assert entries and months >= 3, facts
