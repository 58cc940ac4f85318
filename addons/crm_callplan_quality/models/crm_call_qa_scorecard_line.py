from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_callplan.models.crm_call_checklist_answer import SCORES
from odoo.exceptions import UserError

ITEM_KINDS = [("checklist", "Checklist"), ("conduct", "Conduct")]
# what a reviewer writes on a line; the rest is the draw's
SCORE_FIELDS = {"score", "comment"}


class CrmCallQaScorecardLine(models.Model):
    """One item of a scorecard: a question of the call's checklist or a
    conduct item, scored 0 (worst) to 10 (best), with a comment."""

    _name = "crm.call.qa.scorecard.line"
    _description = "Call Scorecard Item"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one(
        "crm.call.qa.scorecard", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True, index=True)
    state = fields.Selection(related="scorecard_id.state")
    sequence = fields.Integer(default=10, readonly=True)
    kind = fields.Selection(ITEM_KINDS, required=True, default="conduct", readonly=True)
    question_id = fields.Many2one(
        "crm.call.checklist.question", readonly=True, ondelete="set null", index="btree_not_null"
    )
    conduct_item_id = fields.Many2one(
        "crm.call.qa.conduct.item", readonly=True, ondelete="set null", index="btree_not_null"
    )
    name = fields.Char("Item", required=True, readonly=True)
    score = fields.Selection(SCORES, help="From 0 (worst) to 10 (best).")
    comment = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        """Only the draw adds items (inside its transition)."""
        if not self.env["crm.call.qa.scorecard"]._ccare_in_transition():
            raise UserError(self.env._("The items of a scorecard come from its call's draw."))
        return super().create(vals_list)

    def write(self, vals):
        """Reviewers write the scores and comments of draft scorecards only."""
        Scorecard = self.env["crm.call.qa.scorecard"]
        if self and not Scorecard._ccare_in_transition():
            if vals.keys() - SCORE_FIELDS:
                raise UserError(
                    self.env._("Of a scorecard's item, only its score and comment can change.")
                )
            if self.scorecard_id - self.scorecard_id._ccare_is_editable():
                raise UserError(self.env._("The scores of a done scorecard cannot change."))
        return super().write(vals)
