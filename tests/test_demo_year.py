"""setup/make_demo_year.py: a small year (20 customers, 3 months) on a copy
of the tested database gives every analytic screen figures a manager can
read, and a second run loads nothing."""

import json
import shutil

import psycopg2
import pytest
from conftest import ROOT
from conftest import log_problems
from conftest import run_odoo

SCRIPT = ROOT / "setup" / "make_demo_year.py"

# what a manager opens, read through the ORM as the screens do
CHECK = r"""
import json
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
}
print("FACTS " + json.dumps(facts, default=str))
"""


def _admin(sql):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


@pytest.fixture
def demo_db(test_db):
    db = f"{test_db}_demo_year"
    filestore = ROOT / ".local" / "data" / "filestore"
    _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{db}" TEMPLATE "{test_db}"')
    if (filestore / test_db).is_dir():
        shutil.copytree(filestore / test_db, filestore / db, dirs_exist_ok=True)
    try:
        yield db
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        shutil.rmtree(filestore / db, ignore_errors=True)


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
    assert facts["owed_cards"] >= 1 and facts["tiers"] >= 1, facts
    assert "done" in facts["review_actions"] and "open" in facts["review_actions"], facts
    assert facts["hk_customers"] >= 20 and facts["zh_hk"] >= 1, facts
    assert facts["hk_duplicates"] >= 2, facts  # each twin of a pair is flagged
    if facts["liability"] is not None:  # crm_loyalty_account: the month-end postings
        closing, subledger, ledger, entries, months = facts["liability"]
        assert closing > 0 and closing == subledger == ledger, facts
        assert entries and months >= 3, facts
