from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ccare_retention_months = fields.Integer(
        related="company_id.ccare_retention_months", readonly=False
    )
