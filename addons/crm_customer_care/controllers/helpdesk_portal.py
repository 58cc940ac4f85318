from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.http import request


class CustomerCareInquiryController(HelpdeskTicketController):
    """Inquiries submitted from the customer portal (/new/ticket) come in
    through the "Portal" channel."""

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        channel = request.env.ref("crm_customer_care.helpdesk_ticket_channel_portal", False)
        if channel:
            vals["channel_id"] = channel.id
        return vals
