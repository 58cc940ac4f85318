from odoo import fields
from odoo import models


class LoyaltyProgramAnomaly(models.Model):
    """The thresholds of the anomaly detection, per program
    (``crm.loyalty.anomaly``)."""

    _inherit = "loyalty.program"

    crm_anomaly_velocity_factor = fields.Float(
        "Velocity Factor",
        default=5.0,
        help="Flag a member who earns, in 7 days, more than this many times the median of "
        "their own weeks (or, without history, of their segment's members).",
    )
    crm_anomaly_min_points = fields.Float(
        "Velocity Minimum",
        default=100.0,
        help="Below this many points in 7 days, earning is never flagged as too fast.",
    )
    crm_anomaly_redeem_hours = fields.Integer(
        "Redeem-after-earn Window (hours)",
        default=24,
        help="Flag a redemption paid mostly by points earned within these hours before it.",
    )

    _crm_anomaly_thresholds_positive = models.Constraint(
        "CHECK (crm_anomaly_velocity_factor > 1 AND crm_anomaly_min_points >= 0"
        " AND crm_anomaly_redeem_hours > 0)",
        "Anomaly thresholds: a velocity factor above 1, a minimum and a window not negative.",
    )
