from odoo import fields
from odoo import models


class CrmCustomerTargetList(models.Model):
    """The call campaigns run over a target list."""

    _inherit = "crm.customer.target.list"

    campaign_ids = fields.One2many(
        "crm.call.plan.run",
        "target_list_id",
        string="Call Campaigns",
        groups="crm_callplan.group_crm_callplan_caller",
    )
    campaign_count = fields.Integer("Number of Call Campaigns", compute="_compute_campaign_count")

    def _compute_campaign_count(self):
        counts = dict(
            # how many, not which: readable by whoever reads the list
            self.env["crm.call.plan.run"]
            .sudo()
            ._read_group([("target_list_id", "in", self.ids)], ["target_list_id"], ["__count"])
        )
        for target in self:
            target.campaign_count = counts.get(target, 0)

    def action_open_campaigns(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_callplan_campaign.crm_call_plan_run_action_campaign"
        )
        action.update(
            domain=[("target_list_id", "=", self.id)],
            context={"default_target_list_id": self.id, "default_horizon_weeks": 2},
        )
        return action
