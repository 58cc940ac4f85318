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
    # relationship health: weights of the factors and the caps that give
    # full marks (today's values are the defaults)
    ccare_health_weight_recency = fields.Integer(
        "Recency Weight", default=35, help="Points of the recency factor in the health score."
    )
    ccare_health_weight_frequency = fields.Integer(
        "Frequency Weight", default=30, help="Points of the frequency factor in the health score."
    )
    ccare_health_weight_monetary = fields.Integer(
        "Monetary Weight", default=35, help="Points of the monetary factor in the health score."
    )
    ccare_health_frequency_cap = fields.Integer(
        "Invoices for Full Frequency",
        default=12,
        help="Invoices in 12 months that give full marks for frequency.",
    )
    ccare_health_monetary_cap = fields.Float(
        "Median Multiple for Full Monetary",
        default=2.0,
        help="12-month revenue, as a multiple of the median customer's, that gives full marks "
        "for monetary value.",
    )

    _ccare_health_weights_positive = models.Constraint(
        "CHECK (ccare_health_weight_recency >= 0 AND ccare_health_weight_frequency >= 0"
        " AND ccare_health_weight_monetary >= 0)",
        "Health weights cannot be negative.",
    )
    _ccare_health_caps_positive = models.Constraint(
        "CHECK (ccare_health_frequency_cap > 0 AND ccare_health_monetary_cap > 0)",
        "Health caps must be greater than zero.",
    )
