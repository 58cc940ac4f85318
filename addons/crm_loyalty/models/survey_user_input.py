from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        to_reward = self.filtered(
            lambda ui: (
                ui.state != "done"
                and not ui.test_entry
                and ui.partner_id
                and ui.survey_id.crm_points_on_completion > 0
                and ui.survey_id.crm_programme_id.loyalty_program_id
            )
        )
        res = super()._mark_done()
        Card = self.env["loyalty.card"].sudo()
        for survey in to_reward.survey_id:
            inputs = to_reward.filtered(lambda ui, s=survey: ui.survey_id == s)
            Card._crm_loyalty_award(
                "survey_answered",
                inputs.partner_id,
                points=survey.crm_points_on_completion,
                program=survey.crm_programme_id.loyalty_program_id,
                description=self.env._("Survey answered: %s", survey.title),
            )
        return res
