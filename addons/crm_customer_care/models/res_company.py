from odoo import fields
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    ccare_at_risk_days = fields.Integer(
        "At Risk After (days)",
        default=90,
        help="A customer who has not bought for this many days is at risk.",
    )
    ccare_lapsed_days = fields.Integer(
        "Lapsed After (days)",
        default=365,
        help="A customer who has not bought for this many days has lapsed.",
    )
    ccare_health_floor = fields.Integer(
        "Health Floor",
        default=40,
        help="A customer whose relationship health falls below this score is at risk.",
    )
    ccare_retention_months = fields.Integer(
        "Retention (months)",
        default=24,
        help="Closed accounts are anonymised this many months after closing (0: never).",
    )
