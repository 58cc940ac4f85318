from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo import models
from odoo.tools import SQL

from .crm_customer_revenue_report import revenue_lines_sql


class CrmSegmentAnalysisReport(models.Model):
    """Segment analysis: one row per customer (commercial partner with a
    segment or a sale), with its revenue (``crm.customer.revenue.report``,
    accounting dates, in the customer's company: the current one for a
    shared customer) over the last twelve months and the twelve before (the
    growth is their difference, so it adds up per segment), open pipeline,
    and the figures other features add (``_ccare_partner_columns``)."""

    _name = "crm.segment.analysis.report"
    _description = "Segment Analysis"
    _auto = False
    _rec_name = "partner_id"
    _order = "id"
    _depends = {
        "crm.customer.revenue.report": ["revenue", "company_id", "commercial_partner_id"],
        "res.partner": ["segment_id", "user_id", "company_id"],
        "crm.lead": ["expected_revenue", "won_status", "partner_id", "active"],
    }

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    segment_id = fields.Many2one("crm.customer.segment", "Segment", readonly=True)
    user_id = fields.Many2one("res.users", "Account Manager", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    customer_count = fields.Integer("Customers", readonly=True, aggregator="sum")
    revenue = fields.Float(
        "Revenue (12 months)",
        readonly=True,
        aggregator="sum",
        groups="crm_customer_care.group_crm_customer_care_manager",
    )
    revenue_previous = fields.Float(
        "Revenue (previous 12 months)",
        readonly=True,
        aggregator="sum",
        groups="crm_customer_care.group_crm_customer_care_manager",
    )
    revenue_growth = fields.Float(
        "Growth",
        readonly=True,
        aggregator="sum",
        groups="crm_customer_care.group_crm_customer_care_manager",
    )
    pipeline_count = fields.Integer("Open Opportunities", readonly=True, aggregator="sum")
    pipeline_revenue = fields.Float(
        "Open Pipeline",
        readonly=True,
        aggregator="sum",
        groups="crm_customer_care.group_crm_customer_care_manager",
    )

    def _ccare_partner_columns(self):
        """``{field name: SQL}``: the figures of the customer other features
        add to this report, as SQL over its ``res_partner`` row ``p``. An
        addon that overrides this declares the field (readonly, with its
        aggregator) and adds what it reads to ``_depends``; e.g. Data
        Quality adds ``{"data_quality_score": SQL("p.data_quality_score")}``."""
        return {}

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            """
            WITH inv AS (
                SELECT r.commercial_partner_id AS partner_id, r.company_id,
                       sum(r.revenue) FILTER (WHERE r.date > %(year_ago)s) AS revenue,
                       sum(r.revenue) FILTER (WHERE r.date <= %(year_ago)s) AS revenue_previous
                  FROM (%(revenue)s) r
                 WHERE r.date > %(two_years_ago)s AND r.date <= %(today)s
              GROUP BY r.commercial_partner_id, r.company_id
            ), pipe AS (
                SELECT partner.commercial_partner_id AS partner_id,
                       coalesce(lead.company_id, %(company)s) AS company_id, count(*) AS n,
                       sum(lead.expected_revenue) AS amount
                  FROM crm_lead lead
                  JOIN res_partner partner ON partner.id = lead.partner_id
                 WHERE lead.active AND lead.won_status = 'pending'
              GROUP BY partner.commercial_partner_id, coalesce(lead.company_id, %(company)s)
            )
            SELECT p.id, p.id AS partner_id, p.segment_id, p.user_id,
                   coalesce(p.company_id, %(company)s) AS company_id,
                   1 AS customer_count,
                   coalesce(inv.revenue, 0) AS revenue,
                   coalesce(inv.revenue_previous, 0) AS revenue_previous,
                   coalesce(inv.revenue, 0) - coalesce(inv.revenue_previous, 0)
                       AS revenue_growth,
                   coalesce(pipe.n, 0) AS pipeline_count,
                   coalesce(pipe.amount, 0) AS pipeline_revenue%(partner_columns)s
              FROM res_partner p
         -- revenue of the customer's company (the current one for a customer
         -- shared between companies): amounts of two companies never add up
         LEFT JOIN inv ON inv.partner_id = p.id
                      AND inv.company_id = coalesce(p.company_id, %(company)s)
         LEFT JOIN pipe ON pipe.partner_id = p.id
                       AND pipe.company_id = coalesce(p.company_id, %(company)s)
             WHERE p.active AND p.parent_id IS NULL
               AND (p.segment_id IS NOT NULL OR p.customer_rank > 0 OR inv.partner_id IS NOT NULL)
            """,
            partner_columns=SQL("").join(
                SQL(", %s AS %s", column, SQL.identifier(name))
                for name, column in self._ccare_partner_columns().items()
            ),
            revenue=revenue_lines_sql(self.env),
            company=self.env.company.id,
            today=today,
            year_ago=today - relativedelta(years=1),
            two_years_ago=today - relativedelta(years=2),
        )
