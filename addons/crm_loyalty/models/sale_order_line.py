from odoo import api
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError


class SaleOrderLine(models.Model):
    """A reward line never costs negative points: a line with
    ``points_cost = -500`` would credit the card on confirmation; a reward
    the card may not have (a suspended card, a tier-only reward) is
    refused. (Lines
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
    def _check_crm_reward_allowed(self):
        """A reward on an order needs a card that may have it
        (``loyalty.card._loyalty_check_reward_allowed``), whoever writes the
        line."""
        for line in self.filtered(lambda rec: rec.reward_id and rec.coupon_id):
            try:
                line.coupon_id._loyalty_check_not_suspended()
                line.coupon_id._loyalty_check_reward_allowed(line.reward_id)
            except UserError as error:
                raise ValidationError(error.args[0]) from None
