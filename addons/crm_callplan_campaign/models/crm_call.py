from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_callplan.models.crm_call import CALLER_GROUP
from odoo.addons.crm_callplan.models.crm_call import CrmCall as BaseCall


class CrmCall(models.Model):
    """A call a campaign planned: its target list, one call per customer
    and lead of the list, on time anywhere in the campaign."""

    _inherit = "crm.call"

    _ccare_workflow_fields = (*BaseCall._ccare_workflow_fields, "target_list_id")
    # a campaign's calls have a policy but are not the recurring plan's
    _callplan_recurring_where = "policy_id IS NOT NULL AND target_list_id IS NULL"

    target_list_id = fields.Many2one(
        "crm.customer.target.list",
        "Campaign List",
        index="btree_not_null",
        readonly=True,
        groups=CALLER_GROUP,
        help="The target list of the call campaign that planned this call.",
    )

    # a campaign calls each customer, and each lead, of its list once
    _campaign_unique = models.UniqueIndex(
        "(plan_run_id, partner_id, coalesce(lead_id, 0)) WHERE target_list_id IS NOT NULL "
        "AND state != 'cancelled'",
        "A call campaign calls each customer and each lead of its list only once.",
    )

    @api.depends("due_date", "policy_id.tolerance_days", "target_list_id", "plan_run_id.date_to")
    def _compute_deadline_date(self):
        campaign = self.filtered(lambda call: call.target_list_id and call.plan_run_id)
        for call in campaign:
            # a campaign's call is on time anywhere in the campaign
            call.deadline_date = call.plan_run_id.date_to
        return super(CrmCall, self - campaign)._compute_deadline_date()

    @api.model
    def _callplan_planned_columns(self, vals_list):
        return {
            **super()._callplan_planned_columns(vals_list),
            "target_list_id": ("int", lambda v: v.get("target_list_id") or None),
        }
