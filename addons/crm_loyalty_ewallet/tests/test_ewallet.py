"""Issue 18, real rewards: points converted into the member's Odoo eWallet
(any number of points, at the program's rate), which staff and the member
use as any Odoo eWallet; the redemption records the lots it consumed."""

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.crm_loyalty.tests.test_ledger import LedgerCommon
from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import tagged


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
