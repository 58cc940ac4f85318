from odoo import api
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError


class SaleOrderLine(models.Model):
    """A reward line never costs negative points: a line with
    ``points_cost = -500`` would credit the card on confirmation; a
    tier-only reward needs a card of that tier. (Lines
    that change a confirmed order's points outside sale_loyalty's order
    flows are refused by the card's balance right.)"""

    _inherit = "sale.order.line"

    @api.constrains("points_cost")
    def _check_crm_points_cost(self):
        for line in self:
            if line.points_cost < 0:
                raise ValidationError(
                    self.env._(
                        "A reward line cannot cost negative points (%(line)s: %(cost)s).",
                        line=line.name,
                        cost=line.points_cost,
                    )
                )

    @api.constrains("reward_id", "coupon_id")
    def _check_crm_tier_reward(self):
        """A tier-only reward (``crm.loyalty.tier.reward_ids``) on an order
        needs a card whose tier unlocks it, whoever writes the line."""
        for line in self.filtered(lambda rec: rec.reward_id and rec.coupon_id):
            try:
                line.coupon_id._crm_check_not_suspended()
                line.coupon_id._crm_check_reward_allowed(line.reward_id)
            except UserError as error:
                raise ValidationError(error.args[0]) from None
