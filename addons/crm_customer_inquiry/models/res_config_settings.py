from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ccare_health_weight_inquiries = fields.Integer(
        related="company_id.ccare_health_weight_inquiries", readonly=False
    )
    ccare_health_inquiry_cap = fields.Integer(
        related="company_id.ccare_health_inquiry_cap", readonly=False
    )
