from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

from .common import LoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyMultiCompany(LoyaltyCommon):
    """Two companies: a loyalty manager of the first never sees the second's
    points or redemptions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Loyalty Company B"})
        cls.manager_a = mail_new_test_user(
            cls.env,
            login="loyalty_manager_a",
            groups="crm_loyalty.group_crm_loyalty_manager",
            company_id=cls.env.company.id,
            company_ids=[(6, 0, cls.env.company.ids)],
        )
        cls.program_b = cls.env["loyalty.program"].create(
            {"name": "Club B", "program_type": "loyalty", "company_id": cls.company_b.id}
        )
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "Customer of B", "company_id": cls.company_b.id, "email": "b@example.com"}
        )
        cls.customer_b._ccare_record_consent("marketing", "email", "granted")
        cls.card_b = cls.env["loyalty.card"].create(
            {"program_id": cls.program_b.id, "partner_id": cls.customer_b.id}
        )
        cls.card_b._loyalty_points_add({cls.card_b.id: 100}, "manual", "B points")
        cls.card_b._loyalty_points_redeem(30, "B voucher")

    def test_manager_of_a_sees_nothing_of_b(self):
        env = self.env(user=self.manager_a)
        self.assertFalse(env["crm.loyalty.points.lot"].search([("card_id", "=", self.card_b.id)]))
        self.assertFalse(env["crm.loyalty.redemption"].search([("card_id", "=", self.card_b.id)]))
        # while the company's own are visible
        own = self._card(self._customers(1, prefix="A"), points=10)
        self.assertEqual(
            env["crm.loyalty.points.lot"].search([("card_id", "=", own.id)]), own.crm_lot_ids
        )
