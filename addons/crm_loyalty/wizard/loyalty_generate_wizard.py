from odoo import models

from ..models.loyalty_ledger import ledger_entry


class LoyaltyGenerateWizard(models.TransientModel):
    """Odoo's *Generate Coupons*: cards created with points granted by hand.
    Granting points takes the right to change a balance by hand; the
    wizard's own statement lines are then the server's, and the lots take
    its description."""

    _inherit = "loyalty.generate.wizard"

    def generate_coupons(self):
        if any(wizard.points_granted for wizard in self):
            self.env["loyalty.card"]._loyalty_check_balance_right()
        description = self[:1].description or self.env._("Gift For Customer")
        with ledger_entry("manual", description):
            return super().generate_coupons()
