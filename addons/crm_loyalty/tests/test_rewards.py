"""Issue 18, real rewards: points converted into the member's Odoo eWallet
(any number of points, at the program's rate), which staff and the member
use as any Odoo eWallet; the redemption records the lots it consumed."""

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import tagged

from .test_ledger import LedgerCommon


class EwalletCommon(LedgerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Program = cls.env["loyalty.program"]
        cls.wallet_program = Program.create(
            {**Program._get_template_values()["ewallet"], "name": "Club Wallet"}
        )
        cls.program.write(
            {"crm_ewallet_program_id": cls.wallet_program.id, "crm_ewallet_rate": 0.05}
        )

    def _wallet(self):
        return self.env["loyalty.card"].search(
            [("program_id", "=", self.wallet_program.id), ("partner_id", "=", self.customer.id)]
        )


@tagged("post_install", "-at_install", "ccare_loyalty_ledger", "crm_loyalty_rewards")
class TestEwalletConversion(EwalletCommon):
    def test_partial_conversion_at_the_rate(self):
        """300 points; 120 converted at 0.05 make 6.00 in the eWallet, then
        37 more make 1.85: 143 points left, 7.85 in the wallet, each side's
        balance equal to its lots."""
        self.card._loyalty_points_add({self.card.id: 300}, "manual", "Welcome")
        Redemption = self.env["crm.loyalty.redemption"].with_user(self.loyalty_user)
        first = Redemption.create({"card_id": self.card.id, "kind": "ewallet", "points": 120})
        self.assertEqual((first.state, first.ewallet_amount), ("done", 6.0))
        wallet = self._wallet()
        self.assertEqual(first.ewallet_card_id, wallet)
        Redemption.create({"card_id": self.card.id, "kind": "ewallet", "points": 37})
        self.assertLedger(self.card | wallet, [143, 7.85])
        self.assertEqual(first.consumed_lot_ids.points, 120)
        credit = wallet.crm_posting_ids.filtered(lambda p: p.origin == first)
        self.assertEqual((credit.event, credit.issued), ("earn", 6.0))
        # a delivered conversion cannot be cancelled (the credit is spent-able at once)
        with self.assertRaisesRegex(UserError, "Only a pending redemption"):
            first.action_cancel()

    def test_refusals(self):
        self.card._loyalty_points_add({self.card.id: 50}, "manual", "Welcome")
        Redemption = self.env["crm.loyalty.redemption"]
        with self.assertRaisesRegex(UserError, "Cannot redeem"):
            Redemption.create({"card_id": self.card.id, "kind": "ewallet", "points": 60})
        with self.assertRaisesRegex(UserError, "no reward"):
            Redemption.create(
                {"card_id": self.card.id, "kind": "ewallet", "reward_id": self.reward.id}
            )
        self.program.crm_ewallet_program_id = False
        with self.assertRaisesRegex(UserError, "does not convert"):
            Redemption.create({"card_id": self.card.id, "kind": "ewallet", "points": 10})
        self.assertLedger(self.card, [50])
        self.assertFalse(self._wallet())

    def test_wallet_pays_an_order(self):
        """The credit is Odoo's own eWallet: an order can spend it."""
        self.card._loyalty_points_add({self.card.id: 2000}, "manual", "Welcome")
        self.env["crm.loyalty.redemption"].create(
            {"card_id": self.card.id, "kind": "ewallet", "points": 2000}
        )
        wallet = self._wallet()
        self.assertEqual(wallet.points, 100)
        order = self._order()
        rewards = order._get_claimable_rewards(forced_coupons=wallet)
        self.assertIn(self.wallet_program.reward_ids[:1], rewards[wallet])


@tagged("post_install", "-at_install", "ccare_security", "crm_loyalty_rewards")
class TestEwalletOverRpc(EwalletCommon, RpcCase):
    def test_forged_credit_refused(self):
        self.card._loyalty_points_add({self.card.id: 100}, "manual", "Welcome")
        self.assertRefused(
            "loy_user",
            "crm.loyalty.redemption",
            "create",
            [[{"card_id": self.card.id, "kind": "ewallet", "points": 10, "ewallet_amount": 999}]],
        )
        answer = self.call_kw(
            "loy_user",
            "crm.loyalty.redemption",
            "create",
            [[{"card_id": self.card.id, "kind": "ewallet", "points": 10}]],
        )
        self.assertRefused(
            "loy_user", "crm.loyalty.redemption", "write", [answer, {"ewallet_amount": 999}]
        )
        self.assertLedger(self.card | self._wallet(), [90, 0.5])

    def test_portal_conversion_once(self):
        self.env["res.users"].create(
            {
                "name": "Wallet Member",
                "login": "loy_wallet",
                "password": "loy_wallet",
                "partner_id": self.customer.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.card._loyalty_points_add({self.card.id: 100}, "manual", "Welcome")
        self.authenticate("loy_wallet", "loy_wallet")
        page = self.url_open("/my/loyalty").text
        self.assertIn("o_crm_loyalty_ewallet_form", page)
        data = {"points": "40", "csrf_token": Request.csrf_token(self), "request_key": "w-1"}
        for _attempt in range(2):
            response = self.url_open(f"/my/loyalty/{self.card.id}/ewallet", data=data)
            self.assertIn("added to your eWallet", response.text)
        wallet = self._wallet()
        self.assertLedger(self.card | wallet, [60, 2])
        self.assertIn(wallet.code, response.text)


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
