import re

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Domain

HEALTH_BANDS = [(0, 39, "poor"), (40, 69, "fair"), (70, 100, "good")]


class CrmCustomerReviewDashboard(models.TransientModel):
    """The manager dashboard: the figures a spreadsheet cannot compute from
    one model (portfolio ROI against the holdout, plan compliance, overdue
    inquiries, health bands), as they are now.

    A form over a transient record (opened by the Dashboard menu), computed
    set-based each time it opens, with links to the analysis reports. It
    shows numbers only, rendered by the web client's own widgets: the
    tables (pipeline by grade, revenue by segment) are charts of the
    spreadsheet dashboards, which read the report models. Overdue
    inquiries and data quality are shown when the features providing them
    are installed (``res.partner._ccare_overdue_inquiry_count``; a data quality score among
    ``res.partner._ccare_average_scores``).
    """

    _name = "crm.customer.review.dashboard"
    _description = "Customer Care Manager Dashboard"

    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    open_pipeline = fields.Monetary(compute="_compute_figures", currency_field="currency_id")
    open_opportunities = fields.Integer(compute="_compute_figures")
    customer_count = fields.Integer("Customers", compute="_compute_figures")
    average_health = fields.Float(compute="_compute_figures", digits=(16, 1))
    overdue_inquiries = fields.Integer(compute="_compute_figures")
    has_inquiries = fields.Boolean(compute="_compute_figures")
    data_quality = fields.Float("Average Data Quality", compute="_compute_figures", digits=(16, 1))
    has_data_quality = fields.Boolean(compute="_compute_figures")
    revenue_12_months = fields.Monetary(
        "Revenue (12 Months)",
        compute="_compute_figures",
        currency_field="currency_id",
        help="Customer Revenue of the last 12 months (accounting dates) of this company.",
    )
    health_poor = fields.Integer("Health 0-39", compute="_compute_figures")
    health_fair = fields.Integer("Health 40-69", compute="_compute_figures")
    health_good = fields.Integer("Health 70-100", compute="_compute_figures")

    def _compute_display_name(self):
        # a transient record has no name: the breadcrumb would show its id
        self.display_name = self.env._("Manager Dashboard")

    @api.depends("company_id")
    def _compute_figures(self):
        env = self.env
        Analysis = env["crm.segment.analysis.report"]
        today = fields.Date.context_today(self)
        # the analysis report's data quality column is filled when a feature
        # averages a data quality score (res.partner._ccare_average_scores)
        has_quality = "data_quality_score" in dict(env["res.partner"]._ccare_average_scores())
        overdue = env["res.partner"]._ccare_overdue_inquiry_count()
        for dashboard in self:
            company = dashboard.company_id or env.company
            company_domain = Domain("company_id", "=", company.id)
            # the pipeline is the segment analysis's, as its customers are:
            # the open opportunities of the company's customers, one figure
            # on both screens (an opportunity without a customer is in neither)
            [(customers, health, opportunities, pipeline)] = Analysis._read_group(
                company_domain,
                [],
                [
                    "customer_count:sum",
                    "health_score:avg",
                    "pipeline_count:sum",
                    "pipeline_revenue:sum",
                ],
            )
            # every customer is in a band: a health score not computed yet
            # reads 0 (on the contact too), as Odoo reads a null number
            bands = {
                name: Analysis._read_group(
                    company_domain
                    & Domain("health_score", ">=", low)
                    & Domain("health_score", "<=", high),
                    [],
                    ["customer_count:sum"],
                )[0][0]
                or 0
                for low, high, name in HEALTH_BANDS
            }
            [(revenue,)] = (
                env["crm.customer.revenue.report"]
                .sudo()
                ._read_group(
                    company_domain & Domain("date", ">", today - relativedelta(years=1))
                    & Domain("date", "<=", today),
                    [],
                    ["revenue:sum"],
                )
            )  # fmt: skip
            dashboard.open_opportunities = opportunities or 0
            dashboard.open_pipeline = pipeline or 0.0
            dashboard.customer_count = customers or 0
            dashboard.average_health = health or 0.0
            dashboard.health_poor = bands["poor"]
            dashboard.health_fair = bands["fair"]
            dashboard.health_good = bands["good"]
            dashboard.revenue_12_months = revenue or 0.0
            dashboard.has_inquiries = overdue is not None
            dashboard.overdue_inquiries = overdue or 0
            # over the customers of the analysis (one row per customer)
            quality = None
            if has_quality:
                [(quality,)] = env["res.partner"]._read_group(
                    Domain("id", "in", Analysis._search(company_domain)),
                    [],
                    ["data_quality_score:avg"],
                )
            dashboard.has_data_quality = has_quality
            dashboard.data_quality = quality or 0.0

    def action_open_report(self):
        # the button names one of our report actions in its context; the
        # context comes from the client, so only those actions are opened
        xmlid = self.env.context.get("ccare_report_action")
        if not isinstance(xmlid, str) or not re.fullmatch(r"crm_[a-z0-9_]+_action", xmlid):
            raise UserError(self.env._("This dashboard has no such report."))
        self.check_access("read")
        # the reviews' action is ours, the analyses are the core's
        for module in ("crm_customer_review", "crm_customer_care"):
            if self.env.ref(f"{module}.{xmlid}", raise_if_not_found=False):
                return self.env["ir.actions.act_window"]._for_xml_id(f"{module}.{xmlid}")
        raise UserError(self.env._("This dashboard has no such report."))
