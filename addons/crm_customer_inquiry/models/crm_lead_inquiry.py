from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Domain


class CrmLead(models.Model):
    """A lead shows its inquiries: the one it was converted from
    (``ticket_id`` of ``helpdesk_mgmt_crm``) and those of its customer."""

    _inherit = "crm.lead"

    ccare_inquiry_count = fields.Integer("Inquiries", compute="_compute_ccare_inquiry_count")

    def _ccare_inquiry_domain(self):
        commercial = self.partner_id.commercial_partner_id
        domain = Domain("lead_ids", "in", self.ids)
        if commercial:
            domain |= Domain("commercial_partner_id", "in", commercial.ids)
        return domain

    @api.depends("partner_id", "ticket_id")
    def _compute_ccare_inquiry_count(self):
        Ticket = self.env["helpdesk.ticket"]
        if not Ticket.has_access("read"):
            self.ccare_inquiry_count = 0
            return
        leads = self.filtered("id")
        tickets = Ticket.search_fetch(
            leads._ccare_inquiry_domain() if leads else Domain.FALSE,
            ["commercial_partner_id", "lead_ids"],
        )
        for lead in self:
            commercial = lead.partner_id.commercial_partner_id
            lead.ccare_inquiry_count = len(
                tickets.filtered(
                    lambda t, lead=lead, c=commercial: (
                        (c and t.commercial_partner_id == c) or lead.id in t.lead_ids.ids
                    )
                )
            )

    def action_open_inquiries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_customer_inquiry.helpdesk_ticket_action_inquiries"
        )
        action["domain"] = list(self._ccare_inquiry_domain())
        action["context"] = {
            "default_partner_id": self.partner_id.id,
            "search_default_filter_open": False,
        }
        return action
