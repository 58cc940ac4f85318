from odoo import api
from odoo import models
from odoo.addons.crm_customer_care.models.ccare_guard import unlocked

from .loyalty_ledger import CLAWBACK
from .loyalty_ledger import ledger_entry

EPSILON = 0.0001


class CrmCustomerCareDeferred(models.AbstractModel):
    _inherit = "crm.customer.care.deferred"

    @api.model
    def _ccare_steps(self):
        return [*super()._ccare_steps(), ("loyalty.card", "_crm_deferred_settle_owed")]


class LoyaltyCard(models.Model):
    """Points a credit note could not take back (already spent) are owed;
    the member's next points pay them off first, whatever path brings them
    (an order, a points rule, pending points released, a cancelled
    redemption): once per transaction, at its end, set-based."""

    _inherit = "loyalty.card"

    def _crm_defer_settle_owed(self, deltas):
        """Note the cards of ``{card_id: balance change}`` whose balance went
        up while they owe points (values already in cache: no query)."""
        owing = self.browse(
            card_id
            for card_id, delta in deltas.items()
            if delta > EPSILON and self.browse(card_id).crm_points_owed > EPSILON
        )
        if owing:
            self.env["crm.customer.care.deferred"]._defer("_crm_deferred_settle_owed", owing)

    def _crm_deferred_settle_owed(self, uid_by_card):
        cards = self.search(
            [
                ("id", "in", list(uid_by_card)),
                ("crm_points_owed", ">", EPSILON),
                ("points", ">", EPSILON),
            ]
        )
        self.browse(cards.ids)._crm_settle_owed()

    def _crm_settle_owed(self):
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
        self.env["crm.loyalty.posting"].sudo()._crm_post(
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
            cards._crm_write_balances({card_id: -take for card_id, take in takes.items()})
            cards._crm_consume_lots(takes)
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
