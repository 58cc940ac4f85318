from odoo import fields
from odoo import models


class LoyaltyReward(models.Model):
    """The tiers that list a reward among their tier-only rewards: the other
    side of ``crm.loyalty.tier.reward_ids`` (the same table), read once for
    every reward on a page or an order instead of a search per card."""

    _inherit = "loyalty.reward"

    crm_tier_ids = fields.Many2many(
        "crm.loyalty.tier",
        "crm_loyalty_tier_loyalty_reward_rel",
        "loyalty_reward_id",
        "crm_loyalty_tier_id",
        string="Tiers",
        readonly=True,
        groups="crm_loyalty.group_crm_loyalty_user",
    )
