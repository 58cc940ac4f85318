#!/usr/bin/env python3
"""Write the spreadsheet dashboards of the three addons (Odoo's Dashboards app).

Each dashboard is a one-sheet o-spreadsheet document of Odoo chart figures,
each reading one model through the ORM (domain, group by, measure), so the
user's record rules apply. Re-run after changing a chart below:

    python3 setup/make_dashboards.py
"""

import json
import pathlib
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent / "addons"
WIDTH, HEIGHT, GAP = 480, 320, 20


def chart(title, model, group_by, measure, domain=(), kind="bar", stacked=False):
    return {
        "title": title,
        "model": model,
        "group_by": list(group_by),
        "measure": measure,
        "domain": [list(term) for term in domain],
        "kind": kind,
        "stacked": stacked,
    }


# (addon, file, title, charts): one dashboard each; the addon's
# data/spreadsheet_dashboard_data.xml says who sees it (every role of ours has
# one: test_spreadsheet_dashboard.py).
DASHBOARDS = [
    (
        "crm_customer_care",
        "customer_care_dashboard.json",
        "Customer Care",
        [
            chart(
                "Open pipeline by stage (every opportunity, with or without a customer)",
                "crm.lead",
                ["stage_id"],
                "expected_revenue",
                [("type", "=", "opportunity"), ("won_status", "=", "pending")],
            ),
            chart(
                "Customers by lifecycle stage",
                "crm.segment.analysis.report",
                ["lifecycle_stage"],
                "customer_count",
                kind="pie",
            ),
            chart(
                "Revenue by segment (12 months)",
                "crm.segment.analysis.report",
                ["segment_id"],
                "revenue",
            ),
            chart(
                "Customers by health band",
                "crm.segment.analysis.report",
                ["health_band"],
                "customer_count",
                kind="pie",
            ),
            chart(
                "Average relationship health by segment",
                "crm.segment.analysis.report",
                ["segment_id"],
                "health_score",
            ),
            chart(
                "Relationship health changes over time",
                "crm.customer.health.history",
                ["date:month"],
                "score",
                kind="line",
            ),
        ],
    ),
    (
        "crm_customer_care",
        "customer_care_my_work_dashboard.json",
        "My Customer Care",
        [
            chart(
                "My open pipeline by stage",
                "crm.lead",
                ["stage_id"],
                "expected_revenue",
                [("type", "=", "opportunity")],
            ),
            chart(
                "Customers by segment",
                "res.partner",
                ["segment_id"],
                "__count",
                [("parent_id", "=", False), ("segment_id", "!=", False)],
                kind="pie",
            ),
        ],
    ),
    (
        "crm_customer_data_quality",
        "data_quality_dashboard.json",
        "Data Quality",
        [
            chart(
                "Open data-quality issues by check",
                "crm.data.quality.issue",
                ["check_id"],
                "__count",
                [("state", "=", "open")],
            ),
            chart(
                "Open issues by account manager and severity",
                "crm.data.quality.issue",
                ["user_id", "severity"],
                "__count",
                [("state", "=", "open")],
                stacked=True,
            ),
            chart(
                "Average data quality by segment",
                "crm.segment.analysis.report",
                ["segment_id"],
                "data_quality_score",
            ),
            chart(
                "Issues opened by month",
                "crm.data.quality.issue",
                ["date_opened:month"],
                "__count",
                kind="line",
            ),
        ],
    ),
    (
        "crm_lead_qualification",
        "lead_qualification_dashboard.json",
        "Lead Qualification",
        [
            chart(
                "Open pipeline by qualification grade",
                "crm.lead",
                ["qualification_grade_id"],
                "expected_revenue",
                [("type", "=", "opportunity")],
            ),
            chart(
                "Qualified leads by grade",
                "crm.lead",
                ["qualification_grade_id"],
                "__count",
                [("qualification_ruleset_id", "!=", False)],
                kind="pie",
            ),
            chart(
                "Average qualification score by sales team",
                "crm.lead",
                ["team_id"],
                "qualification_score",
                [("qualification_ruleset_id", "!=", False)],
            ),
            chart(
                "Disqualified leads by sales team",
                "crm.lead",
                ["team_id"],
                "__count",
                [("qualification_disqualified", "=", True)],
            ),
        ],
    ),
    (
        "crm_callplan",
        "callplan_dashboard.json",
        "Call Plans",
        [
            chart(
                "Plan compliance by sales team (%)",
                "crm.call.compliance.report",
                ["team_id"],
                "compliance",
                [("due_count", "=", 1)],
            ),
            chart(
                "Plan compliance by month (%)",
                "crm.call.compliance.report",
                ["due_date:month"],
                "compliance",
                [("due_count", "=", 1)],
                kind="line",
            ),
            chart("Calls by state", "crm.call", ["state"], "__count", kind="pie"),
            chart(
                "Calls by caller and outcome",
                "crm.call",
                ["user_id", "outcome"],
                "__count",
                [("state", "=", "done")],
                stacked=True,
            ),
        ],
    ),
    (
        "crm_callplan",
        "callplan_my_calls_dashboard.json",
        "My Calls",
        [
            chart(
                "Calls to make, by day",
                "crm.call",
                ["planned_date:day"],
                "__count",
                [("state", "=", "planned")],
            ),
            chart("Calls by state", "crm.call", ["state"], "__count", kind="pie"),
            chart(
                "Calls held by outcome",
                "crm.call",
                ["outcome"],
                "__count",
                [("state", "=", "done")],
            ),
            chart(
                "Calls held by month",
                "crm.call",
                ["date_done:month"],
                "__count",
                [("state", "=", "done")],
                kind="line",
            ),
        ],
    ),
    (
        "crm_customer_inquiry",
        "customer_inquiry_dashboard.json",
        "Inquiries",
        [
            chart(
                "Open inquiries by channel and SLA",
                "helpdesk.ticket",
                ["channel_id", "sla_status"],
                "__count",
                [("closed", "=", False)],
                stacked=True,
            ),
            chart(
                "Open inquiries by stage",
                "helpdesk.ticket",
                ["stage_id"],
                "__count",
                [("closed", "=", False)],
            ),
            chart(
                "Overdue inquiries by team",
                "helpdesk.ticket",
                ["team_id"],
                "__count",
                [("is_overdue", "=", True)],
            ),
        ],
    ),
    (
        "crm_loyalty",
        "loyalty_dashboard.json",
        "Loyalty",
        [
            chart(
                "Members by tier",
                "loyalty.card",
                ["crm_tier_id"],
                "__count",
                [("crm_tier_id", "!=", False)],
                kind="pie",
            ),
            chart(
                "Points still to use, by expiry month",
                "crm.loyalty.points.lot",
                ["expiry_date:month"],
                "remaining",
                [("remaining", ">", 0)],
            ),
            chart(
                "Tier moves by month",
                "crm.loyalty.tier.history",
                ["date:month", "direction"],
                "__count",
                stacked=True,
            ),
        ],
    ),
    (
        "crm_relationship_programme",
        "relationship_programme_dashboard.json",
        "Relationship Programmes",
        [
            chart(
                "Revenue per customer: members against holdout",
                "crm.relationship.effectiveness.report",
                ["programme_id", "group"],
                "revenue_avg",
            ),
            chart(
                "Participants by state",
                "crm.relationship.participant",
                ["programme_id", "state"],
                "__count",
                [("programme_id.state", "=", "running")],
                stacked=True,
            ),
        ],
    ),
]


def figure(spec, index):
    chart_id = str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"ccare-dashboard/{spec['model']}/{spec['title']}")
    )
    data = {
        "title": {"text": spec["title"], "bold": True, "color": "#434343"},
        "background": "#FFFFFF",
        "legendPosition": "top",
        "metaData": {
            "groupBy": spec["group_by"],
            "measure": spec["measure"],
            "order": None,
            "resModel": spec["model"],
            "mode": spec["kind"],
        },
        "searchParams": {
            "comparison": None,
            "context": {},
            "domain": spec["domain"],
            "groupBy": spec["group_by"],
            "orderBy": [],
        },
        "type": f"odoo_{spec['kind']}",
        "chartId": chart_id,
        "dataSets": [],
        "fieldMatching": {},
    }
    if spec["kind"] == "bar":
        data.update(verticalAxisPosition="left", stacked=spec["stacked"])
    if spec["kind"] == "line":
        data.update(verticalAxisPosition="left", stacked=False, cumulative=False)
    return {
        "id": chart_id,
        "width": WIDTH,
        "height": HEIGHT,
        "tag": "chart",
        "data": data,
        "offset": {"x": (index % 2) * (WIDTH + GAP), "y": 50 + (index // 2) * (HEIGHT + GAP)},
        "col": 0,
        "row": 0,
    }


def document(title, charts):
    return {
        "version": "18.5.10",
        "sheets": [
            {
                "id": "sheet1",
                "name": "Dashboard",
                "colNumber": 10,
                "rowNumber": 80,
                "rows": {},
                "cols": {"0": {"size": 980}},
                "merges": [],
                "cells": {"A1": title},
                "styles": {"A1": 1},
                "formats": {},
                "borders": {},
                "conditionalFormats": [],
                "dataValidationRules": [],
                "figures": [figure(spec, index) for index, spec in enumerate(charts)],
                "tables": [],
                "areGridLinesVisible": False,
                "isVisible": True,
                "headerGroups": {"ROW": [], "COL": []},
                "comments": {},
            }
        ],
        "styles": {"1": {"textColor": "#01666b", "bold": True, "fontSize": 16}},
        "formats": {},
        "borders": {},
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {
            "locale": {
                "name": "English (US)",
                "code": "en_US",
                "thousandsSeparator": ",",
                "decimalSeparator": ".",
                "dateFormat": "mm/dd/yyyy",
                "timeFormat": "hh:mm:ss",
                "formulaArgSeparator": ",",
                "weekStart": 7,
            }
        },
        "pivots": {},
        "pivotNextId": 1,
        "customTableStyles": {},
        "globalFilters": [],
        "lists": {},
        "listNextId": 1,
        "chartOdooMenusReferences": {},
    }


def main():
    for addon, filename, title, charts in DASHBOARDS:
        path = ROOT / addon / "data" / "files" / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document(title, charts), indent=1) + "\n")
        print(path.relative_to(ROOT.parent))


if __name__ == "__main__":
    main()
