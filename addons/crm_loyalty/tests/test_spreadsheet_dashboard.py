from odoo.addons.crm_customer_care.tests.common import check_spreadsheet_dashboard
from odoo.tests import tagged

from .common import LoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyDashboard(LoyaltyCommon):
    def test_charts_read_what_exists(self):
        titles = check_spreadsheet_dashboard(
            self, "crm_loyalty.spreadsheet_dashboard_loyalty", self.loyalty_manager
        )
        self.assertIn("Points still to use, by expiry month", titles)
        dashboard = self.env.ref("crm_loyalty.spreadsheet_dashboard_loyalty")
        self.assertNotIn(
            dashboard, self.env["spreadsheet.dashboard"].with_user(self.loyalty_user).search([])
        )
