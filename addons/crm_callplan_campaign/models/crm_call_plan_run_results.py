from collections import defaultdict
from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.stats import welch_interval

# a campaign's effect is measured over its horizon and these days after it
ATTRIBUTION_DAYS = 30


class CrmCallPlanRun(models.Model):
    """A call campaign's results against its holdout (``_callplan_campaign_results``)."""

    _inherit = "crm.call.plan.run"

    # a campaign's results against its holdout (see _callplan_campaign_results)
    currency_id = fields.Many2one(related="company_id.currency_id")
    called_unit_count = fields.Integer("Called", compute="_compute_campaign_results")
    conversion_called = fields.Float(
        "Conversion Called (%)", compute="_compute_campaign_results", digits=(16, 1)
    )
    conversion_holdout = fields.Float(
        "Conversion Holdout (%)", compute="_compute_campaign_results", digits=(16, 1)
    )
    conversion_low = fields.Float(compute="_compute_campaign_results", digits=(16, 1))
    conversion_high = fields.Float(compute="_compute_campaign_results", digits=(16, 1))
    revenue_called = fields.Monetary(
        "Suggested-Product Revenue per Called", compute="_compute_campaign_results"
    )
    revenue_holdout = fields.Monetary(
        "Suggested-Product Revenue per Holdout", compute="_compute_campaign_results"
    )
    revenue_low = fields.Monetary(compute="_compute_campaign_results")
    revenue_high = fields.Monetary(compute="_compute_campaign_results")
    margin_called = fields.Monetary("Margin per Called", compute="_compute_campaign_results")
    margin_holdout = fields.Monetary("Margin per Holdout", compute="_compute_campaign_results")
    margin_low = fields.Monetary(compute="_compute_campaign_results")
    margin_high = fields.Monetary(compute="_compute_campaign_results")
    results_note = fields.Char(compute="_compute_campaign_results")

    def _callplan_campaign_window(self):
        """The days a campaign's effect is measured over: its horizon and the
        ``ATTRIBUTION_DAYS`` after it, for orders and wins that follow the calls."""
        self.ensure_one()
        return self.date_from, self.date_to + timedelta(days=ATTRIBUTION_DAYS)

    def _callplan_campaign_results(self):
        """``{run_id: {"called": [unit], "holdout": [unit]}}`` for the
        campaigns of ``self``, a unit being ``(conversion 0/1, revenue of the
        suggested products, margin)`` over the campaign's window:

        - the *called* are the customers and leads the campaign planned a
          call for (whatever came of the call: intention to treat), the
          *holdout* those its report holds out, drawn at launch among the
          contactable;
        - a unit converts when, in the window, its lead is won (a lead) or an
          opportunity of the customer is won (a customer);
        - revenue is that of the products suggested to the customer during
          the campaign (its next-best products open at some point between its
          start and end: what the callers could propose), margin that
          of all its sales, both from ``crm.customer.revenue.report`` (the
          single revenue source) in the window; a prospect that has no
          customer has none.

        A constant number of queries per run."""
        results = {}
        for run in self.filtered("target_list_id"):
            run = run.sudo()
            units = run._callplan_campaign_result_units()
            accounts = {p for group in units.values() for p, _lead in group if p}
            lead_ids = {lead for group in units.values() for _p, lead in group if lead}
            won_ids, won_accounts = run._callplan_campaign_wins(accounts, lead_ids)
            revenue, margin = run._callplan_campaign_sales(accounts)
            results[run.id] = {
                group: [
                    (
                        int(lead_id in won_ids if lead_id else partner_id in won_accounts),
                        revenue[partner_id] if partner_id else 0.0,
                        margin[partner_id] if partner_id else 0.0,
                    )
                    for partner_id, lead_id in sorted(keys, key=lambda k: (k[0] or 0, k[1] or 0))
                ]
                for group, keys in units.items()
            }
        return results

    def _callplan_campaign_result_units(self):
        """``{"called": {(partner_id, lead_id)}, "holdout": {...}}`` of the
        campaign ``self`` (as superuser), ``0`` for no lead."""
        units = {"called": set(), "holdout": set()}
        for partner, lead, _count in self.env["crm.call"]._read_group(
            [("plan_run_id", "=", self.id)], ["partner_id", "lead_id"], ["__count"]
        ):
            units["called"].add((partner.id, lead.id))
        for line in self.line_ids.filtered(lambda line: line.line_type == "holdout"):
            units["holdout"].add((line.partner_id.id, line.lead_id.id))
        return units

    def _callplan_campaign_wins(self, accounts, lead_ids):
        """``(won lead ids, won account ids)``: of ``lead_ids`` and the
        opportunities of ``accounts``, those won in the campaign's window."""
        start, end = self._callplan_campaign_window()
        won_leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("won_status", "=", "won"),
                    ("date_closed", ">=", datetime.combine(start, time.min)),
                    ("date_closed", "<=", datetime.combine(end, time.max)),
                    "|",
                    ("id", "in", list(lead_ids)),
                    ("partner_id.commercial_partner_id", "in", list(accounts)),
                ],
                ["partner_id"],
            )
        )
        return set(won_leads.ids), {lead.partner_id.commercial_partner_id.id for lead in won_leads}

    def _callplan_campaign_sales(self, accounts):
        """``(revenue, margin)``, each ``{account id: amount}`` over the
        campaign's window: revenue of the products suggested to the account
        during the campaign, margin of all its sales."""
        start, end = self._callplan_campaign_window()
        suggested = defaultdict(set)
        for suggestion in (
            self.env["crm.customer.next.product"]
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("partner_id", "in", list(accounts)),
                    ("company_id", "=", self.company_id.id),
                    ("date_suggested", "<=", self.date_to),
                    "|",
                    ("date_closed", "=", False),
                    ("date_closed", ">=", start),
                ],
                ["partner_id", "product_id"],
            )
        ):
            suggested[suggestion.partner_id.id].add(suggestion.product_id.id)
        # the revenue report as the user reads it (the rest as superuser)
        sales = (
            self.env["crm.customer.revenue.report"]
            .sudo(False)
            ._ccare_totals(
                [
                    ("commercial_partner_id", "in", list(accounts)),
                    ("company_id", "=", self.company_id.id),
                    ("date", ">=", start),
                    ("date", "<=", end),
                ],
                groupby=("commercial_partner_id", "product_id"),
            )
        )
        revenue, margin = defaultdict(float), defaultdict(float)
        for (partner_id, product_id), (amount, cost) in sales.items():
            margin[partner_id] += amount - cost
            if product_id in suggested[partner_id]:
                revenue[partner_id] += amount
        return revenue, margin

    @api.depends("target_list_id", "state")
    def _compute_campaign_results(self):
        results = self._callplan_campaign_results()
        for run in self:
            groups = results.get(run.id)
            values = dict.fromkeys(
                [
                    "conversion_called",
                    "conversion_holdout",
                    "conversion_low",
                    "conversion_high",
                    "revenue_called",
                    "revenue_holdout",
                    "revenue_low",
                    "revenue_high",
                    "margin_called",
                    "margin_holdout",
                    "margin_low",
                    "margin_high",
                ],
                0.0,
            )
            values.update(called_unit_count=0, results_note=False)
            if groups:
                called, held = groups["called"], groups["holdout"]
                values["called_unit_count"] = len(called)
                undefined = False
                for position, name, scale in (
                    (0, "conversion", 100.0),
                    (1, "revenue", 1.0),
                    (2, "margin", 1.0),
                ):
                    first, second = _moments(called, position), _moments(held, position)
                    values[f"{name}_called"] = first[1] * scale
                    values[f"{name}_holdout"] = second[1] * scale
                    interval = welch_interval(*first, *second)
                    if interval:
                        values[f"{name}_low"] = interval[1] * scale
                        values[f"{name}_high"] = interval[2] * scale
                    else:
                        undefined = True
                if undefined:
                    values["results_note"] = self.env._(
                        "No confidence interval where a group has fewer than two units or "
                        "no variation: the difference cannot be told from chance yet."
                    )
            run.update(values)


def _moments(units, position):
    """``(n, mean, sample variance)`` of the ``position``-th figure of ``units``."""
    values = [unit[position] for unit in units]
    n = len(values)
    mean = sum(values) / n if n else 0.0
    var = sum((value - mean) ** 2 for value in values) / (n - 1) if n > 1 else 0.0
    return n, mean, var
