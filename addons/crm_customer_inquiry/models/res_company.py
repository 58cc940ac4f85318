from odoo import fields
from odoo import models


class ResCompany(models.Model):
    """The weight and the cap of the "Open inquiries" factor of the
    relationship health score (``res.partner._ccare_health_factors``)."""

    _inherit = "res.company"

    ccare_health_weight_inquiries = fields.Integer(
        "Open Inquiries Weight",
        default=15,
        help="Points of the open inquiries factor in the health score.",
    )
    ccare_health_inquiry_cap = fields.Integer(
        "Open Inquiries for Zero",
        default=4,
        help="Open inquiries (an overdue one counts double) at which the factor scores nothing.",
    )

    _ccare_health_inquiry_positive = models.Constraint(
        "CHECK (ccare_health_weight_inquiries >= 0 AND ccare_health_inquiry_cap > 0)",
        "The open inquiries weight cannot be negative, and its cap must be greater than zero.",
    )
