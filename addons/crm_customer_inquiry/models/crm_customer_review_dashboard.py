from odoo import api
from odoo import models


class CrmCustomerReviewDashboard(models.TransientModel):
    """The manager dashboard counts the overdue inquiries (flagged by the
    escalation job), as the current user may read them."""

    _inherit = "crm.customer.review.dashboard"

    @api.model
    def _ccare_overdue_inquiries(self):
        return self.env["helpdesk.ticket"].search_count([("is_overdue", "=", True)])
