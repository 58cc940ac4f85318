from odoo import fields, models


class CrmCallPolicy(models.Model):
    """How often, and how, the accounts of a segment are called."""

    _name = "crm.call.policy"
    _description = "Call Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    segment_id = fields.Many2one(
        "crm.customer.segment", check_company=True, index=True, ondelete="restrict"
    )
    channel = fields.Selection(
        [("visit", "Visit"), ("phone", "Phone"), ("video", "Video call"), ("email", "Email")],
        required=True,
        default="phone",
    )
    interval_number = fields.Integer("Every", default=1, required=True)
    interval_type = fields.Selection(
        [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
        required=True,
        default="months",
    )

    _interval_positive = models.Constraint(
        "CHECK(interval_number > 0)",
        "The call frequency must be at least one day, week or month.",
    )
