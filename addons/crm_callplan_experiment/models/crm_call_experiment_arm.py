from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CrmCallExperimentArm(models.Model):
    """One arm of an experiment: the call policy its customers are called
    under while the experiment runs, and its share of the draw. The arms
    change only in draft: the draw and the results depend on them."""

    _name = "crm.call.experiment.arm"
    _description = "Call Experiment Arm"
    _order = "experiment_id, sequence, id"
    _check_company_auto = True

    experiment_id = fields.Many2one(
        "crm.call.experiment", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="experiment_id.company_id", store=True, index=True)
    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    policy_id = fields.Many2one(
        "crm.call.policy",
        "Call Policy",
        required=True,
        check_company=True,
        ondelete="restrict",
        context={"active_test": False},
        help="What the plan follows for this arm's customers while the experiment runs. "
        "The control is usually the segment's policy; another arm an archived copy with "
        "another frequency (a segment has one active policy).",
    )
    interval_number = fields.Integer(related="policy_id.interval_number", string="Every")
    interval_type = fields.Selection(related="policy_id.interval_type", string="Unit")
    share = fields.Float("Share (%)", default=50.0, digits=(5, 1))
    is_control = fields.Boolean(
        "Control", help="The arm the others are compared with: usually the current policy."
    )
    member_count = fields.Integer("Customers", compute="_compute_member_count")

    _share_range = models.Constraint(
        "CHECK(share > 0 AND share <= 100)", "An arm's share is above 0 and at most 100%."
    )

    def _compute_member_count(self):
        counts = dict(
            self.env["crm.call.experiment.member"]._read_group(
                [("arm_id", "in", self.ids)], ["arm_id"], ["__count"]
            )
        )
        for arm in self:
            arm.member_count = counts.get(arm, 0)

    def _check_draft(self, experiments):
        if experiments.filtered(lambda e: e.state != "draft"):
            raise UserError(self.env._("The arms of an experiment change only before it starts."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_draft(
            self.env["crm.call.experiment"].browse(
                {vals.get("experiment_id") for vals in vals_list if vals.get("experiment_id")}
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_draft(self.experiment_id)
        if "experiment_id" in vals:
            self._check_draft(self.env["crm.call.experiment"].browse(vals["experiment_id"]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        self._check_draft(self.experiment_id)
