from odoo import models


class CrmLoyaltyRedemption(models.Model):
    _inherit = "crm.loyalty.redemption"

    def _loyalty_mark_participants(self):
        """Members who redeemed a reward reached the programmes' last step
        but one (``redeemed``)."""
        res = super()._loyalty_mark_participants()
        self.env["crm.relationship.participant"].sudo()._loyalty_mark_partners(
            self.partner_id, "redeemed"
        )
        return res
