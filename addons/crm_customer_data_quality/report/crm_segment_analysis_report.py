from odoo import fields
from odoo import models
from odoo.tools import SQL


class CrmSegmentAnalysisReport(models.Model):
    """The segment analysis shows each customer's data-quality score
    (averaged per segment, account manager or company)."""

    _inherit = "crm.segment.analysis.report"
    _depends = {"res.partner": ["data_quality_score"]}

    data_quality_score = fields.Float(
        "Data Quality", readonly=True, aggregator="avg", digits=(16, 1)
    )

    def _ccare_partner_columns(self):
        return {
            **super()._ccare_partner_columns(),
            "data_quality_score": SQL("p.data_quality_score::float"),
        }
