from datetime import timedelta

from odoo import fields
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

from .common import LoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyDashboardTile(LoyaltyCommon):
    def test_tile_figures(self):
        # a care manager who also works with loyalty sees the tile
        manager = mail_new_test_user(
            self.env,
            login="tile_manager",
            groups="crm_customer_care.group_crm_customer_care_manager,"
            "crm_loyalty.group_crm_loyalty_user",
        )
        Dashboard = self.env["crm.customer.review.dashboard"].with_user(manager)
        before = Dashboard.create({})  # (the demo data may run programmes too)
        before_figures = (
            before.running_programmes,
            before.programme_members,
            before.points_expiring,
        )
        members = self._customers(12, prefix="Tile")
        members.write({"segment_id": self.segment.id})
        programme = self.env["crm.relationship.programme"].create(
            {
                "name": "Tile Club",
                "segment_ids": [(6, 0, self.segment.ids)],
                "holdout_percent": 25,
                "holdout_seed": 7,
                "loyalty_program_id": self.program.id,
            }
        )
        programme.action_start()
        self.env["crm.relationship.programme"].create({"name": "Still a draft"})
        today = fields.Date.context_today(programme)
        self._card(members[0], points=80).crm_lot_ids.expiry_date = today + timedelta(days=20)
        self._card(members[1], points=40).crm_lot_ids.expiry_date = today + timedelta(days=90)

        after = Dashboard.create({})
        self.assertTrue(programme.member_count)
        self.assertEqual(
            (after.running_programmes, after.programme_members, after.points_expiring),
            (
                before_figures[0] + 1,
                before_figures[1] + programme.member_count,
                before_figures[2] + 80,  # only the lot expiring within 30 days
            ),
        )
        running = self.env["crm.relationship.programme"].search(
            [("state", "=", "running"), ("company_id", "=", self.env.company.id)]
        )
        figures = running._crm_effectiveness()
        # the portfolio ROI: (total incremental margin - total cost) / total
        # cost, not an average of the programmes' percentages
        margin = sum(figures[p.id]["incremental_margin"] for p in running)
        cost = sum(figures[p.id]["total_cost"] for p in running)
        expected_roi = 100.0 * (margin - cost) / cost if cost else 0.0
        self.assertAlmostEqual(after.programme_roi, expected_roi, delta=0.05)  # 1 decimal

    def test_tile_hidden_from_other_managers(self):
        arch = (
            self.env["crm.customer.review.dashboard"]
            .with_user(self.care_manager)
            .get_view(
                self.env.ref("crm_customer_review.crm_customer_review_dashboard_view_form").id
            )["arch"]
        )
        self.assertNotIn("programme_roi", arch)
