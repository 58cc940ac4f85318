from odoo import fields
from odoo import models


class LoyaltyProgram(models.Model):
    """The eWallet program a loyalty program's points convert into, and at
    what rate."""

    _inherit = "loyalty.program"

    crm_ewallet_program_id = fields.Many2one(
        "loyalty.program",
        "Convert Points To",
        domain="[('program_type', '=', 'ewallet'), ('id', '!=', id)]",
        check_company=True,
        help="An eWallet program members may move any number of their points into, at the "
        "rate below (a partial redemption).",
    )
    crm_ewallet_rate = fields.Float(
        "eWallet Value per Point",
        default=0.01,
        digits=(16, 4),
        help="eWallet credit one point converts into (0.01: 100 points make 1.00).",
    )

    _crm_ewallet_rate_positive = models.Constraint(
        "CHECK (coalesce(crm_ewallet_rate, 0) >= 0)", "The eWallet rate cannot be negative."
    )
