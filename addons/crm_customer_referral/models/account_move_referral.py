from odoo import models


class AccountMove(models.Model):
    """A referred partner's first posted customer invoice converts the
    referral (see ``res.partner._ccare_referral_converted``)."""

    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        invoices = posted.filtered(lambda move: move.move_type == "out_invoice")
        if invoices:
            (invoices.partner_id | invoices.commercial_partner_id)._ccare_referral_invoiced()
        return posted
