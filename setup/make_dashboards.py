#!/usr/bin/env python3
"""Write the spreadsheet dashboards of the three addons (Odoo's Dashboards app).

Each dashboard is an o-spreadsheet document of Odoo chart figures, each
reading one model through the ORM (domain, group by, measure), so the user's
record rules apply; a chart whose bars carry a meaning in their colour (the
health bands) reads a pivot of the same kind through a hidden "Data" sheet.
Re-run after changing a chart below:

    python3 setup/make_dashboards.py
"""

import json
import pathlib
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent / "addons"
WIDTH, HEIGHT, GAP = 480, 320, 20


# colours that carry the meaning of a band, whatever bands the data holds
GOOD, FAIR, POOR = "#28A745", "#F0A030", "#DC3545"


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


def bands(title, model, field, measure, values):
    """A bar per value of the selection ``field`` (``values``: ``[(value,
    label, colour)]``), each in its own colour: a chart over a hidden sheet of
    ``PIVOT.VALUE`` formulas, one pivot of ``model``. An Odoo chart grouped
    by the field colours its bars or slices by position in a palette (a
    band's colour would depend on which bands the data holds, and "Good"
    came out red); here a band keeps its colour, and a band with no
    customer shows no bar."""
    return {
        "title": title,
        "model": model,
        "kind": "bands",
        "field": field,
        "measure": measure,
        "values": list(values),
    }


LOYALTY_CHARTS = [
    chart(
        "Points still to use, by expiry month",
        "crm.loyalty.points.lot",
        ["expiry_date:month"],
        "remaining",
        [("remaining", ">", 0)],
    ),
]

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
                "Revenue by segment (12 months)",
                "crm.segment.analysis.report",
                ["segment_id"],
                "revenue",
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
        "crm_customer_health",
        "customer_health_dashboard.json",
        "Relationship Health",
        [
            chart(
                "Customers by lifecycle stage",
                "crm.segment.analysis.report",
                ["lifecycle_stage"],
                "customer_count",
                kind="pie",
            ),
            bands(
                "Customers by health band",
                "crm.segment.analysis.report",
                "health_band",
                "customer_count",
                [
                    ("good", "Good (70-100)", GOOD),
                    ("fair", "Fair (40-69)", FAIR),
                    ("poor", "Poor (0-39)", POOR),
                ],
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
    ("crm_loyalty", "loyalty_dashboard.json", "Loyalty", LOYALTY_CHARTS),
    # crm_loyalty_account gives the same dashboard the points in the books
    # (its data file replaces crm_loyalty's while it is installed)
    (
        "crm_loyalty_account",
        "loyalty_dashboard.json",
        "Loyalty",
        [
            *LOYALTY_CHARTS,
            chart(
                "Points liability by program (closing)",
                "crm.loyalty.account.report",
                ["program_id"],
                "closing_amount",
                [("is_last", "=", True)],
            ),
            chart(
                "Breakage rate by program (%)",
                "crm.loyalty.account.report",
                ["program_id"],
                "breakage_rate",
                [("is_last", "=", True)],
            ),
        ],
    ),
    (
        "crm_loyalty_tier",
        "loyalty_tier_dashboard.json",
        "Loyalty Tiers",
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


def chart_id_of(spec):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ccare-dashboard/{spec['model']}/{spec['title']}"))


def place(index, data):
    return {
        "id": data["chartId"],
        "width": WIDTH,
        "height": HEIGHT,
        "tag": "chart",
        "data": data,
        "offset": {"x": (index % 2) * (WIDTH + GAP), "y": 50 + (index // 2) * (HEIGHT + GAP)},
        "col": 0,
        "row": 0,
    }


COLUMNS = "BCDEFGHIJ"


def band_cells(spec, pivot_id, row):
    """The hidden sheet's cells of a ``bands`` chart: its labels on ``row``,
    their values (one ``PIVOT.VALUE`` each) on the next."""
    cells = {f"A{row + 1}": spec["title"]}
    for column, (value, label, _colour) in zip(COLUMNS, spec["values"], strict=False):
        cells[f"{column}{row}"] = label
        cells[f"{column}{row + 1}"] = (
            f'=PIVOT.VALUE({pivot_id},"{spec["measure"]}","{spec["field"]}","{value}")'
        )
    return cells


def band_pivot(spec, pivot_id):
    return {
        "type": "ODOO",
        "id": str(pivot_id),
        "formulaId": str(pivot_id),
        "name": spec["title"],
        "model": spec["model"],
        "domain": [],
        "context": {},
        "measures": [{"id": spec["measure"], "fieldName": spec["measure"]}],
        "rows": [{"fieldName": spec["field"]}],
        "columns": [],
        "fieldMatching": {},
    }


def band_figure(spec, index, row):
    return place(
        index,
        {
            "type": "bar",
            "title": {"text": spec["title"], "bold": True, "color": "#434343"},
            "background": "#FFFFFF",
            "legendPosition": "top",
            "dataSets": [
                {"dataRange": f"Data!{column}{row}:{column}{row + 1}", "backgroundColor": colour}
                for column, (_value, _label, colour) in zip(COLUMNS, spec["values"], strict=False)
            ],
            "dataSetsHaveTitle": True,
            "labelRange": f"Data!A{row + 1}",
            "stacked": False,
            "aggregated": False,
            "chartId": chart_id_of(spec),
        },
    )


def figure(spec, index):
    chart_id = chart_id_of(spec)
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
    return place(index, data)


def sheet(sheet_id, name, cells, figures, visible=True, styles=None):
    return {
        "id": sheet_id,
        "name": name,
        "colNumber": 10,
        "rowNumber": 80,
        "rows": {},
        "cols": {"0": {"size": 980}} if visible else {},
        "merges": [],
        "cells": cells,
        "styles": styles or {},
        "formats": {},
        "borders": {},
        "conditionalFormats": [],
        "dataValidationRules": [],
        "figures": figures,
        "tables": [],
        "areGridLinesVisible": not visible,
        "isVisible": visible,
        "headerGroups": {"ROW": [], "COL": []},
        "comments": {},
    }


def document(title, charts):
    figures, data_cells, pivots = [], {}, {}
    for index, spec in enumerate(charts):
        if spec["kind"] == "bands":
            pivot_id, row = len(pivots) + 1, 2 * len(pivots) + 1
            pivots[str(pivot_id)] = band_pivot(spec, pivot_id)
            data_cells.update(band_cells(spec, pivot_id, row))
            figures.append(band_figure(spec, index, row))
        else:
            figures.append(figure(spec, index))
    sheets = [sheet("sheet1", "Dashboard", {"A1": title}, figures, styles={"A1": 1})]
    if data_cells:
        sheets.append(sheet("data", "Data", data_cells, [], visible=False))
    return {
        "version": "18.5.10",
        "sheets": sheets,
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
        "pivots": pivots,
        "pivotNextId": len(pivots) + 1,
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
