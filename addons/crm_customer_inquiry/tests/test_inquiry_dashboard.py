from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.common import check_spreadsheet_dashboard
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_inquiry")
class TestInquiryDashboard(CustomerCareCommon):
    def test_charts_read_what_exists(self):
        """Every care user finds the inquiry charts, and they read their data."""
        titles = check_spreadsheet_dashboard(
            self, "crm_customer_inquiry.spreadsheet_dashboard_customer_inquiry", self.care_user
        )
        self.assertEqual(titles, ["Open inquiries by channel and SLA", "Open inquiries by stage"])

    def test_manager_dashboard_counts_overdue_inquiries(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Late", "description": "?", "partner_id": self.env.user.partner_id.id}
        )
        dashboard = self.env["crm.customer.review.dashboard"].create({})
        before = dashboard.overdue_inquiries
        self.assertTrue(dashboard.has_inquiries)
        ticket.is_overdue = True
        dashboard = self.env["crm.customer.review.dashboard"].create({})
        self.assertEqual(dashboard.overdue_inquiries, before + 1)
