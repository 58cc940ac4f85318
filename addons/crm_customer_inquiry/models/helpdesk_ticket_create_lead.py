from odoo import models


class HelpdeskTicketCreateLead(models.TransientModel):
    """``helpdesk_mgmt_crm``'s conversion wizard: the inquiry's outcome
    becomes "Became a Lead" and the lead keeps the inquiry's channel."""

    _inherit = "helpdesk.ticket.create.lead"

    def _prepare_vals(self):
        vals = super()._prepare_vals()
        ticket = self.ticket_id
        if not ticket.partner_id:
            vals.update(contact_name=ticket.partner_name, email_from=ticket.partner_email)
        return vals

    def action_helpdesk_ticket_to_lead(self):
        action = super().action_helpdesk_ticket_to_lead()
        self.ticket_id.filtered(lambda t: not t.outcome).outcome = "lead"
        return action
