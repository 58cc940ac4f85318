from odoo import fields
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_request_ids = fields.One2many(
        "crm.account.service.request",
        "partner_id",
        string="Account Requests",
        groups="crm_customer_care.group_crm_customer_care_user",
    )
    service_request_count = fields.Integer(
        compute="_compute_service_request_count",
        groups="crm_customer_care.group_crm_customer_care_user",
    )

    def _compute_service_request_count(self):
        counts = dict(
            self.env["crm.account.service.request"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.service_request_count = counts.get(partner, 0)

    def action_open_service_requests(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_account_service_request.crm_account_service_request_action"
        )
        action.update(
            domain=[("partner_id", "=", self.id)],
            context={"default_partner_id": self.id},
        )
        return action
