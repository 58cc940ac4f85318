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
        # a copied reward (a duplicated program) is no tier's reward
        copy=False,
        # read as superuser only: a tier's rewards are changed on the tier,
        # by those who may write tiers (loyalty managers), never from here
        # by someone who may only write rewards
        groups="base.group_system",
    )
