from odoo.addons.crm_customer_care.tests.common import check_spreadsheet_dashboard
from odoo.tests import tagged

from .common import TierCommon


@tagged("post_install", "-at_install")
class TestTierDashboard(TierCommon):
    def test_charts_read_what_exists(self):
        titles = check_spreadsheet_dashboard(
            self, "crm_loyalty_tier.spreadsheet_dashboard_loyalty_tiers", self.loyalty_manager
        )
        self.assertEqual(titles, ["Members by tier", "Tier moves by month"])
        dashboard = self.env.ref("crm_loyalty_tier.spreadsheet_dashboard_loyalty_tiers")
        self.assertNotIn(
            dashboard, self.env["spreadsheet.dashboard"].with_user(self.loyalty_user).search([])
        )
