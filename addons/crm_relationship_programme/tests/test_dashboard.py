from datetime import timedelta

from odoo import fields
from odoo.addons.crm_loyalty.tests.common import LoyaltyCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestLoyaltyDashboardLauncher(LoyaltyCommon):
    """The manager dashboard shows no loyalty figure of its own: it opens
    the screens that carry them."""

    def test_launcher_opens_the_figures(self):
        # a care manager who also works with loyalty sees the launchers
        manager = mail_new_test_user(
            self.env,
            login="tile_manager",
            groups="crm_customer_care.group_crm_customer_care_manager,"
            "crm_loyalty.group_crm_loyalty_user",
        )
        Dashboard = self.env["crm.customer.review.dashboard"].with_user(manager)
        form = self.env.ref("crm_customer_review.crm_customer_review_dashboard_view_form")
        arch = Dashboard.get_view(form.id)["arch"]
        for xmlid in (
            "crm_relationship_programme.crm_relationship_programme_action",
            "crm_relationship_programme.crm_relationship_effectiveness_report_action",
        ):
            self.assertIn(f'name="{self.env.ref(xmlid).id}"', arch)
        self.assertIn("action_open_expiring_points", arch)
        # the points expiring soon: the lots within the warning period, whose
        # Remaining total is the sum of the cards' Expiring Soon figures
        members = self._customers(2, prefix="Tile")
        today = fields.Date.context_today(members)
        soon = self._card(members[0], points=80)
        soon.crm_lot_ids.expiry_date = today + timedelta(days=20)
        later = self._card(members[1], points=40)
        later.crm_lot_ids.expiry_date = today + timedelta(days=90)
        action = Dashboard.create({}).action_open_expiring_points()
        lots = self.env["crm.loyalty.points.lot"].with_user(manager).search(action["domain"])
        self.assertIn(soon.crm_lot_ids, lots)
        self.assertNotIn(later.crm_lot_ids, lots)
        cards = self.env["loyalty.card"].with_user(manager).search([])
        self.assertEqual(sum(lots.mapped("remaining")), sum(cards.mapped("crm_points_expiring")))

    def test_launchers_hidden_from_other_managers(self):
        arch = (
            self.env["crm.customer.review.dashboard"]
            .with_user(self.care_manager)
            .get_view(
                self.env.ref("crm_customer_review.crm_customer_review_dashboard_view_form").id
            )["arch"]
        )
        self.assertNotIn("action_open_expiring_points", arch)
        effectiveness = self.env.ref(
            "crm_relationship_programme.crm_relationship_effectiveness_report_action"
        )
        self.assertNotIn(f'name="{effectiveness.id}"', arch)
