from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_day")
class TestLoyaltyDayTours(HttpCase):
    """Each role's day on the demo data, as the demo user, through the UI."""

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
