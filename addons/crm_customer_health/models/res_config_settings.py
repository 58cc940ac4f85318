from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ccare_at_risk_days = fields.Integer(related="company_id.ccare_at_risk_days", readonly=False)
    ccare_lapsed_days = fields.Integer(related="company_id.ccare_lapsed_days", readonly=False)
    ccare_health_floor = fields.Integer(related="company_id.ccare_health_floor", readonly=False)
    ccare_health_weight_recency = fields.Integer(
        related="company_id.ccare_health_weight_recency", readonly=False
    )
    ccare_health_weight_frequency = fields.Integer(
        related="company_id.ccare_health_weight_frequency", readonly=False
    )
    ccare_health_weight_monetary = fields.Integer(
        related="company_id.ccare_health_weight_monetary", readonly=False
    )
    ccare_health_frequency_cap = fields.Integer(
        related="company_id.ccare_health_frequency_cap", readonly=False
    )
    ccare_health_monetary_cap = fields.Float(
        related="company_id.ccare_health_monetary_cap", readonly=False
    )
