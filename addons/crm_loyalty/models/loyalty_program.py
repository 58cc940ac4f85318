from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class LoyaltyProgram(models.Model):
    """Points expiry, return window and redemption options on Odoo's loyalty
    programs."""

    _inherit = "loyalty.program"

    crm_points_expiry = fields.Selection(
        [("never", "Never"), ("months", "After N months"), ("end_of_year", "End of next year")],
        string="Points Expire",
        default="never",
        required=True,
    )
    crm_points_validity_months = fields.Integer("Points Valid (months)", default=12)
    crm_expiry_warning_days = fields.Integer(
        "Warn Before Expiry (days)", default=30, help="0: no warning."
    )
    crm_return_window_days = fields.Integer(
        "Return Window (days)",
        default=0,
        help="Points an order earns stay pending (not spendable, not expiring) for this many "
        "days after the order is confirmed, then become available. 0: at once.",
    )
    crm_issue_coupons = fields.Boolean(
        "Redeem as Coupon Codes",
        help="A redemption of a reward issues a coupon code for it (in the program's reward "
        "coupons program), which the member sees on the portal and staff apply on an order.",
    )
    crm_coupon_program_id = fields.Many2one(
        "loyalty.program",
        "Reward Coupons Program",
        readonly=True,
        copy=False,
        help="The coupons program the redemptions of this program issue codes in.",
    )
    crm_points_rule_ids = fields.One2many(
        "crm.loyalty.points.rule",
        "program_id",
        string="Activity Points",
        groups="crm_loyalty.group_crm_loyalty_user",
    )

    _crm_window_positive = models.Constraint(
        "CHECK (crm_points_validity_months > 0 AND crm_expiry_warning_days >= 0)",
        "Points validity must be positive and warning days cannot be negative.",
    )

    _crm_return_window_positive = models.Constraint(
        "CHECK (coalesce(crm_return_window_days, 0) >= 0)",
        "The return window cannot be negative.",
    )

    @api.constrains("crm_points_expiry", "crm_points_validity_months")
    def _check_crm_points_validity(self):
        for program in self:
            if program.crm_points_expiry == "months" and program.crm_points_validity_months <= 0:
                raise ValidationError(
                    self.env._("Points Valid (months) must be positive on %s.", program.name)
                )

    def _loyalty_expiry_date(self, date):
        """When points earned on ``date`` expire (False: never)."""
        self.ensure_one()
        if self.crm_points_expiry == "months":
            return date + relativedelta(months=self.crm_points_validity_months)
        if self.crm_points_expiry == "end_of_year":
            return date + relativedelta(years=1, month=12, day=31)
        return False

    def _loyalty_coupon_reward(self, reward):
        """The reward of this program's reward coupons program that matches
        ``reward`` (created with the program the first time): a coupon of
        ``reward.required_points`` points claims it on an order."""
        self.ensure_one()
        program = self.sudo()
        coupons = program.crm_coupon_program_id
        if not coupons:
            values = program._get_template_values()["coupons"]
            reward_values = reward.sudo().copy_data({"crm_source_reward_id": reward.id})[0]
            reward_values.pop("program_id", None)
            coupons = program.create(
                {
                    **values,
                    "name": self.env._("%(program)s: reward coupons", program=program.name),
                    "company_id": program.company_id.id,
                    "currency_id": program.currency_id.id,
                    # a program needs a reward: the first one redeemed
                    "reward_ids": [(5, 0, 0), (0, 0, reward_values)],
                    # the member sees the code on the portal; no e-mail from here
                    "communication_plan_ids": [(5, 0, 0)],
                }
            )
            program.crm_coupon_program_id = coupons
        copy = coupons.with_context(active_test=False).reward_ids.filtered(
            lambda r: r.crm_source_reward_id == reward
        )[:1]
        if not copy:
            copy = reward.sudo().copy({"program_id": coupons.id, "crm_source_reward_id": reward.id})
        return copy
