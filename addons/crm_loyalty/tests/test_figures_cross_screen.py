from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_figures")
class TestDemoPointsExpiringCrossScreen(TransactionCase):
    """On the demo data: the points expiring soon are one figure on the
    member's portal (the card's Expiring Soon and the lots listed), the
    card form and the Points Expiring Soon statement the manager dashboard
    opens (its Remaining total)."""

    def test_points_expiring_soon_are_the_same_everywhere(self):
        manager = self.env.ref("crm_customer_care.user_care_manager")
        env = self.env(user=manager)
        company = manager.company_id
        cards = env["loyalty.card"].search([("company_id", "in", [False, company.id])])
        ivy = cards.filtered(
            lambda card: card.partner_id == self.env.ref("crm_loyalty.partner_member_individual")
        )
        # the member's portal page: the figure and the lots it lists
        self.assertEqual(ivy.crm_points_expiring, 60)
        self.assertEqual(sum(ivy._loyalty_expiring_lots().mapped("remaining")), 60)
        # the statement the dashboard opens: its Remaining total is the sum of
        # the cards' figures
        dashboard = env["crm.customer.review.dashboard"].create({"company_id": company.id})
        action = dashboard.action_open_expiring_points()
        balance = sum(env["crm.loyalty.points.lot"].search(action["domain"]).mapped("remaining"))
        self.assertTrue(balance)
        self.assertEqual(balance, sum(cards.mapped("crm_points_expiring")))
        self.assertEqual(balance, sum(cards._loyalty_expiring_lots().mapped("remaining")))
