from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _apply_program_reward(self, reward, coupon, **kwargs):
        """A tier-only reward on an order says which tier it needs."""
        if coupon and not coupon.sudo().crm_suspended:
            lowest = coupon._loyalty_reward_tiers(reward)
            if reward.id in lowest and coupon._loyalty_locked_rewards(reward):
                return {
                    "error": self.env._(
                        "%(reward)s is reserved for %(tier)s members and above.",
                        reward=reward.description,
                        tier=lowest[reward.id].name,
                    )
                }
        return super()._apply_program_reward(reward, coupon, **kwargs)
