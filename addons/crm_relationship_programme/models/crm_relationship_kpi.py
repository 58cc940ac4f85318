from odoo import api
from odoo import fields
from odoo import models

KPI_FIELDS = {
    "participation": "participation_rate",
    "retention": "retention_member",
    "revenue_member": "revenue_member",
    "revenue_uplift": "revenue_uplift",
    "nps": "nps_after",
    "satisfaction": "satisfaction",
    "response_rate": "response_rate",
    "roi": "roi",
}


class CrmRelationshipKpi(models.Model):
    _name = "crm.relationship.kpi"
    _description = "Relationship Programme KPI"
    _order = "programme_id, sequence, id"

    programme_id = fields.Many2one(
        "crm.relationship.programme", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="programme_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    kpi_type = fields.Selection(
        [
            ("participation", "Participation (%)"),
            ("retention", "Retention of members (%)"),
            ("revenue_member", "Revenue per member"),
            ("revenue_uplift", "Revenue uplift vs holdout (%)"),
            ("nps", "NPS"),
            ("satisfaction", "Satisfaction (%)"),
            ("response_rate", "Survey response rate (%)"),
            ("roi", "ROI (%)"),
        ],
        string="KPI",
        required=True,
    )
    target = fields.Float(required=True)
    actual = fields.Float(compute="_compute_actual")
    achieved_percent = fields.Float("Achieved (%)", compute="_compute_actual")
    achieved = fields.Boolean(compute="_compute_actual")

    @api.depends("kpi_type", "target")
    def _compute_actual(self):
        for kpi in self:
            kpi.actual = kpi.programme_id[KPI_FIELDS[kpi.kpi_type]] if kpi.kpi_type else 0.0
            kpi.achieved = kpi.actual >= kpi.target
            kpi.achieved_percent = 100.0 * kpi.actual / kpi.target if kpi.target else 0.0
