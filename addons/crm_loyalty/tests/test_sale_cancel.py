from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LoyaltyCommon


@tagged("post_install", "-at_install")
class TestSaleCancel(LoyaltyCommon):
    """sale_loyalty gives 100 points per confirmed order; cancelling it takes
    them back: the lots follow, and a balance never goes negative."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.write(
            {
                "trigger": "auto",
                "applies_on": "both",
                "rule_ids": [
                    (5, 0, 0),
                    (0, 0, {"reward_point_mode": "order", "reward_point_amount": 100}),
                ],
            }
        )
        cls.product = cls.env["product.product"].create({"name": "Cold room", "list_price": 500})
        cls.customer = cls._customers(1, prefix="Buyer")
        cls.card = cls._card(cls.customer)

    def _order(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        order._update_programs_and_rewards()
        order.action_confirm()
        return order

    def test_cancel_takes_the_points_back_from_the_lots(self):
        order = self._order()
        self.assertEqual(self.card.points, 100)
        self.assertEqual(sum(self.card.crm_lot_ids.mapped("remaining")), 100)
        order._action_cancel()
        self.assertEqual(self.card.points, 0)
        self.assertEqual(
            sum(self.card.crm_lot_ids.mapped("remaining")),
            0,
            "the lots hold no points the card no longer has (or expiry would go negative)",
        )
        # and the expiry job has nothing left to take
        self.assertEqual(self.env["loyalty.card"]._loyalty_expire_points(), 0)

    def test_cancel_refused_when_the_points_are_spent(self):
        order = self._order()
        self.card._loyalty_points_redeem(60, "Voucher")
        with self.assertRaisesRegex(UserError, "already spent them"):
            order._action_cancel()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.card.points, 40)
        self.assertEqual(sum(self.card.crm_lot_ids.mapped("remaining")), 40)

    def test_statement_names_the_order_to_a_manager_without_sales_rights(self):
        """The card's statement (History Lines on the card form, and the
        line's own form) shows the order's reference to a loyalty manager
        who may not read the order (another salesperson's), as text: no link
        that reads "You don't have access to this record"."""
        order = self._order()
        self.assertFalse(order.with_user(self.loyalty_manager).has_access("read"))
        card = self.card.with_user(self.loyalty_manager)
        form = card.get_view(view_type="form")["arch"]
        statement = form.split('name="history_ids"')[1].split("</list>")[0]
        self.assertRegex(statement, r'name="order_id"[^>]*column_invisible="(1|True)"')
        self.assertIn('name="crm_order_ref"', statement)
        history = card.web_read(
            {"history_ids": {"fields": {"description": {}, "crm_order_ref": {}}}}
        )[0]["history_ids"]
        self.assertIn(order.name, [line["crm_order_ref"] for line in history])
        line_form = (
            self.env["loyalty.history"]
            .with_user(self.loyalty_manager)
            .get_view(view_type="form")["arch"]
        )
        self.assertRegex(line_form, r'name="order_id"[^>]*invisible="(1|True)"')
        self.assertIn('name="crm_order_ref"', line_form)
