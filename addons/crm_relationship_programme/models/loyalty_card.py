from odoo import api
from odoo import models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    @api.model
    def _loyalty_awarded(self, event, partners):
        """Members who earned points took part: those who came to an event
        attended it, the others became active."""
        res = super()._loyalty_awarded(event, partners)
        self.env["crm.relationship.participant"].sudo()._loyalty_mark_partners(
            partners, "attended" if event == "event_attended" else "active"
        )
        return res
