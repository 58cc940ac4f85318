from odoo import fields
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    # statutory requests (data access, correction, erasure): the law that
    # sets their deadline, who owns them, when the owner is warned
    ccare_privacy_regime = fields.Selection(
        [("pdpo", "Hong Kong PDPO"), ("gdpr", "EU GDPR")],
        "Privacy Law",
        default="pdpo",
        required=True,
        help="PDPO: answer data access and correction requests within the number of days "
        "below (40 by law). GDPR: within one month of receipt.",
    )
    ccare_statutory_days = fields.Integer(
        "Statutory Deadline (days)",
        default=40,
        help="Under the PDPO, days from receipt to answer a data access or correction request.",
    )
    ccare_statutory_warn_days = fields.Integer(
        "Warn Before (days)",
        default=7,
        help="The owner of a statutory request is warned this many days before its deadline.",
    )
    ccare_privacy_officer_id = fields.Many2one(
        "res.users",
        "Privacy Officer",
        domain="[('share', '=', False)]",
        help="Owns the statutory requests customers send from the portal.",
    )

    _ccare_statutory_days_positive = models.Constraint(
        "CHECK (ccare_statutory_days > 0 AND ccare_statutory_warn_days >= 0)",
        "The statutory deadline must be at least one day, and the warning not negative.",
    )
