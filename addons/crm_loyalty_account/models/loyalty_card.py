from odoo import models
from odoo.addons.crm_loyalty.models.loyalty_ledger import current_entry
from odoo.tools import SQL


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    def _loyalty_lots_consumed(self, taken):
        """Record why each lot lost points (``crm.loyalty.account.use``), in
        one statement: a flow whose source is ``refund`` (credit note, order
        cancelled, owed points paid off) claws back; a change by hand
        (``manual`` or no server flow) adjusts; anything else redeems."""
        result = super()._loyalty_lots_consumed(taken)
        entry = current_entry()
        if entry is None or entry.source == "manual":
            kind = "adjust"
        elif entry.source == "refund":
            kind = "clawback"
        else:
            kind = "redeem"
        res_model, res_id = (entry and entry.origin) or (None, None)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_loyalty_account_use
                       (lot_id, card_id, company_id, points, kind, res_model, res_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT v.lot_id, v.card_id, c.company_id, v.points, %(kind)s, %(model)s,
                       %(res_id)s, %(uid)s, now() at time zone 'utc', %(uid)s,
                       now() at time zone 'utc'
                  FROM unnest(%(cards)s::int[], %(lots)s::int[], %(points)s::float[])
                       AS v(card_id, lot_id, points)
                  JOIN loyalty_card c ON c.id = v.card_id
                """,
                kind=kind,
                model=res_model,
                res_id=res_id,
                uid=self.env.uid,
                cards=[card_id for card_id, _lot, _points in taken],
                lots=[lot_id for _card, lot_id, _points in taken],
                points=[points for _card, _lot, points in taken],
            )
        )
        return result

    def _loyalty_create_lots(self, amounts, source, description, date=None):
        """Lots a sale order's flow opens remember the order (the points'
        share of its price is deferred): one write per batch."""
        lots = super()._loyalty_create_lots(amounts, source, description, date=date)
        entry = current_entry()
        if lots and entry and entry.origin and entry.origin[0] == "sale.order":
            lots.sudo().write({"crm_account_order_id": entry.origin[1]})
        return lots
