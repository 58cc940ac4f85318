from odoo import api
from odoo import models

# writes that move an activity in or out of a partner's "next contact"
CONTACT_DATE_TRIGGERS = {"date_deadline", "active", "res_model", "res_model_id", "res_id"}


class MailActivity(models.Model):
    """Keep the customers' last/next contact dates up to date.

    Scheduling, rescheduling, marking done (action_feedback and the other
    "done" buttons all go through ``_action_done``) and cancelling an activity
    on a partner or a lead recomputes the dates of the partners concerned,
    once per transaction (res.partner._ccare_recompute_contact_dates_of).
    """

    _inherit = "mail.activity"

    def _ccare_recompute_contact_dates(self):
        partners, leads = self.env["res.partner"]._ccare_documents_partners_leads(
            [(activity.res_model, activity.res_id) for activity in self.sudo()]
        )
        self.env["res.partner"]._ccare_recompute_contact_dates_of(partners, leads)

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._ccare_recompute_contact_dates()
        return activities

    def write(self, vals):
        if not CONTACT_DATE_TRIGGERS & vals.keys():
            return super().write(vals)
        self._ccare_recompute_contact_dates()  # the documents it leaves
        res = super().write(vals)
        self._ccare_recompute_contact_dates()
        return res

    def unlink(self):
        self._ccare_recompute_contact_dates()
        return super().unlink()

    def _action_done(self, feedback=False, attachment_ids=None):
        self._ccare_recompute_contact_dates()
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
