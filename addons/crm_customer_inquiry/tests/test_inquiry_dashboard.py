import json

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
        self.assertEqual(
            titles,
            [
                "Open inquiries by channel and SLA",
                "Open inquiries by stage",
                "Overdue inquiries by team",
            ],
        )

    def test_overdue_chart_counts_the_overdue_inquiries(self):
        """The overdue chart counts what the escalation job flags."""
        dashboard = self.env.ref("crm_customer_inquiry.spreadsheet_dashboard_customer_inquiry")
        [chart] = [
            figure["data"]
            for sheet in json.loads(dashboard.spreadsheet_data)["sheets"]
            for figure in sheet["figures"]
            if figure["data"]["title"]["text"] == "Overdue inquiries by team"
        ]
        Ticket = self.env["helpdesk.ticket"]

        def shown():
            [(count,)] = Ticket._read_group(chart["searchParams"]["domain"], [], ["__count"])
            return count

        before = shown()
        ticket = Ticket.create(
            {"name": "Late", "description": "?", "partner_id": self.env.user.partner_id.id}
        )
        self.assertEqual(shown(), before)
        ticket.is_overdue = True
        self.assertEqual(shown(), before + 1)
        self.assertEqual(shown(), Ticket.search_count([("is_overdue", "=", True)]))
