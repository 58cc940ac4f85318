from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models


class LoyaltyHistory(models.Model):
    """A card's statement is written by the server: sale_loyalty's order
    flows, the *Update Balance* wizard, this addon's award, redemption and
    expiry. Creating, changing or deleting a line by hand (over RPC, say)
    takes the same right as changing a balance by hand
    (``loyalty.card._loyalty_may_change_balance``).

    The lines no longer drive the points lots: the lots follow the balance
    itself (``loyalty.card.write``), so a line without a balance change makes
    no lot, and a balance change without a line still keeps the lots right.
    """

    _inherit = "loyalty.history"

    # bounded as our own numbers (base_finite_numbers)
    _ccare_bounded_numbers = ("issued", "used")

    # The card's statement names the order its points came from, as text:
    # who reads the card (a loyalty manager without Sales rights) reads the
    # reference, not "You don't have access to this record" in a link to an
    # order they may not open.
    crm_order_ref = fields.Char(
        "Order Reference",
        compute="_compute_crm_order_ref",
        help="The reference of the order the points came from or went to.",
    )

    @api.depends("order_model", "order_id")
    def _compute_crm_order_ref(self):
        ids_by_model = defaultdict(set)
        for line in self:
            if line.order_model in self.env and line.order_id:
                ids_by_model[line.order_model].add(line.order_id)
        names = {
            (model, order.id): order.display_name
            for model, ids in ids_by_model.items()
            for order in self.env[model].sudo().browse(ids).exists()
        }
        for line in self:
            line.crm_order_ref = names.get((line.order_model, line.order_id), False)

    @api.model_create_multi
    def create(self, vals_list):
        self.env["loyalty.card"]._loyalty_check_balance_right()
        return super().create(vals_list)

    def write(self, vals):
        if self:
            self.env["loyalty.card"]._loyalty_check_balance_right()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_statement_by_hand(self):
        self.env["loyalty.card"]._loyalty_check_balance_right()
