from odoo import api
from odoo import models

# writes that change who meets when
CONTACT_DATE_TRIGGERS = {"start", "stop", "allday", "partner_ids", "active"}


class CalendarEvent(models.Model):
    """Keep the attendees' last/next contact dates up to date when meetings
    are planned, moved, archived or deleted, or their attendees change
    (once per transaction: res.partner._ccare_recompute_contact_dates_of)."""

    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        self.env["res.partner"]._ccare_recompute_contact_dates_of(events.sudo().partner_ids)
        return events

    def write(self, vals):
        if not CONTACT_DATE_TRIGGERS & vals.keys():
            return super().write(vals)
        partners = self.sudo().partner_ids
        res = super().write(vals)
        partners |= self.sudo().partner_ids
        self.env["res.partner"]._ccare_recompute_contact_dates_of(partners)
        return res

    def unlink(self):
        self.env["res.partner"]._ccare_recompute_contact_dates_of(self.sudo().partner_ids)
        return super().unlink()
