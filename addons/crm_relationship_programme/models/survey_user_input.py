from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        # points: the survey's own, else the program's "survey answered" rule;
        # the programme is loyalty staff's field, read whoever marks it done
        answers = self.sudo()
        programs = answers.survey_id.crm_programme_id.loyalty_program_id
        Rule = self.env["crm.loyalty.points.rule"].sudo()
        ruled = set(
            Rule.search(
                [("event", "=", "survey_answered"), ("program_id", "in", programs.ids)]
            ).program_id.ids
            if programs
            else ()
        )
        to_reward = answers.filtered(
            lambda ui: (
                ui.state != "done"
                and not ui.test_entry
                and ui.partner_id
                and ui.survey_id.crm_programme_id.loyalty_program_id
                and (
                    ui.survey_id.crm_points_on_completion > 0
                    or ui.survey_id.crm_programme_id.loyalty_program_id.id in ruled
                )
            )
        )
        # the holdout group answers too (its NPS is the baseline) but gets no
        # card nor points: a reward would make it a treated group
        holdout = (
            self.env["crm.relationship.participant"]
            .sudo()
            .search(
                [
                    ("programme_id", "in", to_reward.survey_id.crm_programme_id.ids),
                    ("group", "=", "holdout"),
                    ("partner_id", "in", to_reward.partner_id.ids),
                ]
            )
        )
        held_out = {(h.programme_id.id, h.partner_id.id) for h in holdout}
        to_reward = to_reward.filtered(
            lambda ui: (ui.survey_id.crm_programme_id.id, ui.partner_id.id) not in held_out
        )
        res = super()._mark_done()
        Card = self.env["loyalty.card"].sudo()
        for survey in to_reward.survey_id:
            inputs = to_reward.filtered(lambda ui, s=survey: ui.survey_id == s)
            Card._loyalty_award(
                "survey_answered",
                inputs.partner_id,
                points=survey.crm_points_on_completion or None,
                program=survey.crm_programme_id.loyalty_program_id,
                description=self.env._("Survey answered: %s", survey.title),
            )
        return res
