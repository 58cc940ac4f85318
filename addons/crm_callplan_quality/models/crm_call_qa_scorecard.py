from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

CALLER_GROUPS = [("staff", "Staff"), ("agency", "Agency")]
SCORECARD_STATES = [("draft", "To Review"), ("done", "Done")]
CALLER_GROUP = "crm_callplan.group_crm_callplan_caller"


class CrmCallQaScorecard(models.Model):
    """A reviewer's scores of one sampled call: each question of the call's
    checklist (was it asked and recorded as the guideline says) and each
    conduct item, from 0 to 10 with a comment. The total is the points
    earned out of the points possible, on 0-100: items scored 8, 6 and 10
    make 24 of 30, a total of 80.

    Made by the draw only (one per call); scored in draft; *Done* locks it
    (the workflow mixin: state, reviewer and date move only through the
    transitions, the lines only while it is a draft)."""

    _name = "crm.call.qa.scorecard"
    _description = "Call Scorecard"
    _inherit = ["mail.thread", "crm.customer.care.workflow.mixin"]
    _order = "call_date desc, id desc"
    _check_company_auto = True
    _rec_name = "call_id"

    # what the card is about is fixed by the draw; the state, reviewer and
    # total by the transitions and the scores
    _ccare_workflow_fields = (
        "state",
        "reviewer_id",
        "date_reviewed",
        "sample_id",
        "call_id",
        "company_id",
        "caller_id",
        "user_id",
        "agency_id",
        "caller_group",
        "call_date",
        "total",
        "scored_count",
    )
    _ccare_frozen_fields = ("line_ids", "comment")

    sample_id = fields.Many2one(
        "crm.call.qa.sample", required=True, index=True, ondelete="cascade", readonly=True
    )
    call_id = fields.Many2one(
        "crm.call", "Call", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    caller_id = fields.Many2one(
        "crm.call.caller", "Caller Profile", readonly=True, index=True, groups=CALLER_GROUP
    )
    user_id = fields.Many2one("res.users", "Caller", readonly=True, index=True)
    agency_id = fields.Many2one(
        "crm.call.agency", readonly=True, index="btree_not_null", groups=CALLER_GROUP
    )
    caller_group = fields.Selection(
        CALLER_GROUPS, "Staff or Agency", required=True, default="staff", readonly=True
    )
    call_date = fields.Date(readonly=True, help="The day the call was completed.")
    state = fields.Selection(
        SCORECARD_STATES, required=True, default="draft", tracking=True, index=True
    )
    reviewer_id = fields.Many2one("res.users", "Reviewer", readonly=True, tracking=True)
    date_reviewed = fields.Datetime("Reviewed On", readonly=True)
    line_ids = fields.One2many("crm.call.qa.scorecard.line", "scorecard_id", string="Scores")
    comment = fields.Text("Reviewer's Comment")
    total = fields.Float(
        "Total (0-100)",
        compute="_compute_total",
        store=True,
        aggregator="avg",
        help="Points earned out of the points possible (10 per item), on 0-100; the items "
        "not scored yet are left out.",
    )
    scored_count = fields.Integer("Items Scored", compute="_compute_total", store=True)

    _call_unique = models.Constraint("UNIQUE(call_id)", "A call is sampled for review once.")

    @api.depends("line_ids.score")
    def _compute_total(self):
        for card in self:
            scores = [int(line.score) for line in card.line_ids if line.score]
            card.scored_count = len(scores)
            card.total = 100.0 * sum(scores) / (10 * len(scores)) if scores else 0.0

    @api.model
    def _ccare_qa_create(self, sample, calls):
        """Draft scorecards of ``calls`` in ``sample``, with a line per
        question of each call's checklist and per conduct item of the
        company (as the server: only the draw makes scorecards)."""
        calls = calls.sudo()
        if not calls:
            return self.browse()
        items = (
            self.env["crm.call.qa.conduct.item"]
            .sudo()
            .search([("company_id", "in", [False, sample.company_id.id])])
        )
        vals_list = []
        for call in calls:
            lines = [
                {"kind": "checklist", "question_id": q.id, "name": q.name, "sequence": index}
                for index, q in enumerate(call.checklist_template_id.question_ids)
            ]
            lines += [
                {"kind": "conduct", "conduct_item_id": item.id, "name": item.name}
                | {"sequence": 100 + index}
                for index, item in enumerate(items)
            ]
            vals_list.append(
                {
                    "sample_id": sample.id,
                    "call_id": call.id,
                    "company_id": call.company_id.id,
                    "caller_id": call.caller_id.id,
                    "user_id": call.caller_id.user_id.id or call.user_id.id,
                    "agency_id": call.agency_id.id,
                    "caller_group": "agency" if call.agency_id else "staff",
                    "call_date": call.date_done.date(),
                    "line_ids": [(0, 0, line) for line in lines],
                }
            )
        Scorecard = self.sudo()
        with Scorecard._ccare_transition():
            return Scorecard.create(vals_list)

    def action_done(self):
        """Lock the scores: every item scored, the reviewer and the date
        recorded; the sample's results are refreshed (and coaching
        scheduled where a caller falls below the bar)."""
        self.check_access("write")
        for card in self:
            if card.state != "draft":
                raise UserError(
                    self.env._("Scorecard “%(card)s” is already done.", card=card.display_name)
                )
            missing = card.line_ids.filtered(lambda line: not line.score)
            if missing:
                raise UserError(
                    self.env._(
                        "Score every item before closing the scorecard “%(card)s”: %(items)s.",
                        card=card.display_name,
                        items=", ".join(missing.mapped("name")),
                    )
                )
        with self._ccare_transition():
            self.write(
                {
                    "state": "done",
                    "reviewer_id": self.env.user.id,
                    "date_reviewed": fields.Datetime.now(),
                }
            )
        self.sample_id.sudo()._qa_refresh_results()
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sampled(self):
        """The sample is a record: its scorecards stay (a deleted card would
        be drawn again); uninstalling still removes them."""
        raise UserError(self.env._("A sampled call's scorecard cannot be deleted."))
