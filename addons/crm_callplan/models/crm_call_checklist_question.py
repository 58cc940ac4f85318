from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

QUESTION_TYPES = [
    ("yes_no", "Yes / No"),
    ("score", "Score (0-10)"),
    ("text", "Text"),
    ("choice", "Choice"),
]


class CrmCallChecklistQuestion(models.Model):
    _name = "crm.call.checklist.question"
    _description = "Call Checklist Question"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "crm.call.checklist.template", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    topic = fields.Char(translate=True, help="The topic the question belongs to.")
    name = fields.Char("Question", required=True, translate=True)
    question_type = fields.Selection(QUESTION_TYPES, required=True, default="yes_no")
    choices = fields.Char(help="For a choice question: the possible answers, separated by commas.")
    required = fields.Boolean(help="A call cannot be completed before this question is answered.")

    @api.constrains("question_type", "choices")
    def _check_choices(self):
        for question in self:
            if question.question_type == "choice" and len(question._choice_list()) < 2:
                raise ValidationError(
                    self.env._(
                        "Question “%(question)s”: a choice question needs at least two "
                        "choices, separated by commas.",
                        question=question.name,
                    )
                )

    def _choice_list(self):
        self.ensure_one()
        return [choice.strip() for choice in (self.choices or "").split(",") if choice.strip()]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered(self):
        """Answers are the record of what was asked: a question that was
        answered stays (archive its template instead); uninstalling the
        addon still removes everything."""
        answered = (
            self.env["crm.call.checklist.answer"]
            .sudo()
            .search_count([("question_id", "in", self.ids)])
        )
        if answered:
            raise ValidationError(
                self.env._(
                    "These questions were answered in %(count)s call(s) and cannot be "
                    "deleted; archive the checklist instead.",
                    count=answered,
                )
            )
