from odoo.tests import HttpCase
from odoo.tests import tagged

from .common import CustomerCareCommon
from .common import check_spreadsheet_dashboard


@tagged("post_install", "-at_install")
class TestSpreadsheetDashboard(CustomerCareCommon, HttpCase):
    def test_charts_read_what_exists(self):
        titles = check_spreadsheet_dashboard(
            self, "crm_customer_care.spreadsheet_dashboard_customer_care", self.care_manager
        )
        self.assertIn("Open pipeline by qualification grade", titles)
        self.assertEqual(len(titles), 7)

    def test_managers_only(self):
        dashboard = self.env.ref("crm_customer_care.spreadsheet_dashboard_customer_care")
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(dashboard, Dashboard.with_user(self.care_manager).search([]))
        self.assertNotIn(dashboard, Dashboard.with_user(self.care_user).search([]))

    def test_dashboard_data_served(self):
        self.care_manager.password = "care-manager-pass"
        self.authenticate("care_manager", "care-manager-pass")
        dashboard = self.env.ref("crm_customer_care.spreadsheet_dashboard_customer_care")
        data = self.url_open(f"/spreadsheet/dashboard/data/{dashboard.id}").json()
        figures = data["snapshot"]["sheets"][0]["figures"]
        self.assertEqual(
            figures[0]["data"]["metaData"]["resModel"],
            "crm.lead",
            "the first chart is the pipeline",
        )

    def test_dashboard_tour(self):
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "crm_customer_care_dashboard_tour",
            login="care_manager",
        )
