from odoo import api
from odoo import fields
from odoo import models


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    crm_is_nps = fields.Boolean(
        "NPS Question",
        compute="_compute_crm_is_nps",
        store=True,
        help="A 0-10 scale question (How likely are you to recommend us?): its answers "
        "make the Net Promoter Score.",
    )

    @api.depends("question_type", "scale_min", "scale_max")
    def _compute_crm_is_nps(self):
        for question in self:
            question.crm_is_nps = (
                question.question_type == "scale"
                and question.scale_min == 0
                and question.scale_max == 10
            )
