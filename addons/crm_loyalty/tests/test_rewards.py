"""Issue 18, real rewards: points redeemed as coupon codes, which the member
reads on the portal and staff apply on an order as any Odoo coupon; the
redemption records the lots it consumed (the conversion into an eWallet:
crm_loyalty_ewallet)."""

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.http import Request
from odoo.tests import tagged

from .test_ledger import LedgerCommon


@tagged("post_install", "-at_install", "ccare_loyalty_ledger", "crm_loyalty_rewards")
class TestCouponRewards(LedgerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.crm_issue_coupons = True

    def test_redemption_issues_a_coupon_staff_apply(self):
        """70 points; the 50-point voucher redeemed issues a coupon code
        holding 50 points in the program's reward coupons program; entered
        on an order, it gives the 10% voucher and is used up on
        confirmation."""
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        request = (
            self.env["crm.loyalty.redemption"]
            .with_user(self.loyalty_user)
            .create({"card_id": self.card.id, "reward_id": self.reward.id})
        )
        coupon = request.coupon_id
        self.assertEqual(request.state, "done")
        self.assertTrue(request.coupon_code)
        self.assertEqual(coupon.program_id, self.program.crm_coupon_program_id)
        self.assertEqual(coupon.program_id.program_type, "coupons")
        self.assertLedger(self.card | coupon, [20, 50])
        copy = coupon.program_id.reward_ids
        self.assertEqual((copy.crm_source_reward_id, copy.required_points), (self.reward, 50))
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        result = order._try_apply_code(request.coupon_code)
        self.assertNotIn("error", result)
        self.assertFalse(order._apply_program_reward(copy, coupon).get("error"))
        reward_line = order.order_line.filtered("reward_id")
        self.assertAlmostEqual(reward_line.price_subtotal, -50)  # 10% of 500
        order.action_confirm()
        self.assertLedger(self.card | coupon, [120, 0])
        # a second redemption reuses the coupons program and its reward
        self.env["crm.loyalty.redemption"].create(
            {"card_id": self.card.id, "reward_id": self.reward.id}
        )
        self.assertEqual(len(self.program.crm_coupon_program_id.reward_ids), 1)


@tagged("post_install", "-at_install", "ccare_security", "crm_loyalty_rewards")
class TestCouponRewardsOverRpc(LedgerCommon, RpcCase):
    def test_member_sees_the_code_and_nobody_forges_one(self):
        self.program.crm_issue_coupons = True
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        other = self.env["loyalty.card"].create(
            {"program_id": self.program.id, "partner_id": self._customers(1, prefix="X").id}
        )
        self.assertRefused(
            "loy_user",
            "crm.loyalty.redemption",
            "create",
            [[{"card_id": self.card.id, "reward_id": self.reward.id, "coupon_id": other.id}]],
        )
        self.env["res.users"].create(
            {
                "name": "Coupon Member",
                "login": "loy_coupon",
                "password": "loy_coupon",
                "partner_id": self.customer.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.authenticate("loy_coupon", "loy_coupon")
        self.url_open(
            f"/my/loyalty/{self.card.id}/redeem",
            data={"reward_id": self.reward.id, "csrf_token": Request.csrf_token(self)},
        )
        request = self.env["crm.loyalty.redemption"].search([("card_id", "=", self.card.id)])
        self.assertTrue(request.coupon_code)
        page = self.url_open("/my/loyalty").text
        self.assertIn(request.coupon_code, page)
        self.assertLedger(self.card, [20])
