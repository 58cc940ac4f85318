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
        # the core's extension point the manager dashboard reads
        Partner = self.env["res.partner"]
        before = Partner._ccare_overdue_inquiry_count()
        self.assertIsNotNone(before)
        ticket.is_overdue = True
        self.assertEqual(Partner._ccare_overdue_inquiry_count(), before + 1)
