from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDemoLoyalty(TransactionCase):
    """What a new user sees in the demo's loyalty screens (skipped without
    demo data)."""

    def setUp(self):
        super().setUp()
        self.club = self.env.ref(
            "crm_loyalty.loyalty_program_customer_club", raise_if_not_found=False
        )
        if not self.club:
            self.skipTest("no demo data")

    def test_redeemed_voucher_is_a_redemption_request(self):
        """The best member's free service day (200 points) is in Loyalty >
        Redemption Requests, delivered, and its points left the card."""
        action = self.env.ref("crm_loyalty.crm_loyalty_redemption_action")
        requests = self.env[action.res_model].search([("program_id", "=", self.club.id)])
        voucher = requests.filtered(lambda r: r.reward_id.description == "A free service day")
        self.assertEqual(len(voucher), 1)
        self.assertEqual((voucher.state, voucher.points), ("done", 200))
        self.assertEqual(sum(voucher.consumed_lot_ids.mapped("points")), 200)
