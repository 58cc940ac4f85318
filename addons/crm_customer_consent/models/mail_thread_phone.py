from odoo import api
from odoo import models


class MailThreadPhone(models.AbstractModel):
    """Every record with a phone number Odoo may call or text (partners,
    leads, mailing contacts with SMS marketing... any model with Odoo's phone
    mixin) gets the opt-out of a suppressed number back when it takes that
    number (see crm.customer.suppression)."""

    _inherit = "mail.thread.phone"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        numbers = set(self._phone_get_number_fields())
        if any(numbers & vals.keys() for vals in vals_list):
            self.env["crm.customer.suppression"]._ccare_defer_reapply(records)
        return records

    def write(self, vals):
        res = super().write(vals)
        if set(self._phone_get_number_fields()) & vals.keys():
            self.env["crm.customer.suppression"]._ccare_defer_reapply(self)
        return res
