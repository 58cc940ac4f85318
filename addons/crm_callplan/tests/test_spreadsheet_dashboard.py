from odoo.addons.crm_customer_care.tests.common import check_spreadsheet_dashboard
from odoo.tests import tagged

from .common import CallPlanCommon


@tagged("post_install", "-at_install")
class TestCallPlanDashboard(CallPlanCommon):
    def test_charts_read_what_exists(self):
        titles = check_spreadsheet_dashboard(
            self, "crm_callplan.spreadsheet_dashboard_callplan", self.callplan_manager
        )
        self.assertIn("Plan compliance by sales team (%)", titles)
        dashboard = self.env.ref("crm_callplan.spreadsheet_dashboard_callplan")
        self.assertNotIn(
            dashboard, self.env["spreadsheet.dashboard"].with_user(self.caller).search([])
        )
