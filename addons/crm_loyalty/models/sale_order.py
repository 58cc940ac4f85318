from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    """Cancelling a confirmed order: sale_loyalty takes back from the card
    the points the order earned and gives back the points it spent. Keep
    the points lots in step, and refuse with a clear message when the
    customer has already spent the points the order earned (a balance is
    never negative: the database would refuse it with a bare error)."""

    _inherit = "sale.order"

    def _action_cancel(self):
        changes = {}
        for order in self.filtered(lambda o: o.state == "sale"):
            for coupon, change in order._get_point_changes().items():
                changes[coupon] = changes.get(coupon, 0.0) + change
        short = [
            (coupon, change) for coupon, change in changes.items() if coupon.points - change < 0
        ]
        if short:
            coupon, change = short[0]
            raise UserError(
                self.env._(
                    "This order cannot be cancelled: it earned %(earned)s points on %(card)s "
                    "(%(partner)s), which now holds only %(balance)s; the customer has "
                    "already spent them. Issue a credit note instead, or adjust the card first.",
                    earned=f"{change:g}",
                    card=coupon.code,
                    partner=coupon.partner_id.display_name or "-",
                    balance=f"{coupon.points:g}",
                )
            )
        result = super()._action_cancel()
        Card = self.env["loyalty.card"].sudo()
        taken = {c.id: ch for c, ch in changes.items() if ch > 0 and c.exists()}
        given = {c.id: -ch for c, ch in changes.items() if ch < 0 and c.exists()}
        if taken:
            Card._crm_consume_lots(taken)
        if given:
            Card._crm_create_lots(
                given, "refund", self.env._("Order cancelled: %s", ", ".join(self.mapped("name")))
            )
        return result
