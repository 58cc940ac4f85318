from odoo import fields
from odoo import models
from odoo.tools import SQL

from ..models.res_partner_health import LIFECYCLE_STAGES


class CrmSegmentAnalysisReport(models.Model):
    """Segment analysis: one row per customer (commercial partner with a
    segment or a sale), with its revenue over the last twelve months and the
    twelve before (the growth is their difference, so it adds up per
    segment), lifecycle (churn = lapsed), health, open pipeline and, when
    the data-quality feature is installed, its data-quality score."""

    _name = "crm.segment.analysis.report"
    _description = "Segment Analysis"
    _auto = False
    _rec_name = "partner_id"
    _order = "revenue desc"

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    segment_id = fields.Many2one("crm.customer.segment", "Segment", readonly=True)
    user_id = fields.Many2one("res.users", "Account Manager", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    lifecycle_stage = fields.Selection(LIFECYCLE_STAGES, "Lifecycle Stage", readonly=True)
    customer_count = fields.Integer("Customers", readonly=True, aggregator="sum")
    lapsed_count = fields.Integer("Lapsed", readonly=True, aggregator="sum")
    churn_rate = fields.Float("Churn (%)", readonly=True, aggregator="avg", digits=(16, 1))
    health_score = fields.Float("Health", readonly=True, aggregator="avg", digits=(16, 1))
    data_quality_score = fields.Float(
        "Data Quality", readonly=True, aggregator="avg", digits=(16, 1)
    )
    revenue = fields.Float("Revenue (12 months)", readonly=True, aggregator="sum")
    revenue_previous = fields.Float("Revenue (previous 12 months)", readonly=True, aggregator="sum")
    revenue_growth = fields.Float("Growth", readonly=True, aggregator="sum")
    pipeline_count = fields.Integer("Open Opportunities", readonly=True, aggregator="sum")
    pipeline_revenue = fields.Float("Open Pipeline", readonly=True, aggregator="sum")

    def _data_quality_sql(self):
        field = self.env["res.partner"]._fields.get("data_quality_score")
        if field is not None and field.store and field.column_type:
            return SQL("p.data_quality_score")
        return SQL("NULL::float")

    @property
    def _table_query(self):
        return SQL(
            """
            WITH inv AS (
                SELECT m.commercial_partner_id AS partner_id,
                       sum(CASE WHEN m.invoice_date > current_date - 365
                                THEN m.amount_untaxed_signed ELSE 0 END) AS revenue,
                       sum(CASE WHEN m.invoice_date <= current_date - 365
                                THEN m.amount_untaxed_signed ELSE 0 END) AS revenue_previous
                  FROM account_move m
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date > current_date - 730
              GROUP BY m.commercial_partner_id
            ), pipe AS (
                SELECT partner.commercial_partner_id AS partner_id, count(*) AS n,
                       sum(lead.expected_revenue) AS amount
                  FROM crm_lead lead
                  JOIN res_partner partner ON partner.id = lead.partner_id
                 WHERE lead.active AND lead.won_status = 'pending'
              GROUP BY partner.commercial_partner_id
            )
            SELECT p.id, p.id AS partner_id, p.segment_id, p.user_id, p.company_id,
                   p.lifecycle_stage, 1 AS customer_count,
                   (p.lifecycle_stage = 'lapsed')::int AS lapsed_count,
                   CASE WHEN p.lifecycle_stage = 'lapsed' THEN 100.0 ELSE 0.0 END
                       AS churn_rate,
                   p.health_score::float AS health_score, (%s)::float AS data_quality_score,
                   coalesce(inv.revenue, 0) AS revenue,
                   coalesce(inv.revenue_previous, 0) AS revenue_previous,
                   coalesce(inv.revenue, 0) - coalesce(inv.revenue_previous, 0)
                       AS revenue_growth,
                   coalesce(pipe.n, 0) AS pipeline_count,
                   coalesce(pipe.amount, 0) AS pipeline_revenue
              FROM res_partner p
         LEFT JOIN inv ON inv.partner_id = p.id
         LEFT JOIN pipe ON pipe.partner_id = p.id
             WHERE p.active AND p.parent_id IS NULL
               AND (p.segment_id IS NOT NULL OR p.customer_rank > 0 OR inv.partner_id IS NOT NULL)
            """,
            self._data_quality_sql(),
        )
