from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ccare_privacy_regime = fields.Selection(
        related="company_id.ccare_privacy_regime", readonly=False
    )
    ccare_statutory_days = fields.Integer(related="company_id.ccare_statutory_days", readonly=False)
    ccare_statutory_warn_days = fields.Integer(
        related="company_id.ccare_statutory_warn_days", readonly=False
    )
    ccare_privacy_officer_id = fields.Many2one(
        related="company_id.ccare_privacy_officer_id", readonly=False
    )
