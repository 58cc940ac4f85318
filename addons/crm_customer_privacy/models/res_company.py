from odoo import fields
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    ccare_retention_months = fields.Integer(
        "Retention (months)",
        default=24,
        help="Closed accounts are anonymised this many months after closing (0: never).",
    )
