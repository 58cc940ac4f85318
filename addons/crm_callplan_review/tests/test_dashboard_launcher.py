from odoo.addons.crm_callplan.tests.common import CallPlanCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDashboardLauncher(CallPlanCommon):
    """The Call Plans buttons of the Manager Dashboard."""

    def test_dashboard_launcher(self):
        """The manager dashboard shows no call figure of its own: it opens
        the compliance report, the overdue calls and the Call Plans
        spreadsheet dashboard, where the figures are."""
        manager = mail_new_test_user(
            self.env,
            login="tile_callplan_manager",
            groups="crm_customer_care.group_crm_customer_care_manager,"
            "crm_callplan.group_crm_callplan_manager",
        )
        Dashboard = self.env["crm.customer.review.dashboard"].with_user(manager)
        form = self.env.ref("crm_customer_review.crm_customer_review_dashboard_view_form")
        arch = Dashboard.get_view(form.id)["arch"]
        self.assertIn("search_default_overdue", arch)
        self.assertIn(str(self.env.ref("crm_callplan.crm_call_compliance_report_action").id), arch)
        callplan = self.env.ref("crm_callplan.spreadsheet_dashboard_callplan")
        action = (
            Dashboard.create({})
            .with_context(ccare_dashboard="crm_callplan.spreadsheet_dashboard_callplan")
            .action_open_dashboard()
        )
        self.assertEqual(action["params"]["dashboard_id"], callplan.id)
        # the Overdue filter the button applies is the calls' own overdue flag
        self.assertIn("is_overdue", self.env.ref("crm_callplan.crm_call_view_search").arch)
