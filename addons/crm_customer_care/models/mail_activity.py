from odoo import api
from odoo import models

# writes that move an activity in or out of a partner's "next contact"
CONTACT_DATE_TRIGGERS = {"date_deadline", "active", "res_model", "res_model_id", "res_id"}


class MailActivity(models.Model):
    """Keep the customers' last/next contact dates up to date.

    Scheduling, rescheduling, marking done (action_feedback and the other
    "done" buttons all go through ``_action_done``) and cancelling an activity
    on a partner or a lead recomputes the dates of the partners concerned, in
    one batch per call.
    """

    _inherit = "mail.activity"

    def _ccare_partners(self):
        return self.env["res.partner"]._ccare_partners_of_documents(
            [(activity.res_model, activity.res_id) for activity in self.sudo()]
        )

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        if not self.env.context.get("ccare_contact_dates_pending"):
            self.env["res.partner"]._ccare_recompute_contact_dates_of(activities._ccare_partners())
        return activities

    def write(self, vals):
        if self.env.context.get("ccare_contact_dates_pending") or not (
            CONTACT_DATE_TRIGGERS & vals.keys()
        ):
            return super().write(vals)
        partners = self._ccare_partners()
        res = super().write(vals)
        partners |= self._ccare_partners()
        self.env["res.partner"]._ccare_recompute_contact_dates_of(partners)
        return res

    def unlink(self):
        partners = self._ccare_partners()
        res = super().unlink()
        self.env["res.partner"]._ccare_recompute_contact_dates_of(partners)
        return res

    def _action_done(self, feedback=False, attachment_ids=None):
        # one recompute at the end, not one per archive/next activity created
        partners = self._ccare_partners()
        messages, next_activities = super(
            MailActivity, self.with_context(ccare_contact_dates_pending=True)
        )._action_done(feedback=feedback, attachment_ids=attachment_ids)
        partners |= next_activities._ccare_partners()
        self.env["res.partner"]._ccare_recompute_contact_dates_of(partners)
        return messages, next_activities
