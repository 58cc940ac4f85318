from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        # a customer review's recommended action is done with its activity
        # (every "done" path of mail.activity ends here)
        review_activities = self.filtered(lambda a: a.res_model == "crm.customer.review")
        if review_activities:
            self.env["crm.customer.review.action"]._ccare_activities_done(
                review_activities, feedback
            )
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
