from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

# a score question's answers, 0 (worst) to 10 (best); empty is "not answered"
SCORES = [(str(score), str(score)) for score in range(11)]


class CrmCallChecklistAnswer(models.Model):
    """The answer to one checklist question during one call. The lines are
    created with the call, from its policy's template."""

    _name = "crm.call.checklist.answer"
    _description = "Call Checklist Answer"
    _order = "call_id, sequence, id"

    call_id = fields.Many2one("crm.call", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="call_id.company_id", store=True, index=True)
    question_id = fields.Many2one(
        "crm.call.checklist.question", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    topic = fields.Char(related="question_id.topic")
    question = fields.Char("Question Text", related="question_id.name")
    question_type = fields.Selection(related="question_id.question_type")
    choices = fields.Char(related="question_id.choices")
    required = fields.Boolean(related="question_id.required")
    value_yes_no = fields.Selection([("yes", "Yes"), ("no", "No")], string="Yes/No")
    value_score = fields.Selection(
        SCORES, "Score", help="From 0 (worst) to 10 (best); empty until the question is answered."
    )
    value_text = fields.Char("Text Answer")
    value_choice = fields.Char("Choice")
    is_answered = fields.Boolean(compute="_compute_is_answered", store=True)

    _call_question_unique = models.Constraint(
        "UNIQUE(call_id, question_id)", "A call answers each question once."
    )

    def write(self, vals):
        """The answers of a held call are part of its record: frozen with it
        (the call's own transitions may still write them)."""
        if self and not self.env["crm.call"]._ccare_in_transition():
            held = self.call_id - self.call_id._ccare_is_editable()
            if held:
                raise UserError(
                    self.env._(
                        "The checklist of a held call cannot change: %(calls)s.",
                        calls=", ".join(held.mapped("name")),
                    )
                )
        return super().write(vals)

    @api.depends("question_type", "value_yes_no", "value_score", "value_text", "value_choice")
    def _compute_is_answered(self):
        for answer in self:
            answer.is_answered = {
                "yes_no": bool(answer.value_yes_no),
                "score": bool(answer.value_score),
                "text": bool((answer.value_text or "").strip()),
                "choice": bool(answer.value_choice),
            }.get(answer.question_type, False)

    @api.constrains("value_choice")
    def _check_choice(self):
        for answer in self:
            if (
                answer.value_choice
                and answer.question_type == "choice"
                and answer.value_choice not in answer.question_id._choice_list()
            ):
                raise ValidationError(
                    self.env._(
                        "“%(choice)s” is not one of the choices of “%(question)s”: %(choices)s.",
                        choice=answer.value_choice,
                        question=answer.question,
                        choices=answer.choices,
                    )
                )
