from collections import defaultdict

from odoo import api
from odoo import models

from .loyalty_card import LEDGER


class LoyaltyHistory(models.Model):
    """Keep the points lots in step with Odoo's own ledger: a history line
    written by Odoo (sale_loyalty orders, the *Update Balance* wizard) that
    issues points becomes a lot; one that uses points consumes the oldest
    lots. Lines this addon writes itself carry the ``LEDGER`` context."""

    _inherit = "loyalty.history"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if self.env.context.get(LEDGER):
            return lines
        issued, used = defaultdict(float), defaultdict(float)
        for line in lines:
            if line.issued > 0:
                issued[line.card_id.id] += line.issued
            if line.used > 0:
                used[line.card_id.id] += line.used
        Card = self.env["loyalty.card"].sudo()
        if used:
            Card._crm_consume_lots(dict(used))
        if issued:
            source = "sale" if any(line.order_model == "sale.order" for line in lines) else "manual"
            Card._crm_create_lots(dict(issued), source, lines[:1].description)
        return lines
