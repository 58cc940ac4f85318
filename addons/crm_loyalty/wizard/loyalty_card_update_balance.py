from odoo import models

from ..models.loyalty_ledger import ledger_entry


class LoyaltyCardUpdateBalance(models.TransientModel):
    """Odoo's *Update Balance*: a balance changed by hand, with its reason
    (the wizard's required description) as the statement line and the lot's
    description. Only users with the right to change a balance by hand may
    (``loyalty.card._loyalty_may_change_balance``)."""

    _inherit = "loyalty.card.update.balance"

    # bounded as our own numbers (base_finite_numbers)
    _ccare_bounded_numbers = ("new_balance", "old_balance")

    def action_update_card_point(self):
        self.env["loyalty.card"]._loyalty_check_balance_right()
        self.ensure_one()
        with ledger_entry("manual", self.description):
            return super().action_update_card_point()
