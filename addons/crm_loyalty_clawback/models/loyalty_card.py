from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.models.ccare_guard import is_unlocked
from odoo.addons.crm_customer_care.models.ccare_guard import unlocked
from odoo.addons.crm_loyalty.models.loyalty_ledger import ledger_entry
from odoo.tools import SQL

# a credit note's claw-back may record the points a member owes
CLAWBACK = "crm_loyalty_clawback.clawback"
EPSILON = 0.0001


class CrmCustomerCareDeferred(models.AbstractModel):
    _inherit = "crm.customer.care.deferred"

    @api.model
    def _ccare_steps(self):
        return [*super()._ccare_steps(), ("loyalty.card", "_loyalty_deferred_settle_owed")]


class LoyaltyCard(models.Model):
    """Points a credit note takes back (``_loyalty_points_take_back``): what
    the balance no longer holds is owed; the member's next points pay it
    off first, whatever path brings them (an order, a points rule, pending
    points released, a cancelled redemption): once per transaction, at its
    end, set-based."""

    _inherit = "loyalty.card"

    crm_points_owed = fields.Float(
        "Points Owed",
        readonly=True,
        copy=False,
        help="Points credit notes took back that the member had already spent (the balance "
        "stopped at zero). A Loyalty Manager may write it off.",
    )

    def write(self, vals):
        if self and "crm_points_owed" in vals and not is_unlocked(CLAWBACK):
            self._loyalty_check_balance_right()
        return super().write(vals)

    # ------------------------------------------------------------ take back
    def _loyalty_points_take_back(self, takes, description):
        """Take back ``{(credit_note_id, card_id, order_id): points}``: first
        from the order's pending points on the card, then each card gives
        what its balance holds (oldest lots first), the rest is recorded as
        owed (``crm_points_owed``); a balance never goes negative. One posting
        per credit note and card, keyed: a credit note posted again (reset to
        draft and re-posted) takes nothing more. Returns ``{card_id: (taken,
        owed)}``."""
        Posting = self.env["crm.loyalty.posting"].sudo()
        done = {
            (posting.res_id, posting.card_id.id)
            for posting in Posting.search(
                [
                    ("event", "=", "clawback"),
                    ("res_model", "=", "account.move"),
                    ("res_id", "in", [move_id for move_id, _c, _o in takes]),
                ]
            )
        }
        takes = {key: points for key, points in takes.items() if key[:2] not in done}
        if not takes:
            return {}
        takes, from_pending = self._loyalty_take_back_pending(takes)
        cards = self.browse(sorted({card_id for _move, card_id in takes})).sudo()
        cards.flush_recordset(["points", "crm_points_owed"])
        balance = dict(
            self.env.execute_query(
                SQL(
                    "SELECT id, coalesce(points, 0) FROM loyalty_card WHERE id = ANY(%s)"
                    " ORDER BY id FOR NO KEY UPDATE",
                    cards.ids,
                )
            )
        )
        cards.invalidate_recordset(["points", "crm_points_owed"])
        moves = self.env["account.move"].sudo()
        rows = []
        for (move_id, card_id), points in sorted(takes.items()):
            pending_cut = from_pending.get((move_id, card_id))
            if points <= EPSILON and not pending_cut:
                continue
            take = min(points, balance[card_id])
            balance[card_id] -= take
            move = moves.browse(move_id)
            note = (
                self.env._(" (%s pending points cancelled)", f"{pending_cut:g}")
                if pending_cut
                else ""
            )
            rows.append(
                {
                    "card_id": card_id,
                    "event": "clawback",
                    "source": "refund",
                    "used": take,
                    "owed": points - take,
                    "description": f"{description}: {move.name}{note}",
                    "res_model": move._name,
                    "res_id": move_id,
                    "key": Posting._loyalty_key("clawback", move),
                }
            )
        accepted = [rows[i] for i in sorted(Posting._loyalty_post(rows))]
        return cards._loyalty_take_back_posted(accepted, description) if accepted else {}

    def _loyalty_take_back_pending(self, takes):
        """Cut ``{(credit_note_id, card_id, order_id): points}`` from the
        order's points still pending on the card (they never reached the
        balance). Returns what is left to take per credit note and card,
        ``{(credit_note_id, card_id): points}``, and what the pending lots
        gave, keyed the same way."""
        Lot = self.env["crm.loyalty.points.lot"].sudo()
        pending_lots = Lot.search(
            [
                ("order_id", "in", [order_id for _m, _c, order_id in takes if order_id]),
                ("card_id", "in", [card_id for _m, card_id, _o in takes]),
                ("pending", ">", 0),
            ]
        )
        left, from_pending = defaultdict(float), defaultdict(float)
        for (move_id, card_id, order_id), points in sorted(takes.items()):
            for lot in pending_lots.filtered(
                lambda lot, c=card_id, o=order_id: lot.card_id.id == c and lot.order_id.id == o
            ):
                cut = min(points, lot.pending)
                if cut <= EPSILON:
                    continue
                points -= cut
                from_pending[(move_id, card_id)] += cut
                if lot.points - cut <= EPSILON:
                    lot.unlink()
                else:
                    lot.write({"points": lot.points - cut, "pending": lot.pending - cut})
            left[(move_id, card_id)] += points
        return dict(left), dict(from_pending)

    def _loyalty_take_back_posted(self, accepted, description):
        """Apply the claw-back postings ``accepted`` (one per credit note and
        card): the balances and the oldest lots give what they hold, with a
        statement line per posting; the rest is added to what the cards owe.
        Returns ``{card_id: (taken, owed)}``."""
        result = defaultdict(lambda: [0.0, 0.0])
        for row in accepted:
            result[row["card_id"]][0] += row["used"]
            result[row["card_id"]][1] += row["owed"]
        taken = {card_id: t for card_id, (t, _o) in result.items() if t > EPSILON}
        with ledger_entry("refund", description, lots=False):
            self._loyalty_write_balances({card_id: -t for card_id, t in taken.items()})
            self._loyalty_consume_lots(taken)
            self.env["loyalty.history"].sudo().create(
                [
                    {
                        "card_id": row["card_id"],
                        "description": row["description"],
                        "issued": 0.0,
                        "used": row["used"],
                        "order_model": row["res_model"],
                        "order_id": row["res_id"],
                    }
                    for row in accepted
                    if row["used"] > EPSILON
                ]
            )
        owed = defaultdict(list)
        for card in self:
            if result.get(card.id, (0, 0))[1] > EPSILON:
                owed[card.crm_points_owed + result[card.id][1]].append(card.id)
        with unlocked(CLAWBACK):
            for value, card_ids in owed.items():
                self.browse(card_ids).write({"crm_points_owed": value})
        return {card_id: tuple(values) for card_id, values in result.items()}

    # ------------------------------------------------------------ owed
    def _loyalty_balances_changed(self, deltas):
        """Cards whose balance went up while they owe points pay them off,
        at the end of the transaction (values in cache after a ``write``;
        one query after the batch jobs' UPDATE)."""
        result = super()._loyalty_balances_changed(deltas)
        rising = self.browse(card_id for card_id, delta in deltas.items() if delta > EPSILON)
        owing = rising.sudo().filtered(lambda card: card.crm_points_owed > EPSILON)
        if owing:
            self.env["crm.customer.care.deferred"]._defer("_loyalty_deferred_settle_owed", owing)
        return result

    def _loyalty_deferred_settle_owed(self, uid_by_card):
        cards = self.search(
            [
                ("id", "in", list(uid_by_card)),
                ("crm_points_owed", ">", EPSILON),
                ("points", ">", EPSILON),
            ]
        )
        self.browse(cards.ids)._loyalty_settle_owed()

    def _loyalty_settle_owed(self):
        """Take what each card of ``self`` owes from its balance, as far as
        the balance goes: a journal line and a statement line per card, the
        oldest lots consumed, the debt reduced. A few queries per batch."""
        description = self.env._("Owed points paid off (a credit note took back spent points)")
        cards = self.sudo()
        cards.flush_recordset(["points", "crm_points_owed"])
        self.env.cr.execute(
            "SELECT id FROM loyalty_card WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
            [cards.ids],
        )
        cards.invalidate_recordset(["points", "crm_points_owed"])
        takes = {
            card.id: min(card.crm_points_owed, card.points)
            for card in cards
            if card.crm_points_owed > EPSILON and card.points > EPSILON
        }
        if not takes:
            return {}
        self.env["crm.loyalty.posting"].sudo()._loyalty_post(
            [
                {
                    "card_id": card_id,
                    "event": "clawback",
                    "source": "refund",
                    "issued": 0.0,
                    "used": take,
                    "owed": 0.0,
                    "description": description,
                    "res_model": None,
                    "res_id": None,
                    "key": None,
                }
                for card_id, take in takes.items()
            ]
        )
        with ledger_entry("refund", description, lots=False):
            cards._loyalty_write_balances({card_id: -take for card_id, take in takes.items()})
            cards._loyalty_consume_lots(takes)
            self.env["loyalty.history"].sudo().create(
                [
                    {"card_id": card_id, "description": description, "issued": 0.0, "used": take}
                    for card_id, take in takes.items()
                ]
            )
        by_debt = {}
        for card in cards.browse(list(takes)):
            by_debt.setdefault(max(card.crm_points_owed - takes[card.id], 0.0), []).append(card.id)
        with unlocked(CLAWBACK):
            for debt, card_ids in by_debt.items():
                cards.browse(card_ids).write({"crm_points_owed": debt})
        return takes
