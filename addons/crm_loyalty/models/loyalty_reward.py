from odoo import fields
from odoo import models


class LoyaltyReward(models.Model):
    _inherit = "loyalty.reward"

    crm_source_reward_id = fields.Many2one(
        "loyalty.reward",
        "Redeemed Reward",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The loyalty reward whose redemptions issue coupons for this one.",
    )
