from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Domain

HEALTH_BANDS = [(0, 39, "Poor (0-39)"), (40, 69, "Fair (40-69)"), (70, 100, "Good (70-100)")]


class CrmCustomerReviewDashboard(models.TransientModel):
    """The manager dashboard: key figures of the book as they are now.

    A form over a transient record (opened by the Dashboard menu), its
    tables computed set-based each time it opens, with links to the
    analysis reports. Overdue inquiries and data quality are shown when the
    features providing them are installed (``_ccare_overdue_inquiries``,
    ``res.partner.data_quality_score``).
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
    pipeline_by_grade_html = fields.Html(compute="_compute_figures", sanitize=False)
    segment_revenue_html = fields.Html(compute="_compute_figures", sanitize=False)
    health_distribution_html = fields.Html(compute="_compute_figures", sanitize=False)

    @api.model
    def _ccare_overdue_inquiries(self):
        """Number of overdue inquiries, or None when no inquiry feature with
        a deadline is installed (the inquiry feature overrides this)."""
        if "helpdesk.ticket" not in self.env:
            return None
        Ticket = self.env["helpdesk.ticket"]
        for name in ("sla_expired", "is_overdue", "overdue"):
            if name in Ticket._fields and Ticket._fields[name].store:
                return Ticket.search_count([(name, "=", True)])
        return None

    @staticmethod
    def _html_table(headers, rows):
        head = Markup("").join(Markup("<th>{}</th>").format(h) for h in headers)
        body = Markup("").join(
            Markup("<tr>{}</tr>").format(
                Markup("").join(Markup("<td>{}</td>").format(cell) for cell in row)
            )
            for row in rows
        )
        return Markup(
            "<table class='table table-sm table-striped o_ccare_dashboard'>"
            "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>"
        ).format(head, body)

    @api.depends("company_id")
    def _compute_figures(self):
        env = self.env
        Lead = env["crm.lead"]
        Analysis = env["crm.segment.analysis.report"]
        open_domain = Domain("won_status", "=", "pending") & Domain("type", "=", "opportunity")
        by_grade = Lead._read_group(
            open_domain, ["qualification_grade_id"], ["__count", "expected_revenue:sum"]
        )
        by_segment = Analysis._read_group(
            [],
            ["segment_id"],
            [
                "customer_count:sum",
                "revenue:sum",
                "revenue_previous:sum",
                "pipeline_revenue:sum",
                "health_score:avg",
            ],
        )
        bands = {
            label: Analysis._read_group(
                [
                    ("health_score", "!=", False),
                    ("health_score", ">=", low),
                    ("health_score", "<=", high),
                ],
                [],
                ["customer_count:sum"],
            )[0][0]
            or 0
            for low, high, label in HEALTH_BANDS
        }
        totals = Analysis._read_group([], [], ["customer_count:sum", "health_score:avg"])[0]
        quality_field = env["res.partner"]._fields.get("data_quality_score")
        has_quality = bool(quality_field and quality_field.store)
        quality = (
            Analysis._read_group([], [], ["data_quality_score:avg"])[0][0] if has_quality else 0
        )
        overdue = self._ccare_overdue_inquiries()
        for dashboard in self:
            currency = dashboard.currency_id
            fmt = lambda amount, c=currency: f"{c.symbol or ''} {amount or 0:,.0f}".strip()  # noqa: E731
            dashboard.open_opportunities = sum(count for _g, count, _a in by_grade)
            dashboard.open_pipeline = sum(amount or 0 for _g, _c, amount in by_grade)
            dashboard.customer_count = totals[0] or 0
            dashboard.average_health = totals[1] or 0.0
            dashboard.has_inquiries = overdue is not None
            dashboard.overdue_inquiries = overdue or 0
            dashboard.has_data_quality = has_quality
            dashboard.data_quality = quality or 0.0
            dashboard.pipeline_by_grade_html = self._html_table(
                [env._("Grade"), env._("Opportunities"), env._("Expected Revenue")],
                [
                    (grade.display_name or env._("Not graded"), count, fmt(amount))
                    for grade, count, amount in by_grade
                ],
            )
            dashboard.segment_revenue_html = self._html_table(
                [
                    env._("Segment"),
                    env._("Customers"),
                    env._("Revenue (12 months)"),
                    env._("Growth"),
                    env._("Open Pipeline"),
                    env._("Health"),
                ],
                [
                    (
                        segment.display_name or env._("No segment"),
                        customers,
                        fmt(revenue),
                        f"{(revenue - previous) / abs(previous) * 100:+.1f} %" if previous else "-",
                        fmt(pipeline),
                        f"{avg_health or 0:.0f}",
                    )
                    for segment, customers, revenue, previous, pipeline, avg_health in by_segment
                ],
            )
            dashboard.health_distribution_html = self._html_table(
                [env._("Health"), env._("Customers")], list(bands.items())
            )

    def action_open_report(self):
        xmlid = self.env.context.get("ccare_report_action")
        return self.env["ir.actions.act_window"]._for_xml_id(f"crm_customer_care.{xmlid}")
