from odoo.addons.base.tests.common import new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged

from .attack_surface import declared_records
from .attack_surface import our_modules
from .common import CustomerCareCommon
from .common import check_spreadsheet_dashboard


@tagged("post_install", "-at_install")
class TestSpreadsheetDashboard(CustomerCareCommon, HttpCase):
    def test_charts_read_what_exists(self):
        titles = check_spreadsheet_dashboard(
            self, "crm_customer_care.spreadsheet_dashboard_customer_care", self.care_manager
        )
        self.assertIn(
            "Open pipeline by stage (every opportunity, with or without a customer)", titles
        )
        self.assertIn("Revenue by segment (12 months)", titles)
        self.assertEqual(len(titles), 2)

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

    def test_every_role_has_a_dashboard(self):
        """The Dashboards app is every internal user's: each of our roles
        (a user with only that group) finds a dashboard meant for it there,
        not an empty app, and every chart of what it sees reads its data."""
        data = self.env["ir.model.data"].search(
            [("module", "in", sorted(our_modules(self.env))), ("model", "=", "res.groups")]
        )
        internal = self.env.ref("base.group_user")
        roles = self.env["res.groups"].browse(data.mapped("res_id"))
        roles = roles.filtered(lambda group: internal in group.all_implied_ids)
        # every group the installed addons declare (3 with the core alone)
        self.assertEqual(
            set(data.mapped("complete_name")), set(declared_records(self.env, "res.groups"))
        )
        self.assertTrue(roles)
        for role in roles:
            with self.subTest(role=role.full_name):
                user = new_test_user(
                    self.env, login=f"dash_{role.id}", groups=role.get_external_id()[role.id]
                )
                seen = (
                    self.env["spreadsheet.dashboard"]
                    .with_user(user)
                    .search([("is_published", "=", True)])
                )
                ours = seen.filtered(lambda d: d.get_external_id()[d.id].startswith("crm_"))
                self.assertTrue(ours, f"{role.full_name}: an empty Dashboards app")
                for dashboard in ours:
                    check_spreadsheet_dashboard(
                        self, dashboard.get_external_id()[dashboard.id], user
                    )
