from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import date_utils

PNL_GROUP = "crm_customer_care.group_crm_customer_care_manager"
PNL_PERIODS = [
    ("this_month", "This Month"),
    ("this_quarter", "This Quarter"),
    ("this_year", "This Year"),
    ("last_12_months", "Last 12 Months"),
    ("custom", "Custom"),
]


class ResPartner(models.Model):
    """The customer's profit and loss over a period chosen on the form.

    Nothing here is stored: the period and its dates live in the form (the
    web client sends them back with every onchange), and the figures are
    computed for all the partners read at once, in a few queries. They are
    those of the commercial partner (the company and all its contacts), in
    the currency of the current company, and only managers see them.
    """

    _inherit = "res.partner"

    pnl_period = fields.Selection(
        PNL_PERIODS,
        string="P&L Period",
        compute="_compute_pnl_period",
        readonly=False,
        groups=PNL_GROUP,
    )
    pnl_date_from = fields.Date(
        string="P&L From",
        compute="_compute_pnl_dates",
        readonly=False,
        groups=PNL_GROUP,
    )
    pnl_date_to = fields.Date(
        string="P&L To",
        compute="_compute_pnl_dates",
        readonly=False,
        groups=PNL_GROUP,
    )
    pnl_currency_id = fields.Many2one(
        "res.currency",
        string="P&L Currency",
        compute="_compute_pnl_currency_id",
        groups=PNL_GROUP,
    )
    pnl_revenue = fields.Monetary(
        string="Revenue",
        compute="_compute_pnl",
        compute_sudo=True,
        currency_field="pnl_currency_id",
        groups=PNL_GROUP,
        help="Untaxed amount of the posted customer invoices of the period, net of "
        "credit notes, in the company currency.",
    )
    pnl_cogs = fields.Monetary(
        string="Cost of Goods",
        compute="_compute_pnl",
        compute_sudo=True,
        currency_field="pnl_currency_id",
        groups=PNL_GROUP,
        help="Quantities invoiced in the period (net of credit notes) times the "
        "products' cost as it is today (their current cost price), not the cost "
        "at the time of the sale.",
    )
    pnl_cost_to_serve = fields.Monetary(
        string="Cost to Serve",
        compute="_compute_pnl",
        compute_sudo=True,
        currency_field="pnl_currency_id",
        groups=PNL_GROUP,
        help="What serving the customer cost in the period: each activity done "
        "with it or on its leads, at the unit cost of its activity type, plus what "
        "other apps add (calls, loyalty programmes...).",
    )
    pnl_cost_unknown = fields.Boolean(
        string="No Cost Recorded",
        compute="_compute_pnl",
        compute_sudo=True,
        groups=PNL_GROUP,
        help="The period has revenue but no cost of goods: the products sold have no cost "
        "price (or the lines no product). The margin is not known.",
    )
    pnl_margin = fields.Monetary(
        string="Margin",
        compute="_compute_pnl",
        compute_sudo=True,
        currency_field="pnl_currency_id",
        groups=PNL_GROUP,
        help="Revenue - cost of goods - cost to serve. Not shown (no cost recorded) when the "
        "period has revenue but no cost of goods: a margin over an unknown cost is not one.",
    )
    pnl_margin_percent = fields.Float(
        string="Margin (%)",
        compute="_compute_pnl",
        compute_sudo=True,
        digits=(16, 1),
        groups=PNL_GROUP,
        help="Margin as a percentage of the revenue. Not shown (no cost recorded) when the "
        "period has revenue but no cost of goods: it would read 100% over an unknown cost.",
    )

    # ------------------------------------------------------------
    # Period
    # ------------------------------------------------------------

    def _ccare_sensitive_fields(self):
        return [
            *super()._ccare_sensitive_fields(),
            "pnl_revenue",
            "pnl_cogs",
            "pnl_cost_to_serve",
            "pnl_margin",
            "pnl_margin_percent",
            "pnl_cost_unknown",
        ]

    def _compute_pnl_period(self):
        self.pnl_period = "this_year"

    @api.model
    def _ccare_pnl_period_dates(self, period, today=None):
        """``(date_from, date_to)`` of a P&L period, both included."""
        today = today or fields.Date.context_today(self)
        if period == "this_month":
            return date_utils.get_month(today)
        if period == "this_quarter":
            return date_utils.get_quarter(today)
        if period == "last_12_months":
            return today - relativedelta(years=1) + timedelta(days=1), today
        # this_year, and the starting point of a custom period
        return date_utils.start_of(today, "year"), date_utils.end_of(today, "year")

    @api.depends("pnl_period")
    def _compute_pnl_dates(self):
        for partner in self:
            date_from, date_to = self._ccare_pnl_period_dates(partner.pnl_period)
            if partner.pnl_period == "custom":
                # keep the dates the user typed, if any
                date_from = partner.pnl_date_from or date_from
                date_to = partner.pnl_date_to or date_to
            partner.pnl_date_from = date_from
            partner.pnl_date_to = date_to

    def _compute_pnl_currency_id(self):
        self.pnl_currency_id = self.env.company.currency_id

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------

    @api.depends("pnl_date_from", "pnl_date_to", "commercial_partner_id")
    @api.depends_context("company")
    def _compute_pnl(self):
        # the figures are those of the commercial partner; partners of the
        # same period are computed together
        by_period = defaultdict(lambda: self.browse())
        for partner in self:
            by_period[partner.pnl_date_from, partner.pnl_date_to] |= partner
        for (date_from, date_to), partners in by_period.items():
            # in the form (onchange) the partners are new records: use the
            # real ones they stand for
            commercials = partners.commercial_partner_id._origin
            if date_from and date_to and date_from <= date_to and commercials:
                revenue, cogs = commercials._ccare_revenue_and_cogs(date_from, date_to)
                cost_to_serve = commercials._ccare_cost_to_serve(date_from, date_to)
            else:
                revenue, cogs, cost_to_serve = {}, {}, {}
            for partner in partners:
                commercial_id = partner.commercial_partner_id._origin.id
                partner_revenue = revenue.get(commercial_id, 0.0)
                partner_cogs = cogs.get(commercial_id, 0.0)
                partner_cost = cost_to_serve.get(commercial_id, 0.0)
                # revenue without any cost of goods: the cost is unknown, not
                # zero (the margin would read 100%); no margin then
                unknown = bool(partner_revenue) and not partner_cogs
                margin = 0.0 if unknown else partner_revenue - partner_cogs - partner_cost
                partner.pnl_revenue = partner_revenue
                partner.pnl_cogs = partner_cogs
                partner.pnl_cost_to_serve = partner_cost
                partner.pnl_cost_unknown = unknown
                partner.pnl_margin = margin
                partner.pnl_margin_percent = (
                    100.0 * margin / partner_revenue if partner_revenue and not unknown else 0.0
                )

    def _ccare_revenue_and_cogs(self, date_from, date_to):
        """``({partner_id: revenue}, {partner_id: cogs})`` for the commercial
        partners in ``self`` over ``[date_from, date_to]`` (accounting
        dates), in the current company and its currency, in one query.

        Both come from ``crm.customer.revenue.report``, the one source of
        revenue: product lines of posted customer invoices and credit notes
        (refunds negative), cost of goods = net invoiced quantity times
        today's cost price.
        """
        company = self.env.company
        totals = self.env["crm.customer.revenue.report"]._ccare_totals(
            [
                ("company_id", "=", company.id),
                ("commercial_partner_id", "in", self.ids),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ]
        )
        currency = company.currency_id
        return (
            {pid: currency.round(revenue) for pid, (revenue, _cost) in totals.items()},
            {pid: currency.round(cost) for pid, (_revenue, cost) in totals.items()},
        )
