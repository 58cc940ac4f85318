from odoo import api
from odoo import models

ADDRESS_FIELDS = {"email", "phone"}


class ResPartner(models.Model):
    """An address on the suppression list gets its opt-out back when a
    partner takes it (see crm.customer.suppression)."""

    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if any(ADDRESS_FIELDS & vals.keys() for vals in vals_list):
            partners._ccare_defer_suppression()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if ADDRESS_FIELDS & vals.keys():
            self._ccare_defer_suppression()
        return res

    def _ccare_defer_suppression(self):
        # nothing suppressed (the cached common case): no query, no work
        if self.env["crm.customer.suppression"]._ccare_has_entries():
            self.env["crm.customer.care.deferred"]._defer("_ccare_deferred_suppression", self)

    def _ccare_deferred_suppression(self, uid_by_partner):
        partners = self.browse(list(uid_by_partner)).exists()
        self.env["crm.customer.suppression"]._ccare_reapply(
            partners.mapped("email_normalized"), partners.mapped("phone_sanitized")
        )
