"""Health and lifecycle on the screens of Customer Care: what the portal
may not read or call, the revenue behind the monetary factor (the same as
every other screen's), the segment analysis and the dashboard."""

import json

from freezegun import freeze_time

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.common import check_spreadsheet_dashboard
from odoo.addons.crm_customer_care.tests.revenue_world import PERIOD
from odoo.addons.crm_customer_care.tests.revenue_world import REVENUE
from odoo.addons.crm_customer_care.tests.revenue_world import TODAY
from odoo.addons.crm_customer_care.tests.revenue_world import RevenueWorldMixin
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_security")
class TestHealthAttacks(RpcCase, CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = mail_new_test_user(cls.env, login="portal_hl", groups="base.group_portal")
        # the portal user's own account, and another customer
        cls.account, cls.other = cls.env["res.partner"].create(
            [
                {
                    "name": "Health Portal Co",
                    "is_company": True,
                    "child_ids": [Command.link(cls.portal.partner_id.id)],
                },
                {"name": "Other Health Co", "is_company": True},
            ]
        )

    def test_portal_reads_no_health_of_own_company(self):
        for field in ("health_score", "lifecycle_stage", "health_details"):
            for record in (self.portal.partner_id, self.account):
                self.assertRefused("portal_hl", "res.partner", "read", [[record.id], [field]])
        self.assertRefused(
            "portal_hl",
            "res.partner",
            "search_read",
            [[("id", "=", self.account.id)]],
            {"fields": ["health_score", "lifecycle_stage"]},
        )

    def test_portal_cannot_recompute_another_profile(self):
        self.assertRefused("portal_hl", "res.partner", "action_recompute_health", [[self.other.id]])
        self.assertFalse(
            self.env["crm.customer.health.history"].search_count(
                [("partner_id", "=", self.other.id)]
            )
        )

    def test_health_columns_of_the_segment_analysis_open_to_care_users(self):
        rows = self.call_kw(
            "care_user",
            "crm.segment.analysis.report",
            "search_read",
            [[]],
            {"fields": ["partner_id", "health_score", "health_band", "lifecycle_stage"]},
        )
        self.assertIsInstance(rows, list)


@tagged("post_install", "-at_install", "ccare_figures")
class TestHealthRevenue(RevenueWorldMixin, CustomerCareCommon, AccountTestInvoicingCommon):
    """The monetary factor reads the revenue every other screen shows (see
    crm_customer_care/tests/revenue_world.py)."""

    @freeze_time(TODAY)
    def test_monetary_factor_reads_the_revenue_of_every_screen(self):
        env_a = self.env(context=dict(self.env.context, allowed_company_ids=self.company_a.ids))
        globex = self.globex.with_env(env_a)
        stats = globex._ccare_purchase_stats(PERIOD[1])
        self.assertAlmostEqual(stats[globex.id]["revenue"], REVENUE)
        self.assertEqual(stats[globex.id]["count"], 3, "three invoices, the credit note aside")
        globex._ccare_recompute_health()
        row = env_a["crm.segment.analysis.report"].search([("partner_id", "=", globex.id)])
        self.assertEqual(row.lifecycle_stage, globex.lifecycle_stage)
        self.assertAlmostEqual(row.health_score, globex.health_score)


@tagged("post_install", "-at_install")
class TestHealthDashboard(CustomerCareCommon, HttpCase):
    def test_charts_read_what_exists(self):
        titles = check_spreadsheet_dashboard(
            self, "crm_customer_health.spreadsheet_dashboard_customer_health", self.care_manager
        )
        self.assertIn("Customers by health band", titles)
        self.assertEqual(len(titles), 4)

    def test_health_bands_coloured_by_meaning(self):
        """Each band keeps its colour whatever bands the data holds (an Odoo
        chart colours by position in a palette: "Good" came out red): good
        green, fair amber, poor red, each bar the band its formula reads."""
        dashboard = self.env.ref("crm_customer_health.spreadsheet_dashboard_customer_health")
        data = json.loads(dashboard.spreadsheet_data)
        cells = next(sheet for sheet in data["sheets"] if sheet["name"] == "Data")["cells"]
        (chart,) = [
            figure["data"]
            for figure in data["sheets"][0]["figures"]
            if figure["data"]["title"]["text"] == "Customers by health band"
        ]
        colours = {}
        for dataset in chart["dataSets"]:
            label_cell, value_cell = dataset["dataRange"].split("!")[1].split(":")
            band = cells[value_cell].split(",")[-1].strip('")')
            colours[band] = dataset["backgroundColor"]
            self.assertIn(band.capitalize(), cells[label_cell])
        self.assertEqual(colours, {"good": "#28A745", "fair": "#F0A030", "poor": "#DC3545"})
        pivot = data["pivots"][cells[value_cell].split("(")[1].split(",")[0]]
        self.assertEqual(pivot["rows"], [{"fieldName": "health_band"}])
        self.assertEqual(pivot["model"], "crm.segment.analysis.report")

    def test_managers_only(self):
        dashboard = self.env.ref("crm_customer_health.spreadsheet_dashboard_customer_health")
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(dashboard, Dashboard.with_user(self.care_manager).search([]))
        self.assertNotIn(dashboard, Dashboard.with_user(self.care_user).search([]))
