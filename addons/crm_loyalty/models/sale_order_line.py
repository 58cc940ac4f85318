from odoo import api
from odoo import models
from odoo.exceptions import ValidationError


class SaleOrderLine(models.Model):
    """A reward line never costs negative points: a line with
    ``points_cost = -500`` would credit the card on confirmation. (Lines
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
