from odoo import fields
from odoo import models


class CrmCallPlanRunLine(models.Model):
    """One line of a plan run's report: an account (or a campaign's lead)
    skipped (and why), a call that could not be fitted, a problem with a
    policy, or a customer or lead a campaign holds out (its control group,
    drawn once at launch)."""

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
