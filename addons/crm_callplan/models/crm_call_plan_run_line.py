from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CrmCallPlanRunLine(models.Model):
    """One line of a plan run's report: an account (or a campaign's lead)
    skipped (and why), a call that could not be fitted, a problem with a
    policy, or a customer or lead a campaign holds out (its control group,
    drawn once at launch).

    The holdout lines are the campaign's experiment: written by the server
    at launch (one INSERT), never created, changed or removed afterwards,
    whoever asks, so that its results are measured against the group drawn
    before the calls."""

    _name = "crm.call.plan.run.line"
    _description = "Call Plan Run Report Line"
    _order = "run_id, line_type, id"

    run_id = fields.Many2one("crm.call.plan.run", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    line_type = fields.Selection(
        [
            ("skipped", "Skipped (may not be contacted)"),
            ("limit", "Skipped (contact limit)"),
            ("unfitted", "Not fitted"),
            ("policy", "Policy problem"),
            ("holdout", "Held out (control group)"),
        ],
        required=True,
        string="Type",
    )
    partner_id = fields.Many2one("res.partner", string="Account", index="btree_not_null")
    lead_id = fields.Many2one("crm.lead", string="Lead", index="btree_not_null")
    policy_id = fields.Many2one("crm.call.policy")
    due_date = fields.Date()
    reason = fields.Char(required=True)

    def _refuse_holdout(self):
        raise UserError(
            self.env._(
                "The holdout of a call campaign is drawn once, when the campaign starts: it "
                "cannot be added to, changed or removed."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("line_type") == "holdout" for vals in vals_list):
            self._refuse_holdout()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("line_type") == "holdout" or any(line.line_type == "holdout" for line in self):
            self._refuse_holdout()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_holdout(self):
        if any(line.line_type == "holdout" for line in self):
            self._refuse_holdout()
