from odoo import fields
from odoo import models
from odoo.tools import SQL

from ..models.res_partner_health import LIFECYCLE_STAGES


class CrmSegmentAnalysisReport(models.Model):
    """The segment analysis shows each customer's lifecycle stage (churn =
    lapsed) and relationship health, with its band (averaged per segment,
    account manager or company)."""

    _inherit = "crm.segment.analysis.report"
    _order = "health_score, id"
    _depends = {"res.partner": ["lifecycle_stage", "health_score"]}

    lifecycle_stage = fields.Selection(LIFECYCLE_STAGES, "Lifecycle Stage", readonly=True)
    lapsed_count = fields.Integer("Lapsed", readonly=True, aggregator="sum")
    churn_rate = fields.Float("Churn (%)", readonly=True, aggregator="avg", digits=(16, 1))
    health_score = fields.Float("Health", readonly=True, aggregator="avg", digits=(16, 1))
    health_band = fields.Selection(
        [("poor", "Poor (0-39)"), ("fair", "Fair (40-69)"), ("good", "Good (70-100)")],
        "Health Band",
        readonly=True,
        help="Relationship health 0-39 poor, 40-69 fair, 70-100 good; never computed reads 0.",
    )

    def _ccare_partner_columns(self):
        return {
            **super()._ccare_partner_columns(),
            "lifecycle_stage": SQL("p.lifecycle_stage"),
            "lapsed_count": SQL("(p.lifecycle_stage = 'lapsed')::int"),
            "churn_rate": SQL("CASE WHEN p.lifecycle_stage = 'lapsed' THEN 100.0 ELSE 0.0 END"),
            "health_score": SQL("p.health_score::float"),
            "health_band": SQL(
                "CASE WHEN coalesce(p.health_score, 0) >= 70 THEN 'good'"
                " WHEN coalesce(p.health_score, 0) >= 40 THEN 'fair' ELSE 'poor' END"
            ),
        }
