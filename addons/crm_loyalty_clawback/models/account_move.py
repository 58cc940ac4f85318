from collections import defaultdict

from odoo import models


class AccountMove(models.Model):
    """A posted customer credit note takes back the loyalty points of the
    order lines it refunds, pro rata: the points sale_loyalty gave the
    order (``coupon_point_ids``, per card) times the share of the order's
    untaxed amount (reward lines left out) the credit notes refund,
    cumulated over the order's posted credit notes and capped at the whole.
    What the balance no longer holds is recorded as owed."""

    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        refunds = posted.filtered(lambda m: m.move_type == "out_refund" and m.state == "posted")
        if refunds:
            refunds._loyalty_clawback()
        return posted

    def _loyalty_clawback(self):
        takes = self._loyalty_clawback_points()
        if takes:
            self.env["loyalty.card"].sudo()._loyalty_points_take_back(
                takes, self.env._("Credit note")
            )

    def _loyalty_clawback_points(self):
        """``{(credit_note_id, card_id, order_id): points}`` to take back for these
        credit notes. Worked example: an order of 1,000 (untaxed) earned 100
        points; a first credit note of 300 takes 30; a second of 900 takes
        70 (the order is refunded in full: 100 in all, never more)."""
        lines = self.sudo().invoice_line_ids.filtered(
            lambda line: line.sale_line_ids and not line.sale_line_ids.filtered("is_reward_line")
        )
        orders = lines.sale_line_ids.order_id.filtered(lambda o: o.coupon_point_ids)
        if not orders:
            return {}
        all_lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("move_id.move_type", "=", "out_refund"),
                    ("move_id.state", "=", "posted"),
                    ("sale_line_ids.order_id", "in", orders.ids),
                    ("display_type", "=", "product"),
                ]
            )
        )
        refunded = defaultdict(float)  # (order, move) -> untaxed refunded
        for line in all_lines:
            sale_lines = line.sale_line_ids
            if sale_lines.filtered("is_reward_line"):
                continue
            for order in sale_lines.order_id & orders:
                refunded[(order.id, line.move_id.id)] += line.price_subtotal
        takes = defaultdict(float)
        for order in orders:
            base = sum(
                order.order_line.filtered(
                    lambda line: not line.is_reward_line and not line.display_type
                ).mapped("price_subtotal")
            )
            if base <= 0:
                continue
            earned = defaultdict(float)
            for entry in order.coupon_point_ids:
                if entry.points > 0:
                    earned[entry.coupon_id.id] += entry.points
            done = 0.0
            for (order_id, move_id), amount in sorted(refunded.items(), key=lambda i: i[0][1]):
                if order_id != order.id:
                    continue
                before = min(1.0, done / base)
                done += amount
                share = min(1.0, done / base) - before
                if move_id in self.ids and share > 0:
                    for card_id, points in earned.items():
                        takes[(move_id, card_id, order.id)] += points * share
        return dict(takes)
