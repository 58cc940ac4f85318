from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # a sale or refund changes the customer's health and stage at once
        customers = posted.filtered(lambda m: m.is_sale_document()).commercial_partner_id
        if customers:
            customers._ccare_recompute_health()
        return posted
