from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_day")
class TestLoyaltyDayTours(HttpCase):
    """Each role's day on the demo data, as the demo user, through the UI."""

    def test_loyalty_manager_day_clear_anomaly(self):
        """Lou (loyalty.manager) clears the one anomaly of the demo: refused
        without a note, then cleared by Lou with the note kept."""
        Anomaly = self.env["crm.loyalty.anomaly"]
        anomaly = Anomaly.search([("state", "=", "open")])
        self.assertEqual(anomaly.mapped("kind"), ["redeem_after_earn"])
        self.start_tour("/odoo", "loyalty_manager_day_clear_anomaly", login="loyalty.manager")
        self.assertEqual(anomaly.state, "cleared")
        self.assertEqual(anomaly.cleared_by_id, self.env.ref("crm_loyalty.user_loyalty_manager"))
        self.assertIn("year-end review", anomaly.clear_note)
        self.assertFalse(Anomaly.search_count([("state", "=", "open")]))

    def test_member_day_redeem_points(self):
        """Ivy (member.individual) redeems 200 of her 300 points for a free
        service day on /my/loyalty: a requested redemption, 100 points left."""
        card = self.env["loyalty.card"].search(
            [
                ("partner_id", "=", self.env.ref("crm_loyalty.partner_member_individual").id),
                ("program_id", "=", self.env.ref("crm_loyalty.loyalty_program_customer_club").id),
            ]
        )
        self.assertEqual(card.points, 300)
        self.start_tour("/my", "member_day_redeem_points", login="member.individual")
        self.assertEqual(card.points, 100)
        redemption = self.env["crm.loyalty.redemption"].search([("card_id", "=", card.id)])
        self.assertEqual(
            redemption.reward_id, self.env.ref("crm_loyalty.loyalty_reward_service_day")
        )
        self.assertEqual(redemption.points, 200)
