from odoo.addons.crm_customer_care.controllers.params import Id
from odoo.addons.crm_customer_care.controllers.params import Text
from odoo.addons.crm_customer_care.controllers.params import parse_params
from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.http import request

# what the portal's ticket form sends (helpdesk_mgmt int()s the ids)
TICKET_PARAMS = {
    "category": Id("helpdesk.ticket.category"),
    "team": Id("helpdesk.ticket.team"),
    "subject": Text(256, required=True),
    "description": Text(100000, required=True),
}


class CustomerCareInquiryController(HelpdeskTicketController):
    """Inquiries submitted from the customer portal (/new/ticket) come in
    through the "Portal" channel."""

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**parse_params(TICKET_PARAMS, kw))
        channel = request.env.ref("crm_customer_inquiry.helpdesk_ticket_channel_portal", False)
        if channel:
            vals["channel_id"] = channel.id
        return vals
