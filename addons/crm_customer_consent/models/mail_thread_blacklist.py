from odoo import api
from odoo import models


class MailThreadBlacklist(models.AbstractModel):
    """Every record with an e-mail address Odoo may mail (partners, leads,
    mailing contacts, applicants... any model with Odoo's blacklist mixin,
    installed now or later) gets the opt-out of a suppressed address back
    when it takes that address (see crm.customer.suppression)."""

    _inherit = "mail.thread.blacklist"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if any(self._primary_email in vals for vals in vals_list):
            self.env["crm.customer.suppression"]._ccare_defer_reapply(records)
        return records

    def write(self, vals):
        res = super().write(vals)
        if self._primary_email in vals:
            self.env["crm.customer.suppression"]._ccare_defer_reapply(self)
        return res
