from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CrmCustomerReviewAction(models.Model):
    """An action a customer review recommends, with its owner and its due
    date. Approving the review schedules each one as an activity of its
    owner; marking that activity done marks the action done, and the next
    review of the same scope lists the previous review's actions with what
    became of them, so that a review leads to action and the next one
    checks it."""

    _name = "crm.customer.review.action"
    _description = "Customer Review Action"
    _inherit = ["crm.customer.care.workflow.mixin"]
    _order = "review_id, sequence, id"
    _check_company_auto = True

    # what became of the action: only the review's approval and the
    # activity's completion write them
    _ccare_workflow_fields = ("state", "activity_id", "done_date", "feedback")
    # what was recommended: fixed once the review is approved
    _ccare_frozen_fields = ("name", "user_id", "date_deadline", "review_id")

    review_id = fields.Many2one(
        "crm.customer.review", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Action", required=True)
    user_id = fields.Many2one(
        "res.users",
        "Owner",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    date_deadline = fields.Date("Due", required=True)
    state = fields.Selection(
        [("draft", "Recommended"), ("open", "Scheduled"), ("done", "Done")],
        default="draft",
        required=True,
        readonly=True,
    )
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    done_date = fields.Date(readonly=True)
    feedback = fields.Text(readonly=True)
    is_late = fields.Boolean(compute="_compute_is_late")

    def _ccare_is_editable(self):
        return self.filtered(lambda a: a.review_id.state != "approved")

    @api.depends("state", "date_deadline", "done_date")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_late = bool(
                action.date_deadline
                and (action.done_date or today) > action.date_deadline
                and action.state != "draft"
            )

    @api.model_create_multi
    def create(self, vals_list):
        reviews = self.env["crm.customer.review"].browse(
            {vals["review_id"] for vals in vals_list if vals.get("review_id")}
        )
        if any(review.state == "approved" for review in reviews):
            raise UserError(
                self.env._("Review “%s” is approved: its actions are final.", reviews[0].name)
            )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(action.review_id.state == "approved" for action in self):
            raise UserError(self.env._("The actions of an approved review cannot be deleted."))

    def _ccare_schedule(self):
        """Schedule each action as an activity of its owner on the review
        (called by the review's approval, inside its transition)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id("crm.customer.review")
        activities = (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    {
                        "activity_type_id": todo.id,
                        "res_model_id": model,
                        "res_id": action.review_id.id,
                        "summary": action.name,
                        "user_id": action.user_id.id,
                        "date_deadline": action.date_deadline,
                    }
                    for action in self
                ]
            )
        )
        for action, activity in zip(self, activities, strict=True):
            with action._ccare_transition():
                action.write({"state": "open", "activity_id": activity.id})

    @api.model
    def _ccare_activities_done(self, activities, feedback=False):
        """The activities of review actions were marked done (every "done"
        path of ``mail.activity`` ends in ``_action_done``, which calls this
        first): refused unless the user may close each action."""
        actions = self.sudo().search([("activity_id", "in", activities.ids)])
        if actions:
            actions._ccare_check_can_close()
            with actions._ccare_transition():
                actions.write(
                    {
                        "state": "done",
                        "done_date": fields.Date.context_today(self),
                        "feedback": feedback or False,
                    }
                )

    def _ccare_check_can_close(self):
        """An action is done when its owner says so. The review's approver,
        who handed it out, may close it in the owner's stead (the owner left
        or is away); the analyst and other managers may not, nor may anyone
        who merely can write on the review (as Odoo lets them mark its
        activities done). The server itself (superuser) is not held."""
        user = self.env.user
        if user._is_superuser():
            return
        foreign = self.filtered(lambda a: user not in a.user_id | a.review_id.approver_id)
        if foreign:
            raise UserError(
                self.env._(
                    "“%(action)s” is %(owner)s's action: only its owner, or the approver of "
                    "the review, can mark it done.",
                    action=foreign[0].name,
                    owner=foreign[0].user_id.name,
                )
            )
