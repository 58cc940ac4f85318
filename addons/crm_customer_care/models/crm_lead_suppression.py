from odoo import api
from odoo import models

ADDRESS_FIELDS = {"email_from", "phone"}


class CrmLead(models.Model):
    """A lead taking an address of the suppression list puts its opt-out
    back on the blacklist (see crm.customer.suppression)."""

    _inherit = "crm.lead"

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        if any(ADDRESS_FIELDS & vals.keys() for vals in vals_list):
            leads._ccare_defer_suppression()
        return leads

    def write(self, vals):
        res = super().write(vals)
        if ADDRESS_FIELDS & vals.keys():
            self._ccare_defer_suppression()
        return res

    def _ccare_defer_suppression(self):
        # nothing suppressed (the cached common case): no query, no work
        if self.env["crm.customer.suppression"]._ccare_has_entries():
            self.env["crm.customer.care.deferred"]._defer("_ccare_deferred_lead_suppression", self)

    def _ccare_deferred_lead_suppression(self, uid_by_lead):
        leads = self.browse(list(uid_by_lead)).exists()
        self.env["crm.customer.suppression"]._ccare_reapply(
            leads.mapped("email_normalized"), leads.mapped("phone_sanitized")
        )
