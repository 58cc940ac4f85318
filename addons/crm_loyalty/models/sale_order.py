from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError

from .loyalty_ledger import ledger_entry


class SaleOrder(models.Model):
    """sale_loyalty changes balances in its order flows (confirmation,
    cancellation, rewards and points of a confirmed order), often as the
    salesperson, who may not change a balance by hand: those flows run in a
    ``ledger_entry`` (the server's own permission), and the card's hook turns
    every change into lots (source *Sale*; points given back: *Redemption
    cancelled*, which does not count towards a tier).

    Cancelling a confirmed order: sale_loyalty takes back from the card the
    points the order earned and gives back the points it spent. Refuse with a
    clear message when the customer has already spent the points the order
    earned (a balance is never negative: the database would refuse it with a
    bare error)."""

    _inherit = "sale.order"

    def _crm_ledger_description(self):
        return self.env._("Order %s", ", ".join(self.mapped("name")))

    def _crm_points_split(self, reverse=False):
        """``{card_id: (points earned, points spent)}`` of these orders, as
        sale_loyalty counts them (``_get_point_changes``); ``reverse`` for a
        cancellation, which takes back what was earned and gives back what
        was spent."""
        split = defaultdict(lambda: [0.0, 0.0])
        for entry in self.coupon_point_ids:
            split[entry.coupon_id.id][0] += entry.points
        for line in self.order_line.filtered("coupon_id"):
            split[line.coupon_id.id][1] += line.points_cost
        return {
            card_id: (spent, earned) if reverse else (earned, spent)
            for card_id, (earned, spent) in split.items()
        }

    def action_confirm(self):
        pending = self.filtered(lambda o: o.state != "sale")
        with ledger_entry("sale", self._crm_ledger_description(), split=pending._crm_points_split):
            return super().action_confirm()

    def _update_programs_and_rewards(self):
        with ledger_entry("sale", self._crm_ledger_description()):
            return super()._update_programs_and_rewards()

    def _apply_program_reward(self, reward, coupon, **kwargs):
        with ledger_entry("sale", self._crm_ledger_description()):
            return super()._apply_program_reward(reward, coupon, **kwargs)

    def _try_apply_program(self, program, coupon=None):
        with ledger_entry("sale", self._crm_ledger_description()):
            return super()._try_apply_program(program, coupon=coupon)

    def _try_apply_code(self, code):
        with ledger_entry("sale", self._crm_ledger_description()):
            return super()._try_apply_code(code)

    def _add_points_for_coupon(self, coupon_points):
        with ledger_entry("sale", self._crm_ledger_description()):
            return super()._add_points_for_coupon(coupon_points)

    def _update_loyalty_history(self, coupon_id, points):
        with ledger_entry("sale", self._crm_ledger_description()):
            return super()._update_loyalty_history(coupon_id, points)

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
        confirmed = self.filtered(lambda o: o.state == "sale")
        description = self.env._("Order cancelled: %s", ", ".join(self.mapped("name")))
        with ledger_entry(
            "refund", description, split=lambda: confirmed._crm_points_split(reverse=True)
        ):
            return super()._action_cancel()
