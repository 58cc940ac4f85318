from odoo import api
from odoo import models


class LoyaltyHistory(models.Model):
    """A card's statement is written by the server: sale_loyalty's order
    flows, the *Update Balance* wizard, this addon's award, redemption and
    expiry. Creating, changing or deleting a line by hand (over RPC, say)
    takes the same right as changing a balance by hand
    (``loyalty.card._crm_may_change_balance``).

    The lines no longer drive the points lots: the lots follow the balance
    itself (``loyalty.card.write``), so a line without a balance change makes
    no lot, and a balance change without a line still keeps the lots right.
    """

    _inherit = "loyalty.history"

    # bounded as our own numbers (base_finite_numbers)
    _ccare_bounded_numbers = ("issued", "used")

    @api.model_create_multi
    def create(self, vals_list):
        self.env["loyalty.card"]._crm_check_balance_right()
        return super().create(vals_list)

    def write(self, vals):
        if self:
            self.env["loyalty.card"]._crm_check_balance_right()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_statement_by_hand(self):
        self.env["loyalty.card"]._crm_check_balance_right()
