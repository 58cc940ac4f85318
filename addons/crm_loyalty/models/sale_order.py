import contextlib
from collections import defaultdict
from contextvars import ContextVar

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .loyalty_ledger import ledger_entry

# the orders whose point changes sale_loyalty is about to apply, and the
# event they post ("sale" on confirmation, "reverse" on cancellation)
_CLAIM = ContextVar("crm_loyalty_sale_claim", default=None)


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

    def _loyalty_ledger_description(self):
        return self.env._("Order %s", ", ".join(self.mapped("name")))

    def _loyalty_points_split(self, reverse=False):
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

    def _loyalty_origin(self):
        return (self._name, self.id) if len(self) == 1 else None

    def _loyalty_sale_cycles(self):
        """``{(order_id, card_id): (confirmations, cancellations)}`` posted."""
        self.env["crm.loyalty.posting"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT res_id, card_id, count(*) FILTER (WHERE event = 'sale'),
                       count(*) FILTER (WHERE event = 'reverse')
                  FROM crm_loyalty_posting
                 WHERE res_model = %s AND res_id = ANY(%s) AND key IS NOT NULL
              GROUP BY res_id, card_id
                """,
                self._name,
                self.ids,
            )
        )
        return {
            (order_id, card_id): (sold, reversed_) for order_id, card_id, sold, reversed_ in rows
        }

    def _loyalty_pending_points(self, event):
        """``{(order_id, card_id): points}`` of these orders that are (on
        confirmation: go) pending, out of the balance: on confirmation, what
        an order earns on a program with a return window; on cancellation,
        what its lots still hold pending."""
        if event == "sale":
            pending = defaultdict(float)
            for entry in self.coupon_point_ids.sudo():
                if entry.points > 0 and entry.coupon_id.program_id.crm_return_window_days > 0:
                    pending[(entry.order_id.id, entry.coupon_id.id)] += entry.points
            return dict(pending)
        rows = (
            self.env["crm.loyalty.points.lot"]
            .sudo()
            ._read_group(
                [("order_id", "in", self.ids), ("pending", ">", 0)],
                ["order_id", "card_id"],
                ["pending:sum"],
            )
        )
        return {(order.id, card.id): points for order, card, points in rows}

    def _loyalty_claim_postings(self, event, pending=None):
        """Post the point changes of these orders as ``event`` ("sale" or
        "reverse"), keyed by order, card and cycle (the number of times the
        order was cancelled before): a second confirmation of the same cycle,
        or a second cancellation, is refused by the database. Points that are
        (or stay) pending are not posted: their release is. Returns the
        orders refused (already posted)."""
        cycles = self._loyalty_sale_cycles()
        pending = pending or {}
        Posting = self.env["crm.loyalty.posting"].sudo()
        rows, owner = [], []
        for order in self:
            for card_id, (earned, spent) in order._loyalty_points_split(
                reverse=event == "reverse"
            ).items():
                withheld = pending.get((order.id, card_id), 0.0)
                if event == "sale":
                    earned = max(earned - withheld, 0.0)
                else:
                    spent = max(spent - withheld, 0.0)
                if not earned and not spent and not withheld:
                    continue
                sold, reversed_ = cycles.get((order.id, card_id), (0, 0))
                cycle = reversed_ if event == "sale" else sold - 1
                description = (
                    order._loyalty_ledger_description()
                    if event == "sale"
                    else self.env._("Order cancelled: %s", order.name)
                )
                if withheld:
                    description = self.env._(
                        "%(description)s (%(points)s points pending)",
                        description=description,
                        points=f"{withheld:g}",
                    )
                rows.append(
                    {
                        "card_id": card_id,
                        "event": event,
                        "source": "sale" if event == "sale" else "refund",
                        "issued": earned,
                        "used": spent,
                        "description": description,
                        "res_model": order._name,
                        "res_id": order.id,
                        "key": Posting._loyalty_key(event, order, cycle),
                    }
                )
                owner.append(order.id)
        accepted = Posting._loyalty_post(rows)
        return self.browse(sorted({owner[i] for i in range(len(rows)) if i not in accepted}))

    def _get_point_changes(self):
        claim = _CLAIM.get()
        if claim is None:
            return super()._get_point_changes()
        claimed = self.filtered(lambda o: o.id in claim["ids"] and o.id not in claim["done"])
        if claimed:
            claim["done"].update(claimed.ids)
            pending = claimed._loyalty_pending_points(claim["event"])
            refused = claimed._loyalty_claim_postings(claim["event"], pending)
            claim["refused"].update(refused.ids)
            claim["pending"].update(
                {key: points for key, points in pending.items() if key[0] not in refused.ids}
            )
            if claim["event"] == "reverse" and claim["pending"]:
                # the pending points of a cancelled order never reach the balance
                self.env["crm.loyalty.points.lot"].sudo().search(
                    [
                        ("order_id", "in", (claimed - refused).ids),
                        ("pending", ">", 0),
                    ]
                ).unlink()
        kept = self.filtered(lambda o: o.id not in claim["refused"])
        changes = super(SaleOrder, kept)._get_point_changes()
        for (order_id, card_id), points in claim["pending"].items():
            if order_id in kept.ids:
                coupon = self.env["loyalty.card"].browse(card_id)
                changes[coupon] -= points
        return changes

    def _add_loyalty_history_lines(self):
        # a confirmation already posted (same cycle) writes no second line
        cycles = self._loyalty_sale_cycles()
        if any(sold > reversed_ for sold, reversed_ in cycles.values()):
            return None
        return super()._add_loyalty_history_lines()

    @contextlib.contextmanager
    def _loyalty_claimed(self, event):
        """sale_loyalty's point changes of these orders in the block are
        posted as ``event`` (keyed), once; yields the claim (``refused``:
        the ids of the orders already posted)."""
        claim = {
            "event": event,
            "ids": set(self.ids),
            "done": set(),
            "refused": set(),
            "pending": {},
        }
        token = _CLAIM.set(claim)
        try:
            yield claim
        finally:
            _CLAIM.reset(token)

    def action_confirm(self):
        pending = self.filtered(lambda o: o.state != "sale")
        with pending._loyalty_claimed("sale") as claim:
            with ledger_entry(
                "sale",
                self._loyalty_ledger_description(),
                split=lambda: (pending - pending.browse(claim["refused"]))._loyalty_points_split(),
                event="sale",
                origin=self._loyalty_origin(),
                journal=False,
            ):
                result = super().action_confirm()
            if claim["pending"]:
                self.env["loyalty.card"].sudo()._loyalty_create_pending_lots(claim["pending"])
            return result

    def _update_programs_and_rewards(self):
        with ledger_entry(
            "sale", self._loyalty_ledger_description(), event="sale", origin=self._loyalty_origin()
        ):
            return super()._update_programs_and_rewards()

    def _apply_program_reward(self, reward, coupon, **kwargs):
        if coupon and coupon.sudo().crm_suspended:
            return {"error": self.env._("This loyalty card is suspended: it redeems nothing.")}
        if coupon and coupon._loyalty_locked_rewards(reward):
            return {
                "error": self.env._(
                    "%(reward)s is not available to this card.", reward=reward.description
                )
            }
        with ledger_entry(
            "sale", self._loyalty_ledger_description(), event="sale", origin=self._loyalty_origin()
        ):
            return super()._apply_program_reward(reward, coupon, **kwargs)

    def _get_claimable_rewards(self, forced_coupons=None):
        result = super()._get_claimable_rewards(forced_coupons=forced_coupons)
        for coupon in list(result):
            if coupon.sudo().crm_suspended:
                del result[coupon]
                continue
            locked = coupon._loyalty_locked_rewards(result[coupon])
            if locked:
                result[coupon] -= locked
                if not result[coupon]:
                    del result[coupon]
        return result

    def _program_check_compute_points(self, programs):
        """The member's card decides the points an order earns on a loyalty
        program: its multiplier applies (``_loyalty_points_multipliers``; the
        order shows them, the card gets them through sale_loyalty's own flow
        and the ledger's lots) and a suspended card earns none."""
        result = super()._program_check_compute_points(programs)
        if not self.partner_id:
            return result
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .search([("program_id", "in", programs.ids), ("partner_id", "=", self.partner_id.id)])
        )
        multipliers = cards._loyalty_points_multipliers()
        for card in cards:
            status = result.get(card.program_id.with_env(self.env))
            if not status or not status.get("points"):
                continue
            multiplier = 0.0 if card.crm_suspended else multipliers[card.id]
            if multiplier != 1.0:
                status["points"] = [points * multiplier for points in status["points"]]
        return result

    def _try_apply_program(self, program, coupon=None):
        with ledger_entry(
            "sale", self._loyalty_ledger_description(), event="sale", origin=self._loyalty_origin()
        ):
            return super()._try_apply_program(program, coupon=coupon)

    def _try_apply_code(self, code):
        with ledger_entry(
            "sale", self._loyalty_ledger_description(), event="sale", origin=self._loyalty_origin()
        ):
            return super()._try_apply_code(code)

    def _add_points_for_coupon(self, coupon_points):
        with ledger_entry(
            "sale", self._loyalty_ledger_description(), event="sale", origin=self._loyalty_origin()
        ):
            return super()._add_points_for_coupon(coupon_points)

    def _update_loyalty_history(self, coupon_id, points):
        with ledger_entry(
            "sale", self._loyalty_ledger_description(), event="sale", origin=self._loyalty_origin()
        ):
            return super()._update_loyalty_history(coupon_id, points)

    def _action_cancel(self):
        changes = {}
        confirmed = self.filtered(lambda o: o.state == "sale")
        pending = confirmed._loyalty_pending_points("reverse")
        for order in confirmed:
            for coupon, change in order._get_point_changes().items():
                change -= pending.get((order.id, coupon.id), 0.0)
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
        with (
            confirmed._loyalty_claimed("reverse") as claim,
            ledger_entry(
                "refund",
                description,
                split=lambda: (
                    confirmed - confirmed.browse(claim["refused"])
                )._loyalty_points_split(reverse=True),
                event="reverse",
                origin=self._loyalty_origin(),
                journal=False,
            ),
        ):
            return super()._action_cancel()
