from odoo import api
from odoo import models
from odoo.exceptions import ValidationError

from .loyalty_ledger import ledger_entry


class SaleOrderLine(models.Model):
    """Removing a reward line from a confirmed order gives its points back
    (sale_loyalty): a server flow, whoever removes it. Creating or editing a
    line that changes a confirmed order's points is not: only sale_loyalty's
    order flows (``sale.order``) or a user with the right to change balances
    by hand may. A reward line never costs negative points (a line with
    ``points_cost = -500`` would credit the card on confirmation)."""

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

    def unlink(self):
        orders = self.order_id
        description = self.env._("Reward removed: %s", ", ".join(orders.mapped("name")))
        with ledger_entry("refund", description):
            return super().unlink()
